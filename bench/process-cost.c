/* process-cost: what creating a process costs, measured with the TSC.
 *
 *   process-cost HELLO [ITERATIONS [BIG_FORKS [TOUCH_MB]]]   (defaults 1000, 50 and 256)
 *
 * Five loops, each timed by rdtsc around the whole loop; every child is
 * reaped by waitpid and must have exited 0:
 *   fork-exit-wait    fork, the child _exit(0)s                       ITERATIONS
 *   vfork-exec-hello  vfork, the child execve()s HELLO (a static      ITERATIONS
 *                     hello, such as the build's hello-musl-static)
 *   posix-spawn-true  posix_spawn of /bin/busybox as `true` (static)  ITERATIONS
 *   sh-c-true         posix_spawn of /bin/sh -c true                  ITERATIONS
 *   fork-256m         fork-exit-wait from a process that has written  BIG_FORKS
 *                     one byte to each page of TOUCH_MB MB of
 *                     anonymous memory (the name says TOUCH_MB)
 * Each loop runs once untimed first (QEMU translates the code it has not run
 * yet). The children's stdout is /dev/null. The TSC is calibrated against
 * CLOCK_MONOTONIC over the whole run (tsc_timer.h). One line per loop:
 *   NAME ns=NS cycles=CYCLES calls=N
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tsc_timer.h"

#define TRUE_PATH "/bin/busybox"
#define SHELL_PATH "/bin/sh"
#define PAGE 4096

extern char **environ;

static void reap(pid_t pid, const char *what)
{
	int status;
	if (pid < 0)
		fail(what);
	if (waitpid(pid, &status, 0) != pid)
		fail("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "process-cost: %s: the child ended with wait status %#x, not exit 0\n", what, status);
		exit(1);
	}
}

static void fork_exit_wait(const void *unused)
{
	(void)unused;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	reap(pid, "fork");
}

static void vfork_exec(const void *path)
{
	char *argv[] = {(char *)path, NULL};
	pid_t pid = vfork();
	if (pid == 0) {
		execve(path, argv, environ);
		_exit(127);
	}
	reap(pid, "vfork + execve");
}

static void spawn(const char *path, char *const argv[])
{
	pid_t pid;
	int error = posix_spawn(&pid, path, NULL, NULL, argv, environ);
	if (error != 0) {
		fprintf(stderr, "process-cost: posix_spawn: error %d\n", error);
		exit(1);
	}
	reap(pid, "posix_spawn");
}

static void spawn_true(const void *unused)
{
	/* busybox picks its applet by argv[0]. */
	static char *argv[] = {"true", NULL};
	(void)unused;
	spawn(TRUE_PATH, argv);
}

static void spawn_shell(const void *unused)
{
	static char *argv[] = {SHELL_PATH, "-c", "true", NULL};
	(void)unused;
	spawn(SHELL_PATH, argv);
}

static struct loop_result time_loop(const char *name, void (*once)(const void *), const void *arg, long calls)
{
	once(arg);
	uint64_t start = __rdtsc();
	for (long i = 0; i < calls; i++)
		once(arg);
	return (struct loop_result){name, __rdtsc() - start, calls};
}

/* TOUCH_MB MB of anonymous memory, one byte written to each page. */
static void touch_memory(long touch_mb)
{
	size_t bytes = (size_t)touch_mb << 20;
	char *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (memory == MAP_FAILED)
		fail("mmap of the memory to touch");
	for (size_t offset = 0; offset < bytes; offset += PAGE)
		memory[offset] = 1;
}

int main(int argc, char **argv)
{
	long iterations = argc > 2 ? atol(argv[2]) : 1000;
	long big_forks = argc > 3 ? atol(argv[3]) : 50;
	long touch_mb = argc > 4 ? atol(argv[4]) : 256;
	if (argc < 2 || argc > 5 || iterations <= 0 || big_forks <= 0 || touch_mb <= 0) {
		fprintf(stderr, "usage: process-cost HELLO [ITERATIONS [BIG_FORKS [TOUCH_MB]]] (numbers > 0)\n");
		return 2;
	}
	const char *hello = argv[1];

	/* The children write to /dev/null: a console is slow under QEMU. */
	fflush(stdout);
	int saved_stdout = dup(STDOUT_FILENO);
	int null = open("/dev/null", O_WRONLY);
	if (saved_stdout < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0)
		fail("/dev/null as stdout");
	close(null);

	static char big_name[32];
	snprintf(big_name, sizeof big_name, "fork-%ldm", touch_mb);
	struct tsc_calibration calibration = tsc_calibration_start();
	struct loop_result results[5];
	results[0] = time_loop("fork-exit-wait", fork_exit_wait, NULL, iterations);
	results[1] = time_loop("vfork-exec-hello", vfork_exec, hello, iterations);
	results[2] = time_loop("posix-spawn-true", spawn_true, NULL, iterations);
	results[3] = time_loop("sh-c-true", spawn_shell, NULL, iterations);
	touch_memory(touch_mb);
	results[4] = time_loop(big_name, fork_exit_wait, NULL, big_forks);
	double ns_per_cycle = tsc_ns_per_cycle(calibration);

	if (dup2(saved_stdout, STDOUT_FILENO) < 0)
		fail("restoring stdout");
	tsc_print(results, sizeof results / sizeof results[0], ns_per_cycle);
	return 0;
}
