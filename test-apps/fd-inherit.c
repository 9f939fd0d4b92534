/* fd-inherit: descriptors across fork and exec. A file inherited over fork
 * shares its offset and status flags with the parent (lseek or read in the
 * child moves the parent's offset), but not its descriptor flags, and the
 * child's close leaves the parent's open; a fresh open is independent. After
 * exec, O_CLOEXEC, F_SETFD FD_CLOEXEC, dup3 O_CLOEXEC and pipe2 O_CLOEXEC
 * descriptors are closed (EBADF) and the others stay, offset included.
 * /proc/self/fdinfo shows each descriptor's offset and flags (O_LARGEFILE
 * on every open, O_CLOEXEC when set), as F_GETFL does the status flags. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

static char path[64];

/* Prints the pos and flags lines of /proc/self/fdinfo/fd. */
static void show_fdinfo(const char *what, int fd)
{
	char name[64], line[128];
	snprintf(name, sizeof name, "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(name, "r");
	require(f != NULL, "open fdinfo");
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "pos:", 4) == 0 || strncmp(line, "flags:", 6) == 0)
			printf("%s fdinfo %s", what, line);
	fclose(f);
	printf("%s F_GETFL 0%o\n", what, (unsigned)fcntl(fd, F_GETFL));
}

static void fdinfo(void)
{
	int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	require(fd >= 0, "open");
	require(write(fd, "0123456789", 10) == 10, "write");
	show_fdinfo("file", fd);
	lseek(fd, 4, SEEK_SET);
	show_fdinfo("file after lseek", fd);
	int pipe_ends[2];
	require(pipe2(pipe_ends, O_NONBLOCK) == 0, "pipe2");
	show_fdinfo("pipe read end", pipe_ends[0]);
	show_fdinfo("pipe write end", pipe_ends[1]);
	char missing[64];
	snprintf(missing, sizeof missing, "/proc/self/fdinfo/%d", pipe_ends[1] + 10);
	printf("fdinfo of a closed descriptor: %s\n", access(missing, F_OK) == 0 ? "exists" : "ENOENT");
	close(pipe_ends[0]);
	close(pipe_ends[1]);
	close(fd);
	unlink(path);
}

static void shared_offset(void)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	require(fd >= 0, "open");
	char text[100];
	for (int i = 0; i < 100; i++)
		text[i] = 'a' + i % 26;
	require(write(fd, text, 100) == 100, "write");
	lseek(fd, 10, SEEK_SET);
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		int ok = lseek(fd, 0, SEEK_CUR) == 10;
		lseek(fd, 50, SEEK_SET);
		char buf[5];
		ok &= read(fd, buf, 5) == 5 && memcmp(buf, text + 50, 5) == 0;
		/* Descriptor flags are per process, status flags are shared. */
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		fcntl(fd, F_SETFL, O_APPEND);
		/* Our own open of the same file has its own offset. */
		int again = open(path, O_RDONLY);
		ok &= again >= 0 && read(again, buf, 5) == 5 && memcmp(buf, text, 5) == 0;
		close(again);
		close(fd);
		_exit(ok ? 5 : 6);
	}
	printf("child exited %d\n", wait_code(pid));
	printf("parent's offset after the child's lseek and read: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	printf("parent's fd still open after the child closed it: %d\n", fcntl(fd, F_GETFD) >= 0);
	printf("parent's FD_CLOEXEC unchanged: %d\n", fcntl(fd, F_GETFD) == 0);
	printf("parent sees the child's O_APPEND: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
	close(fd);
}

static void shared_pipe(void)
{
	int p[2];
	require(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		close(p[0]);
		fcntl(p[1], F_SETFL, O_NONBLOCK);
		_exit(write(p[1], "through the pipe", 16) == 16 ? 7 : 8);
	}
	int code = wait_code(pid);
	printf("pipe writer exited %d, parent's write end nonblocking: %d\n", code,
	       (fcntl(p[1], F_GETFL) & O_NONBLOCK) != 0);
	close(p[1]);
	char buf[32] = "";
	ssize_t n = read(p[0], buf, sizeof buf - 1);
	printf("read %zd: %s\n", n, n > 0 ? buf : "");
	report_value("then EOF", read(p[0], buf, sizeof buf));
	close(p[0]);
}

/* Child mode: argv[2..] are "name=fd"; report each descriptor's state. */
static int check_mode(int argc, char **argv)
{
	int kept = atoi(strchr(argv[2], '=') + 1);
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		int fd = atoi(eq + 1);
		*eq = 0;
		int flags = fcntl(fd, F_GETFD);
		if (flags < 0)
			printf("after exec: %s: %s\n", argv[i], errno_name(errno));
		else
			printf("after exec: %s: open, FD_CLOEXEC %d\n", argv[i], flags & FD_CLOEXEC);
	}
	/* The kept file continues at the parent's offset. */
	char buf[4] = "";
	if (read(kept, buf, 3) == 3)
		printf("after exec: read at the inherited offset: %s\n", buf);
	return 0;
}

static void across_exec(void)
{
	int keep = open(path, O_RDONLY);
	int cloexec = open(path, O_RDONLY | O_CLOEXEC);
	int setfd = open(path, O_RDONLY);
	int dup3_fd = dup3(keep, 20, O_CLOEXEC);
	int pipes[2];
	require(keep >= 0 && cloexec >= 0 && setfd >= 0 && dup3_fd == 20, "open");
	require(pipe2(pipes, O_CLOEXEC) == 0, "pipe2");
	fcntl(setfd, F_SETFD, FD_CLOEXEC);
	int unset = dup(pipes[1]); /* dup clears FD_CLOEXEC */
	lseek(keep, 23, SEEK_SET);
	char args[6][32];
	snprintf(args[0], 32, "kept=%d", keep);
	snprintf(args[1], 32, "O_CLOEXEC=%d", cloexec);
	snprintf(args[2], 32, "F_SETFD=%d", setfd);
	snprintf(args[3], 32, "dup3=%d", dup3_fd);
	snprintf(args[4], 32, "pipe2=%d", pipes[0]);
	snprintf(args[5], 32, "dup-of-pipe2=%d", unset);
	char *argv[] = {"fd-inherit", "check", args[0], args[1], args[2], args[3], args[4], args[5], NULL};
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		execve("/proc/self/exe", argv, environ);
		_exit(127);
	}
	printf("exec'd child exited %d\n", wait_code(pid));
	printf("parent's offset after the child read: %ld\n", (long)lseek(keep, 0, SEEK_CUR));
	close(keep), close(cloexec), close(setfd), close(dup3_fd), close(pipes[0]), close(pipes[1]), close(unset);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "check") == 0)
		return check_mode(argc, argv);
	snprintf(path, sizeof path, "/tmp/fd-inherit-%d", (int)getpid());
	fdinfo();
	shared_offset();
	shared_pipe();
	across_exec();
	unlink(path);
	return 0;
}
