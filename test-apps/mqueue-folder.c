/* mqueue-folder: /dev/mqueue as Linux's mqueue file system shows the
 * queues, checked inside sole only (the host has no /dev/mqueue mounted to
 * compare with): a named queue is a file there with its owner, mode and
 * size 80, reading as its status line and opening as the queue;
 * open(O_CREAT) makes a queue with the default sizes; unlinking the file is
 * mq_unlink; no folder can be made there. Exits 1 at the first difference. */
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
	int entry = open("/dev/mqueue/folder-q", O_RDWR);
	check(entry >= 0, "open the queue's entry for reading and writing");
	check(mq_send((mqd_t)entry, "by entry", 8, 2) == 0, "mq_send through the entry's descriptor");
	check(mq_receive(q, status, sizeof status, NULL) == 8, "mq_receive gets it from the queue");
	close(entry);
	mode_t old_mask = umask(022);
	int made = open("/dev/mqueue/by-open", O_CREAT | O_EXCL | O_RDWR, 0666);
	umask(old_mask);
	check(made >= 0, "open(O_CREAT) makes a queue");
	check(listed("by-open"), "the new queue is listed");
	check(stat("/dev/mqueue/by-open", &st) == 0 && (st.st_mode & 0777) == 0644, "with the mode less the umask");
	struct mq_attr made_attr;
	check(mq_getattr((mqd_t)made, &made_attr) == 0 && made_attr.mq_maxmsg == 10 && made_attr.mq_msgsize == 8192,
	      "and the default sizes");
	static char message[8192]; /* a receive's buffer holds the queue's longest message */
	check(mq_send((mqd_t)made, "x", 1, 0) == 0 && mq_receive((mqd_t)made, message, sizeof message, NULL) == 1,
	      "a message through it");
	check(open("/dev/mqueue/by-open", O_CREAT | O_EXCL | O_RDWR, 0600) < 0 && errno == EEXIST,
	      "O_EXCL on an existing queue: EEXIST");
	close(made);
	check(mq_unlink("/by-open") == 0, "mq_unlink the queue open made");
	check(mkdir("/dev/mqueue/dir", 0700) < 0 && errno == EPERM, "no folder made there (EPERM)");
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
