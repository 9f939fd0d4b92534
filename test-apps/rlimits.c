/* rlimits: resource limits across fork and exec. RLIMIT_NOFILE set by the
 * parent is inherited by a child and by an exec'd program; setrlimit in the
 * child leaves the parent's alone; prlimit on the child's pid reads and sets
 * the child's limit; the soft limit is enforced (EMFILE past it); a soft limit
 * above the hard one is EINVAL, and prlimit of a reaped child ESRCH. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

static long soft_nofile(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) != 0)
		return -1;
	return (long)r.rlim_cur;
}

static int set_soft_nofile(long soft)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) != 0)
		return -1;
	r.rlim_cur = soft;
	return setrlimit(RLIMIT_NOFILE, &r);
}

static void read_byte(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		_exit(100);
}

/* dup until the limit: the highest descriptor reached and the error. */
static void fill_descriptors(const char *who)
{
	int highest = -1, fd;
	while ((fd = dup(0)) >= 0)
		if (fd > highest)
			highest = fd;
	printf("%s: highest descriptor %d, then %s\n", who, highest, errno_name(errno));
	for (int i = 3; i <= highest; i++)
		close(i);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		printf("exec'd program: NOFILE soft %ld\n", soft_nofile());
		return 0;
	}
	struct rlimit hard_before;
	require(getrlimit(RLIMIT_NOFILE, &hard_before) == 0, "getrlimit");
	report("parent sets NOFILE soft to 200", set_soft_nofile(200));

	int ready[2], release[2];
	require(pipe(ready) == 0 && pipe(release) == 0, "pipe");
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		int inherited = soft_nofile() == 200;
		int lowered = set_soft_nofile(100) == 0;
		if (write(ready[1], "r", 1) != 1)
			_exit(101);
		read_byte(release[0]); /* the parent reads and changes our limit meanwhile */
		int changed = soft_nofile() == 150;
		_exit(inherited * 4 + lowered * 2 + changed);
	}
	read_byte(ready[0]);
	printf("parent's soft limit after the child lowered its own: %ld\n", soft_nofile());
	struct rlimit seen, wanted;
	report("prlimit reads the child's", prlimit(pid, RLIMIT_NOFILE, NULL, &seen));
	printf("child's soft limit by prlimit: %ld\n", (long)seen.rlim_cur);
	printf("child's hard limit is ours: %d\n", seen.rlim_max == hard_before.rlim_max);
	wanted = seen;
	wanted.rlim_cur = 150;
	report("prlimit sets the child's", prlimit(pid, RLIMIT_NOFILE, &wanted, NULL));
	require(write(release[1], "g", 1) == 1, "write");
	printf("child exited %d (7: inherited, lowered, changed by prlimit)\n", wait_code(pid));
	report("prlimit of a reaped child", prlimit(pid, RLIMIT_NOFILE, NULL, &seen));
	close(ready[0]), close(ready[1]), close(release[0]), close(release[1]);

	/* The limit is enforced, in the parent and in a child that lowers it. */
	fill_descriptors("parent with 200");
	fflush(stdout);
	pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		set_soft_nofile(10);
		fill_descriptors("child with 10");
		fflush(stdout);
		_exit(0);
	}
	wait_code(pid);

	/* exec keeps limits. */
	fflush(stdout);
	pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		set_soft_nofile(77);
		char *args[] = {"rlimits", "exec", NULL};
		execve("/proc/self/exe", args, environ);
		_exit(127);
	}
	printf("exec'd child exited %d\n", wait_code(pid));

	struct rlimit bad = {.rlim_cur = 300, .rlim_max = 200};
	report("soft above hard", setrlimit(RLIMIT_NOFILE, &bad));
	report("prlimit of pid 0 (ourselves)", prlimit(0, RLIMIT_NOFILE, NULL, &seen));
	printf("our soft limit: %ld\n", (long)seen.rlim_cur);
	int no_such_resource = 99;
	report("getrlimit of resource 99", getrlimit(no_such_resource, &seen));
	return 0;
}
