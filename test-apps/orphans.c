/* orphans: when a process dies, its children are re-parented to the nearest
 * subreaper (PR_SET_CHILD_SUBREAPER) or init. The test makes itself a
 * subreaper (natively it is not pid 1), so an orphaned grandchild's getppid()
 * becomes the test's pid and the test can wait for it. PR_SET_PDEATHSIG sends
 * a signal to a grandchild when its parent dies, and fork clears it. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static pid_t test_pid;

static void describe(const char *label, pid_t got, const int *statusp)
{
	int status = *statusp;
	if (got < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", label, WTERMSIG(status));
}

static void read_byte(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		_exit(100);
}

/* The child forks a grandchild and exits; the grandchild waits until told,
 * then exits 30 if its parent is the test, 31 otherwise. */
static void reparented(void)
{
	int go[2];
	require(pipe(go) == 0, "pipe");
	fflush(stdout);
	pid_t child = fork();
	require(child >= 0, "fork");
	if (child == 0) {
		pid_t grandchild = fork();
		if (grandchild < 0)
			_exit(101);
		if (grandchild == 0) {
			close(go[1]);
			read_byte(go[0]);
			_exit(getppid() == test_pid ? 30 : 31);
		}
		_exit(20);
	}
	close(go[0]);
	int status = -1;
	describe("the child", waitpid(child, &status, 0), &status);
	/* The child is reaped, so the grandchild already belongs to the test. */
	require(write(go[1], "x", 1) == 1, "write");
	close(go[1]);
	status = -1;
	pid_t got = waitpid(-1, &status, 0);
	describe("the orphan, reaped by the test", got, &status);
	printf("the orphan was not the child: %d\n", got != child);
	report("no children left", waitpid(-1, &status, WNOHANG));
}

/* Three levels: the middle two exit, the last orphan still comes to the test. */
static void deep_orphans(void)
{
	int go[2];
	require(pipe(go) == 0, "pipe");
	fflush(stdout);
	pid_t child = fork();
	require(child >= 0, "fork");
	if (child == 0) {
		for (int level = 0; level < 3; level++) {
			pid_t next = fork();
			if (next < 0)
				_exit(102);
			if (next > 0)
				_exit(level); /* each parent leaves at once */
		}
		close(go[1]);
		read_byte(go[0]);
		_exit(getppid() == test_pid ? 40 : 41);
	}
	close(go[0]);
	/* The test reaps the child and the two orphaned middle processes: exit codes 0, 1, 2. */
	int codes = 0, status;
	for (int i = 0; i < 3; i++) {
		if (waitpid(-1, &status, 0) > 0 && WIFEXITED(status))
			codes |= 1 << WEXITSTATUS(status);
	}
	printf("middle processes' codes: 0x%x\n", codes);
	require(write(go[1], "x", 1) == 1, "write");
	close(go[1]);
	status = -1;
	describe("the last orphan", waitpid(-1, &status, 0), &status);
}

/* The grandchild asks for SIGUSR1 when its parent dies, and its parent dies. */
static void pdeathsig(void)
{
	int ready[2];
	require(pipe(ready) == 0, "pipe");
	fflush(stdout);
	pid_t child = fork();
	require(child >= 0, "fork");
	if (child == 0) {
		pid_t grandchild = fork();
		if (grandchild < 0)
			_exit(103);
		if (grandchild == 0) {
			close(ready[0]);
			if (prctl(PR_SET_PDEATHSIG, SIGUSR1) != 0)
				_exit(104);
			int sig = 0;
			prctl(PR_GET_PDEATHSIG, &sig);
			if (sig != SIGUSR1)
				_exit(105);
			require(write(ready[1], "r", 1) == 1, "write");
			for (;;)
				pause(); /* SIGUSR1's default action ends it */
		}
		close(ready[1]);
		read_byte(ready[0]);
		_exit(50);
	}
	close(ready[1]);
	int status = -1;
	describe("the dying parent", waitpid(child, &status, 0), &status);
	status = -1;
	describe("the grandchild with PDEATHSIG", waitpid(-1, &status, 0), &status);
	close(ready[0]);
}

/* PR_GET_PDEATHSIG in a child of a process that set it: fork clears it. */
static void pdeathsig_not_inherited(void)
{
	fflush(stdout);
	pid_t child = fork();
	require(child >= 0, "fork");
	if (child == 0) {
		int sig = 0;
		prctl(PR_SET_PDEATHSIG, SIGUSR2);
		prctl(PR_GET_PDEATHSIG, &sig);
		pid_t inner = fork();
		if (inner == 0) {
			int inner_sig = -1;
			prctl(PR_GET_PDEATHSIG, &inner_sig);
			_exit(inner_sig);
		}
		int status;
		if (inner < 0 || waitpid(inner, &status, 0) != inner || !WIFEXITED(status))
			_exit(106);
		_exit(sig == SIGUSR2 && WEXITSTATUS(status) == 0 ? 60 : 61);
	}
	int status = -1;
	describe("pdeathsig set in a child, clear in its child", waitpid(child, &status, 0), &status);
	report("PR_SET_PDEATHSIG with a bad signal", prctl(PR_SET_PDEATHSIG, 65));
}

int main(void)
{
	test_pid = getpid();
	report("PR_SET_CHILD_SUBREAPER", prctl(PR_SET_CHILD_SUBREAPER, 1));
	int is_subreaper = -1;
	report("PR_GET_CHILD_SUBREAPER", prctl(PR_GET_CHILD_SUBREAPER, &is_subreaper));
	printf("subreaper: %d\n", is_subreaper);
	reparented();
	deep_orphans();
	pdeathsig();
	pdeathsig_not_inherited();
	return 0;
}
