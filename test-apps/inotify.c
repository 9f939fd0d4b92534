/* inotify: the events that creating, writing, reading, renaming and
 * unlinking files give to watches on a folder and on the files, in Linux's
 * order; rename cookies; merging of identical events; IN_ONESHOT,
 * IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK;
 * IN_IGNORED; the queue's overflow; readiness through poll, select and
 * epoll; FIONREAD; a blocking read woken by another process; and errors. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static char dir[64];
static int in; /* the instance most sections use */

/* A path in our folder, valid for the next three calls. */
static const char *at(const char *name)
{
	static char paths[4][128];
	static unsigned next;
	char *path = paths[next++ % 4];
	snprintf(path, sizeof paths[0], "%s/%s", dir, name);
	return path;
}

static void print_mask(uint32_t mask)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
	    {IN_ACCESS, "ACCESS"},
	    {IN_MODIFY, "MODIFY"},
	    {IN_ATTRIB, "ATTRIB"},
	    {IN_CLOSE_WRITE, "CLOSE_WRITE"},
	    {IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"},
	    {IN_OPEN, "OPEN"},
	    {IN_MOVED_FROM, "MOVED_FROM"},
	    {IN_MOVED_TO, "MOVED_TO"},
	    {IN_CREATE, "CREATE"},
	    {IN_DELETE, "DELETE"},
	    {IN_DELETE_SELF, "DELETE_SELF"},
	    {IN_MOVE_SELF, "MOVE_SELF"},
	    {IN_UNMOUNT, "UNMOUNT"},
	    {IN_Q_OVERFLOW, "Q_OVERFLOW"},
	    {IN_IGNORED, "IGNORED"},
	    {IN_ISDIR, "ISDIR"},
	};
	const char *sep = "";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (mask & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = "|";
			mask &= ~names[i].bit;
		}
	if (mask)
		printf("%s0x%x", sep, mask);
}

/* Reads whatever is queued (without blocking) and prints one line per
 * event: its watch, mask and name, and whether a move's cookie pairs. */
static void drain(const char *label)
{
	static uint32_t last_cookie;
	char buf[65536] __attribute__((aligned(8)));
	printf("%s:\n", label);
	struct pollfd p = {.fd = in, .events = POLLIN};
	while (poll(&p, 1, 0) == 1) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n <= 0) {
			printf("  read: %s\n", n < 0 ? errno_name(errno) : "0");
			return;
		}
		for (char *e = buf; e < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)e;
			printf("  wd %d ", ev->wd);
			print_mask(ev->mask);
			if (ev->len)
				printf(" \"%s\" (len %u)", ev->name, ev->len);
			if (ev->mask & IN_MOVED_FROM) {
				last_cookie = ev->cookie;
				printf(" cookie %s", ev->cookie ? "set" : "zero");
			} else if (ev->mask & IN_MOVED_TO) {
				printf(" cookie %s", ev->cookie && ev->cookie == last_cookie ? "paired" : "unpaired");
			} else if (ev->cookie) {
				printf(" cookie set");
			}
			printf("\n");
			e += sizeof *ev + ev->len;
		}
	}
}

static void write_file(const char *path, const char *text, int flags)
{
	int fd = open(path, O_WRONLY | flags, 0644);
	require(fd >= 0, "open for writing");
	require(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write");
	close(fd);
}

static int watch(const char *label, const char *path, uint32_t mask)
{
	int wd = inotify_add_watch(in, path, mask);
	if (wd < 0)
		printf("watch %s: %s\n", label, errno_name(errno));
	else
		printf("watch %s: wd %d\n", label, wd);
	return wd;
}

static void setup_and_errors(void)
{
	report("init1 with an unknown flag", inotify_init1(0x1234));
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	require(in >= 0, "inotify_init1");
	printf("FD_CLOEXEC: %d\n", (fcntl(in, F_GETFD) & FD_CLOEXEC) != 0);
	printf("O_NONBLOCK: %d\n", (fcntl(in, F_GETFL) & O_NONBLOCK) != 0);
	char buf[64];
	report("read of an empty queue", read(in, buf, sizeof buf));
	report("write", write(in, "x", 1));
	int plain = inotify_init();
	report("inotify_init", plain);
	close(plain);

	report("watch with an empty mask", inotify_add_watch(in, dir, 0));
	report("watch on a bad descriptor", inotify_add_watch(-1, dir, IN_ALL_EVENTS));
	int pipefd[2];
	require(pipe(pipefd) == 0, "pipe");
	report("watch on a pipe", inotify_add_watch(pipefd[0], dir, IN_ALL_EVENTS));
	report("rm_watch on a pipe", inotify_rm_watch(pipefd[0], 1));
	close(pipefd[0]);
	close(pipefd[1]);
	report("watch a missing path", inotify_add_watch(in, at("missing"), IN_ALL_EVENTS));
	write_file(at("plain"), "x", O_CREAT);
	report("IN_ONLYDIR on a file", inotify_add_watch(in, at("plain"), IN_ALL_EVENTS | IN_ONLYDIR));
	report("IN_MASK_ADD with IN_MASK_CREATE", inotify_add_watch(in, dir, IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
	report("rm_watch of an unknown wd", inotify_rm_watch(in, 12345));
	unlink(at("plain"));
}

/* A folder watched for everything: the life of one file in it. */
static void file_life(void)
{
	watch("folder", dir, IN_ALL_EVENTS | IN_ONLYDIR);
	watch("folder again (IN_MASK_CREATE)", dir, IN_ALL_EVENTS | IN_MASK_CREATE);
	int fd = open(at("a"), O_CREAT | O_WRONLY, 0644);
	require(fd >= 0, "create a");
	for (int i = 0; i < 3; i++)
		require(write(fd, "hello\n", 6) == 6, "write a");
	close(fd);
	drain("create, three writes, close");

	fd = open(at("a"), O_RDONLY);
	char buf[16];
	require(read(fd, buf, 4) == 4, "read a");
	require(read(fd, buf, 4) == 4, "read a");
	require(read(fd, buf, sizeof buf) > 0, "read a");
	require(read(fd, buf, sizeof buf) == 0, "read a at its end");
	close(fd);
	drain("open, reads, close");

	chmod(at("a"), 0600);
	chown(at("a"), 0, 0);
	chown(at("a"), -1, -1);
	setxattr(at("a"), "user.k", "v", 1, 0);
	drain("chmod, chown, chown -1 -1, setxattr");

	struct timespec both[2] = {{1, 0}, {2, 0}};
	struct timespec atime_only[2] = {{3, 0}, {0, UTIME_OMIT}};
	struct timespec mtime_only[2] = {{0, UTIME_OMIT}, {4, 0}};
	struct timespec neither[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
	utimensat(AT_FDCWD, at("a"), both, 0);
	utimensat(AT_FDCWD, at("a"), atime_only, 0);
	utimensat(AT_FDCWD, at("a"), mtime_only, 0);
	utimensat(AT_FDCWD, at("a"), neither, 0);
	drain("utimensat: both times, atime, mtime, neither");

	truncate(at("a"), 2);
	write_file(at("a"), "new\n", O_TRUNC);
	drain("truncate, then open with O_TRUNC and write");

	int file_wd = watch("file a", at("a"), IN_ALL_EVENTS);
	write_file(at("a"), "more\n", O_APPEND);
	drain("append with the file watched too");

	link(at("a"), at("hard"));
	unlink(at("hard"));
	drain("link and unlink a second name");

	rename(at("a"), at("b"));
	drain("rename a to b");

	mkdir(at("sub"), 0755);
	int sub_wd = watch("sub", at("sub"), IN_ALL_EVENTS);
	rename(at("b"), at("sub/c"));
	drain("rename b to sub/c");
	printf("watches: file %d, sub %d\n", file_wd, sub_wd);

	write_file(at("other"), "o", O_CREAT);
	watch("file other", at("other"), IN_ALL_EVENTS);
	rename(at("sub/c"), at("other"));
	drain("rename sub/c over the watched file other");

	unlink(at("other"));
	drain("unlink other");

	rename(at("sub"), at("sub2"));
	rmdir(at("sub2"));
	drain("rename and rmdir the watched subfolder");
}

/* A file unlinked while open goes at its last close; a folder watch with
 * IN_EXCL_UNLINK no longer hears of it once unlinked. */
static void unlinked_while_open(void)
{
	int excl = inotify_add_watch(in, dir, IN_ALL_EVENTS | IN_EXCL_UNLINK);
	printf("folder with IN_EXCL_UNLINK: wd %d\n", excl);
	int fd = open(at("open"), O_CREAT | O_RDWR, 0644);
	watch("file open", at("open"), IN_ALL_EVENTS);
	unlink(at("open"));
	require(write(fd, "x", 1) == 1, "write to the unlinked file");
	drain("unlink while open, then write");
	close(fd);
	drain("last close");
}

static void watch_flags(void)
{
	write_file(at("f"), "", O_CREAT);
	drain("create f");
	inotify_rm_watch(in, 1);
	drain("rm_watch of the folder");

	int wd = watch("f oneshot", at("f"), IN_MODIFY | IN_ONESHOT);
	write_file(at("f"), "1", 0);
	write_file(at("f"), "2", 0);
	drain("two writes under IN_ONESHOT");
	report("rm_watch of the oneshot watch", inotify_rm_watch(in, wd));

	wd = watch("f for IN_ACCESS", at("f"), IN_ACCESS);
	watch("f IN_MODIFY with IN_MASK_ADD", at("f"), IN_MODIFY | IN_MASK_ADD);
	int fd = open(at("f"), O_RDWR);
	char c;
	require(read(fd, &c, 1) == 1, "read f");
	require(write(fd, "3", 1) == 1, "write f");
	drain("read and write with both");
	watch("f IN_OPEN alone", at("f"), IN_OPEN);
	require(pread(fd, &c, 1, 0) == 1, "pread f");
	close(fd);
	close(open(at("f"), O_RDONLY));
	drain("read, close, open with the mask replaced");
	inotify_rm_watch(in, wd);
	drain("rm_watch");

	symlink("f", at("link"));
	watch("link itself (IN_DONT_FOLLOW)", at("link"), IN_ALL_EVENTS | IN_DONT_FOLLOW);
	write_file(at("link"), "4", 0);
	lchown(at("link"), 0, 0);
	drain("write through the link, lchown the link");
	unlink(at("link"));
	drain("unlink the link");
}

/* Readiness and FIONREAD, and a blocking read that another process ends. */
static void readiness(void)
{
	struct pollfd p = {.fd = in, .events = POLLIN | POLLOUT};
	printf("poll on an empty queue: %d\n", poll(&p, 1, 0));
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7}, out;
	report("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev));
	printf("epoll_wait on an empty queue: %d\n", epoll_wait(ep, &out, 1, 0));

	watch("f", at("f"), IN_MODIFY | IN_CLOSE_WRITE);
	write_file(at("f"), "5", 0);
	int ready = poll(&p, 1, 0);
	printf("poll: %d revents 0x%x\n", ready, p.revents);
	int n = epoll_wait(ep, &out, 1, 0);
	printf("epoll_wait: %d events 0x%x data %u\n", n, out.events, out.data.u32);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(in, &r);
	struct timeval zero = {0, 0};
	ready = select(in + 1, &r, NULL, NULL, &zero);
	printf("select: %d readable %d\n", ready, FD_ISSET(in, &r));
	int queued = -1;
	report("FIONREAD", ioctl(in, FIONREAD, &queued));
	printf("FIONREAD: %d\n", queued);
	char small[8];
	report("read into 8 bytes", read(in, small, sizeof small));
	drain("the queue");
	close(ep);

	/* A blocking instance, woken by a child's write. */
	int blocking = inotify_init();
	inotify_add_watch(blocking, at("f"), IN_MODIFY);
	pid_t child = fork();
	if (child == 0) {
		struct timespec pause = {0, 100 * 1000 * 1000};
		nanosleep(&pause, NULL);
		write_file(at("f"), "6", 0);
		_exit(0);
	}
	char buf[256] __attribute__((aligned(8)));
	ssize_t got = read(blocking, buf, sizeof buf);
	struct inotify_event *e = (struct inotify_event *)buf;
	printf("blocking read: %zd bytes, wd %d mask ", got, e->wd);
	print_mask(e->mask);
	printf("\n");
	waitpid(child, NULL, 0);
	close(blocking);
}

/* Past max_queued_events, one IN_Q_OVERFLOW and nothing more until read. */
static void overflow(void)
{
	int fd = open(at("f"), O_RDWR);
	int wd = watch("f for writes and reads", at("f"), IN_MODIFY | IN_ACCESS);
	char c;
	for (int i = 0; i < 9000; i++) {
		require(pwrite(fd, "x", 1, 0) == 1, "pwrite");
		require(pread(fd, &c, 1, 0) == 1, "pread");
	}
	int queued = 0;
	ioctl(in, FIONREAD, &queued);
	printf("FIONREAD after 18000 events: %d\n", queued);
	char buf[65536] __attribute__((aligned(8)));
	long events = 0, modify = 0, access = 0, overflows = 0, last_wd = 0;
	uint32_t last_mask = 0;
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		for (char *e = buf; e < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)e;
			events++;
			modify += ev->mask == IN_MODIFY;
			access += ev->mask == IN_ACCESS;
			overflows += ev->mask == IN_Q_OVERFLOW;
			last_wd = ev->wd;
			last_mask = ev->mask;
			e += sizeof *ev + ev->len;
		}
	printf("read: %ld events, %ld IN_MODIFY, %ld IN_ACCESS, %ld IN_Q_OVERFLOW; the last: wd %ld mask ", events,
	       modify, access, overflows, last_wd);
	print_mask(last_mask);
	printf("\n");
	require(pwrite(fd, "y", 1, 0) == 1, "pwrite");
	drain("a write after the queue drained");
	inotify_rm_watch(in, wd);
	close(fd);
	drain("rm_watch");
	FILE *max = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
	int limit = 0;
	if (max && fscanf(max, "%d", &limit) == 1)
		printf("max_queued_events: %d\n", limit);
	if (max)
		fclose(max);
}

/* A user holds at most max_user_instances instances: the next is EMFILE.
 * (Natively other root processes hold some too, so only the error shows.) */
static void user_instance_limit(void)
{
	int fds[300], n = 0, err = 0;
	while (n < 300) {
		int fd = inotify_init1(IN_CLOEXEC);
		if (fd < 0) {
			err = errno;
			break;
		}
		fds[n++] = fd;
	}
	printf("instances until the limit: %s\n", errno_name(err));
	while (n > 0)
		close(fds[--n]);
	int fd = inotify_init1(0);
	printf("after closing them: %s\n", fd >= 0 ? "OK" : errno_name(errno));
	close(fd);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/inotify-test-XXXXXX");
	require(mkdtemp(dir) != NULL, "mkdtemp");
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup_and_errors();
	file_life();
	unlinked_while_open();
	watch_flags();
	readiness();
	overflow();
	unlink(at("f"));
	drain("unlink f (no watch left on it)");
	report("rmdir", rmdir(dir));
	drain("rmdir of the folder");
	close(in);
	user_instance_limit();
	return 0;
}
