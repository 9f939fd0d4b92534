/* Address-space exhaustion gives ENOMEM or EAGAIN at once, as on Linux, and
 * never a hang: with every free address reserved by PROT_NONE mappings and
 * RLIMIT_DATA at 0, malloc returns NULL, pthread_create EAGAIN and setenv -1.
 *
 *     memory-exhaustion            the address-space cases (natively and in sole)
 *     memory-exhaustion touch      touch anonymous pages until the memory runs
 *                                  out (sole only: natively it would bring the
 *                                  host's OOM killer); the kernel must kill the
 *                                  app rather than hang
 *
 * Each case runs in a child of its own that reports on a pipe with write(2)
 * (stdio would need the malloc that fails); a case that does not end within
 * CASE_SECONDS is reported as a hang. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "common.h"

enum { CASE_SECONDS = 20 };

static int report_fd;
static void *volatile last_block; /* keeps the compiler from dropping malloc calls */

static void say(const char *text)
{
	(void)!write(report_fd, text, strlen(text));
}

/* Every free range of the address space as PROT_NONE, a GiB at a time (about
 * 130,000 calls, which must not each take longer than the last), then in
 * halves down to a page. */
static void reserve_address_space(void)
{
	for (size_t size = (size_t)1 << 30; size >= 4096;)
		if (mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) == MAP_FAILED)
			size /= 2;
}

static void exhaust(void)
{
	reserve_address_space();
	struct rlimit none = {0, 0};
	if (setrlimit(RLIMIT_DATA, &none) != 0)
		say("setrlimit failed ");
}

static void malloc_until_null(void)
{
	exhaust();
	errno = 0;
	while ((last_block = malloc(64)))
		;
	say("NULL, ");
	say(errno_name(errno));
	last_block = malloc(1 << 20);
	say(last_block || errno != ENOMEM ? ", big one not NULL" : ", big one NULL");
}

static void *thread_body(void *arg)
{
	return arg;
}

static void pthread_create_exhausted(void)
{
	exhaust();
	pthread_t thread;
	int err = pthread_create(&thread, NULL, thread_body, NULL);
	say(err == 0 ? "created" : errno_name(err));
}

static void setenv_exhausted(void)
{
	exhaust();
	/* Take what the allocator still holds, so setenv must ask for more. */
	while ((last_block = malloc(64)))
		;
	errno = 0;
	int ret = setenv("SOLE_EXHAUSTION_TEST", "a value long enough to need memory", 1);
	say(ret == 0 ? "set" : ret == -1 && errno == ENOMEM ? "-1, ENOMEM" : "-1, not ENOMEM");
}

/* Anonymous pages written one after another; only death ends it. */
static void touch_until_killed(void)
{
	for (;;) {
		char *chunk = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (chunk == MAP_FAILED) {
			say("mmap failed");
			return;
		}
		for (int i = 0; i < 1 << 20; i += 4096)
			chunk[i] = 1;
	}
}

static void run_case(const char *label, void (*body)(void))
{
	int fds[2];
	require(pipe(fds) == 0, "pipe");
	fflush(stdout);
	pid_t child = fork();
	require(child >= 0, "fork");
	if (child == 0) {
		close(fds[0]);
		report_fd = fds[1];
		alarm(CASE_SECONDS);
		body();
		_exit(0);
	}
	close(fds[1]);
	char text[200];
	size_t length = 0;
	ssize_t got;
	while (length < sizeof text - 1 && (got = read(fds[0], text + length, sizeof text - 1 - length)) > 0)
		length += (size_t)got;
	text[length] = '\0';
	close(fds[0]);
	int status;
	require(waitpid(child, &status, 0) == child, "waitpid");
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		printf("%s: hang (no answer within %d s)\n", label, CASE_SECONDS);
	else if (WIFSIGNALED(status))
		printf("%s: %s%skilled by signal %d\n", label, text, *text ? ", " : "", WTERMSIG(status));
	else
		printf("%s: %s\n", label, text);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "touch") == 0) {
		run_case("touch pages until memory runs out", touch_until_killed);
		return 0;
	}
	run_case("malloc with no address space left", malloc_until_null);
	run_case("pthread_create with no address space left", pthread_create_exhausted);
	run_case("setenv with no address space left", setenv_exhausted);
	return 0;
}
