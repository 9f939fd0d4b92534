/* fork-cow: fork gives the child a copy-on-write copy of the parent's memory.
 * The child writes to a global, the heap, the stack and an 8 MiB buffer and
 * exits with a code; the parent's memory is unchanged and waitpid gives the
 * code. Also a grandchild, fork after fork, and a child that reads its copy. */
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define BIG (8u << 20)

static int global_value = 1111;
static char global_page[3 * 4096] = "global";

static void describe(const char *label, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", label, WTERMSIG(status));
	else
		printf("%s: status 0x%x\n", label, status);
}

static int wait_for(pid_t pid, const char *label)
{
	int status = -1;
	pid_t got = waitpid(pid, &status, 0);
	printf("%s: waitpid gave the child: %d\n", label, got == pid);
	describe(label, status);
	return status;
}

static unsigned long long sum_big(const unsigned char *big) { return fnv1a(FNV1A_INIT, big, BIG); }

/* The child writes everywhere and exits with a code saying what it saw. */
static void writes_everywhere(void)
{
	volatile int stack_value = 2222;
	int *heap = malloc(64 * sizeof(int));
	unsigned char *big = malloc(BIG);
	require(heap && big, "malloc");
	for (int i = 0; i < 64; i++)
		heap[i] = i;
	memset(big, 0x5a, BIG);
	unsigned long long before = sum_big(big);
	fflush(stdout);

	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		int saw = global_value == 1111 && stack_value == 2222 && heap[63] == 63 && big[BIG - 1] == 0x5a;
		global_value = 9999;
		strcpy(global_page + 4096, "child");
		stack_value = 8888;
		for (int i = 0; i < 64; i++)
			heap[i] = -i;
		memset(big, 0xa5, BIG);
		int wrote = global_value == 9999 && stack_value == 8888 && heap[63] == -63 && big[0] == 0xa5 &&
		            sum_big(big) != before;
		_exit(saw && wrote ? 42 : 1);
	}
	wait_for(pid, "writer");
	printf("global unchanged: %d\n", global_value == 1111);
	printf("global page unchanged: %d\n", global_page[4096] == 0 && strcmp(global_page, "global") == 0);
	printf("stack unchanged: %d\n", stack_value == 2222);
	int heap_ok = 1;
	for (int i = 0; i < 64; i++)
		heap_ok &= heap[i] == i;
	printf("heap unchanged: %d\n", heap_ok);
	printf("big buffer unchanged: %d\n", sum_big(big) == before);

	/* The parent writes after the fork: the child (still running) keeps its view. */
	int p[2];
	require(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		char c;
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(2);
		_exit(global_value == 1111 && big[12345] == 0x5a && heap[7] == 7 ? 7 : 3);
	}
	close(p[0]);
	global_value = 3333;
	big[12345] = 0;
	heap[7] = 0;
	require(write(p[1], "x", 1) == 1, "write");
	close(p[1]);
	wait_for(pid, "reader after the parent wrote");
	global_value = 1111;
	free(big);
	free(heap);
}

/* A child forks a grandchild; each level exits with its own code. */
static void grandchild(void)
{
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		global_value = 5;
		pid_t inner = fork();
		if (inner < 0)
			_exit(100);
		if (inner == 0) {
			global_value += 1;
			_exit(global_value == 6 ? 66 : 101);
		}
		int status;
		if (waitpid(inner, &status, 0) != inner || !WIFEXITED(status))
			_exit(102);
		/* Pass the grandchild's code up, plus whether our copy survived. */
		_exit(WEXITSTATUS(status) == 66 && global_value == 5 ? 55 : 103);
	}
	wait_for(pid, "child of a grandchild");
	printf("global after grandchild: %d\n", global_value);
}

/* Two forks in a row: four processes, each writing its own value. */
static void fork_after_fork(void)
{
	int p[2];
	require(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid_t a = fork();
	require(a >= 0, "fork");
	pid_t b = fork();
	if (b < 0)
		_exit(104);
	global_value = (a == 0 ? 1 : 0) + (b == 0 ? 2 : 0);
	if (a == 0 || b == 0) {
		unsigned char v = (unsigned char)global_value;
		if (write(p[1], &v, 1) != 1)
			_exit(105);
		if (b != 0) {
			int status;
			if (waitpid(b, &status, 0) != b || !WIFEXITED(status))
				_exit(106);
			_exit(10 + WEXITSTATUS(status));
		}
		_exit(20 + global_value);
	}
	close(p[1]);
	int status_a = -1, status_b = -1;
	waitpid(b, &status_b, 0);
	waitpid(a, &status_a, 0);
	describe("second fork's child", status_b);
	describe("first fork's child", status_a);
	unsigned char seen[8];
	int mask = 0;
	ssize_t n = read(p[0], seen, sizeof seen);
	for (ssize_t i = 0; i < n; i++)
		mask |= 1 << seen[i];
	printf("values written by the three children: %zd, mask 0x%x\n", n, mask);
	printf("parent's value: %d\n", global_value);
	close(p[0]);
	global_value = 1111;
}

int main(void)
{
	writes_everywhere();
	grandchild();
	fork_after_fork();
	int status;
	report("waitpid with no children left", waitpid(-1, &status, 0));
	return 0;
}
