/* dnotify: fcntl's F_NOTIFY on a folder. An event the mask names signals
 * the folder file's owner: SIGIO once without DN_MULTISHOT, or F_SETSIG's
 * signal with si_fd and si_code POLL_MSG every time with it; a second
 * F_NOTIFY adds its events to the first; a mask of
 * DN_MULTISHOT alone removes the watch, and a non-folder is ENOTDIR. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static char dir[64];

/* Waits up to 300 ms for sig: prints what came (or that nothing did). */
static void expect(const char *label, int sig, int dirfd)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	struct timespec wait = {0, 300000000};
	siginfo_t info;
	int got = sigtimedwait(&set, &info, &wait);
	if (got < 0) {
		printf("%s: no signal (%s)\n", label, errno_name(errno));
		return;
	}
	printf("%s: signal %s", label, got == SIGIO ? "SIGIO" : got == SIGRTMIN ? "SIGRTMIN" : "other");
	if (got == SIGRTMIN)
		printf(", si_code %d, si_fd is the folder %d, si_band %#lx", info.si_code, info.si_fd == dirfd,
		       (unsigned long)info.si_band);
	printf("\n");
}

static void touch(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	close(open(path, O_CREAT | O_WRONLY, 0644));
}

static void remove_file(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/dnotify-test-%d", (int)getpid());
	mkdir(dir, 0755);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGIO);
	sigaddset(&block, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &block, NULL);

	int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	printf("F_NOTIFY DN_CREATE: %s\n", fcntl(dirfd, F_NOTIFY, DN_CREATE) == 0 ? "OK" : errno_name(errno));
	printf("owner is me: %d\n", fcntl(dirfd, F_GETOWN) == getpid());
	touch("a");
	expect("create a", SIGIO, dirfd);
	touch("b");
	expect("create b, not multishot", SIGIO, dirfd);

	printf("F_SETSIG SIGRTMIN: %s\n", fcntl(dirfd, F_SETSIG, SIGRTMIN) == 0 ? "OK" : errno_name(errno));
	printf("F_NOTIFY create, delete, multishot: %s\n",
	       fcntl(dirfd, F_NOTIFY, DN_CREATE | DN_DELETE | DN_MULTISHOT) == 0 ? "OK" : errno_name(errno));
	touch("c");
	expect("create c", SIGRTMIN, dirfd);
	remove_file("c");
	expect("delete c", SIGRTMIN, dirfd);
	char path[128];
	snprintf(path, sizeof path, "%s/a", dir);
	int fd = open(path, O_WRONLY);
	write(fd, "x", 1);
	close(fd);
	expect("modify a, not asked for", SIGRTMIN, dirfd);
	printf("F_NOTIFY DN_MODIFY|DN_MULTISHOT: %s\n",
	       fcntl(dirfd, F_NOTIFY, DN_MODIFY | DN_MULTISHOT) == 0 ? "OK" : errno_name(errno));
	fd = open(path, O_WRONLY);
	write(fd, "x", 1);
	close(fd);
	expect("modify a", SIGRTMIN, dirfd);
	touch("d");
	expect("create d, still asked for: the masks add up", SIGRTMIN, dirfd);
	printf("F_NOTIFY DN_MULTISHOT alone: %s\n", fcntl(dirfd, F_NOTIFY, DN_MULTISHOT) == 0 ? "OK" : errno_name(errno));
	fd = open(path, O_WRONLY);
	write(fd, "x", 1);
	close(fd);
	expect("modify a after removal", SIGRTMIN, dirfd);

	fd = open(path, O_RDONLY);
	printf("F_NOTIFY on a file: %s\n", fcntl(fd, F_NOTIFY, DN_CREATE) == 0 ? "OK" : errno_name(errno));
	close(fd);
	close(dirfd);
	const char *names[] = {"a", "b", "d"};
	for (int i = 0; i < 3; i++)
		remove_file(names[i]);
	rmdir(dir);
	return 0;
}
