/* Runs a command with its stdout on /dev/null and prints how long it took
 * by the clock of whatever runs it (the VM's own, in a VM), so that a row
 * times the work and not the boot: "elapsed_ms=N status=S". The parallel
 * rows (bench/smp.py) run their work through it in sole, in the Linux guest
 * and natively alike. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: timed-run COMMAND [ARGS...]\n");
		return 2;
	}
	double start = now_ms();
	pid_t pid = fork();
	if (pid < 0) {
		perror("timed-run: fork");
		return 1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0) {
			perror("timed-run: /dev/null");
			_exit(126);
		}
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		perror("timed-run: waitpid");
		return 1;
	}
	double elapsed = now_ms() - start;
	printf("elapsed_ms=%.1f status=%d\n", elapsed,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
