/* mqueue-folder: /dev/mqueue as Linux's mqueue file system shows the
 * queues, checked inside sole only (the host has no /dev/mqueue mounted to
 * compare with): a named queue is a file there with its owner, mode and
 * size 80, reading as its status line; unlinking the file is mq_unlink; a
 * name cannot be made there by hand. Exits 1 at the first difference. */
#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int failed;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s (errno %s)\n", what, errno_name(errno));
		failed = 1;
	}
}

static int listed(const char *name)
{
	DIR *dir = opendir("/dev/mqueue");
	struct dirent *e;
	int found = 0;
	while (dir && (e = readdir(dir)))
		found |= !strcmp(e->d_name, name);
	if (dir)
		closedir(dir);
	return found;
}

static void read_status(char *buf, size_t size)
{
	memset(buf, 0, size);
	int fd = open("/dev/mqueue/folder-q", O_RDONLY);
	check(fd >= 0, "open /dev/mqueue/folder-q");
	check(read(fd, buf, size - 1) > 0, "read its status");
	close(fd);
}

int main(void)
{
	signal(SIGUSR1, SIG_IGN); /* the notification fires at the last send */
	struct stat st;
	check(stat("/dev/mqueue", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777,
	      "/dev/mqueue is a folder with mode 1777");
	struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
	mqd_t q = mq_open("/folder-q", O_CREAT | O_RDWR, 0640, &attr);
	check(q != (mqd_t)-1, "mq_open");
	check(listed("folder-q"), "the queue is listed");
	check(stat("/dev/mqueue/folder-q", &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0640 &&
	          st.st_size == 80 && st.st_uid == getuid(),
	      "its file has the queue's mode, owner and size 80");
	char status[128];
	read_status(status, sizeof status);
	check(!strcmp(status, "QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n"), "empty status line");
	check(mq_send(q, "hello", 5, 1) == 0, "mq_send");
	read_status(status, sizeof status);
	check(!strcmp(status, "QSIZE:5          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n"),
	      "status with a message queued");
	check(mq_receive(q, status, sizeof status, NULL) == 5, "mq_receive");
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
	check(mq_notify(q, &ev) == 0, "mq_notify");
	char expect[128];
	snprintf(expect, sizeof expect, "QSIZE:0          NOTIFY:0     SIGNO:%-5d NOTIFY_PID:%-6d\n", SIGUSR1,
	         (int)getpid());
	read_status(status, sizeof status);
	check(!strcmp(status, expect), "status with a registered notification");
	check(open("/dev/mqueue/by-hand", O_CREAT | O_WRONLY, 0600) < 0 && errno == ENOENT,
	      "no name made by hand (ENOENT)");
	check(mkdir("/dev/mqueue/dir", 0700) < 0 && errno == ENOENT, "no folder made there (ENOENT)");
	check(unlink("/dev/mqueue/folder-q") == 0, "unlink the queue's file");
	check(!listed("folder-q"), "gone from the folder");
	check(mq_open("/folder-q", O_RDWR) == (mqd_t)-1 && errno == ENOENT, "mq_open finds no such queue");
	check(mq_send(q, "still", 5, 1) == 0, "the open queue still works");
	check(unlink("/dev/mqueue/folder-q") < 0 && errno == ENOENT, "a second unlink: ENOENT");
	mq_close(q);
	if (!failed)
		printf("ok: /dev/mqueue lists, reads and unlinks queues\n");
	return failed;
}
