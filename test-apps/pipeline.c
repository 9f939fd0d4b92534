/* pipeline: three processes joined by pipes, producer | filter | consumer,
 * each /proc/self/exe exec'd in its own mode with the pipe ends on stdin and
 * stdout. EOF travels down the line as each writer exits, and the totals
 * match. A second line whose reader quits early ends its writer by SIGPIPE. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

#define NUMBERS 20000

/* Modes, run after exec with stdin and stdout on pipes. */
static int produce(void)
{
	for (int i = 1; i <= NUMBERS; i++)
		printf("%d\n", i);
	return 0;
}

static int filter(void)
{
	char line[64];
	int kept = 0;
	while (fgets(line, sizeof line, stdin)) {
		long n = atol(line);
		if (n % 3 == 0) {
			printf("%ld\n", n * 2);
			kept++;
		}
	}
	return kept % 256 == NUMBERS / 3 % 256 ? 0 : 1;
}

static int consume(void)
{
	char line[64];
	long long sum = 0;
	long lines = 0;
	while (fgets(line, sizeof line, stdin)) {
		sum += atol(line);
		lines++;
	}
	printf("consumer: %ld lines, sum %lld\n", lines, sum);
	return 0;
}

static int head(void)
{
	char line[64];
	for (int i = 0; i < 10 && fgets(line, sizeof line, stdin); i++)
		;
	return 3;
}

static int flood(void)
{
	signal(SIGPIPE, SIG_DFL);
	char chunk[4096];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 256; i++)
		if (write(1, chunk, sizeof chunk) < 0)
			return 50;
	return 0;
}

/* Start /proc/self/exe in mode with stdin and stdout on the given fds (-1: keep). */
static pid_t start(const char *mode, int in, int out)
{
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		if ((in >= 0 && dup2(in, 0) != 0) || (out >= 0 && dup2(out, 1) != 1))
			_exit(120);
		/* Close every pipe end; only 0 and 1 stay. */
		for (int fd = 3; fd < 32; fd++)
			close(fd);
		char *argv[] = {"pipeline", (char *)mode, NULL};
		execve("/proc/self/exe", argv, environ);
		_exit(121);
	}
	return pid;
}

static void three_stages(void)
{
	int a[2], b[2];
	require(pipe(a) == 0 && pipe(b) == 0, "pipe");
	pid_t producer = start("produce", -1, a[1]);
	pid_t filterer = start("filter", a[0], b[1]);
	pid_t consumer = start("consume", b[0], -1);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	int codes[3] = {wait_code(producer), wait_code(filterer), wait_code(consumer)};
	printf("exit codes: producer %d, filter %d, consumer %d\n", codes[0], codes[1], codes[2]);
	long long expected = 0;
	for (long i = 3; i <= NUMBERS; i += 3)
		expected += 2 * i;
	printf("expected sum %lld\n", expected);
}

static void early_reader_exit(void)
{
	int a[2];
	require(pipe(a) == 0, "pipe");
	pid_t writer = start("flood", -1, a[1]);
	pid_t reader = start("head", a[0], -1);
	close(a[0]), close(a[1]);
	int reader_code = wait_code(reader);
	int writer_code = wait_code(writer);
	printf("reader that quits early exited %d, writer ended with %d (141 = SIGPIPE)\n", reader_code, writer_code);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		const char *mode = argv[1];
		if (strcmp(mode, "produce") == 0)
			return produce();
		if (strcmp(mode, "filter") == 0)
			return filter();
		if (strcmp(mode, "consume") == 0)
			return consume();
		if (strcmp(mode, "head") == 0)
			return head();
		if (strcmp(mode, "flood") == 0)
			return flood();
		return 99;
	}
	three_stages();
	early_reader_exit();
	return 0;
}
