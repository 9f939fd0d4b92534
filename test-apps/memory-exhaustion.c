/* Address-space exhaustion gives ENOMEM or EAGAIN at once, as on Linux, and
 * never a hang: with every free address reserved by PROT_NONE mappings and
 * RLIMIT_DATA at 0, malloc returns NULL, pthread_create EAGAIN and setenv -1;
 * mappings that cannot merge stop at Linux's vm.max_map_count with ENOMEM;
 * a hole punched through a sparse GiB takes no memory.
 *
 *     memory-exhaustion            the address-space cases (natively and in sole)
 *     memory-exhaustion touch      touch anonymous pages until the memory runs
 *                                  out (sole only: natively it would bring the
 *                                  host's OOM killer); the kernel must kill the
 *                                  app rather than hang
 *     memory-exhaustion largest    a hog holds 60% of the free memory while
 *                                  another process asks for 60% more: the OOM
 *                                  killer takes the largest, the hog, and the
 *                                  other one finishes (sole only, likewise)
 *
 * Each case runs in a child of its own that reports on a pipe with write(2)
 * (stdio would need the malloc that fails); a case that does not end within
 * CASE_SECONDS is reported as a hang. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
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

/* Page-sized mappings that cannot merge (their protections alternate):
 * past vm.max_map_count (65530) areas, mmap says ENOMEM, and each call
 * takes no longer than the one before. */
static void many_mappings(void)
{
	for (int i = 0; i < 70000; i++)
		if (mmap(NULL, 4096, i % 2 ? PROT_NONE : PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) {
			say(i > 60000 ? "ENOMEM past 60,000 areas: " : "failed early: ");
			say(errno_name(errno));
			return;
		}
	say("70,000 areas, no limit");
}

/* A hole punched through a sparse GiB takes no memory: more than the VM has. */
static void punch_sparse_gib(void)
{
	int fd = open("sparse-file", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 1l << 30) != 0 || pwrite(fd, "data", 4, 1 << 20) != 4) {
		say("setup failed");
		return;
	}
	int ret = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 1l << 30);
	char byte = 1;
	say(ret != 0 ? errno_name(errno) : pread(fd, &byte, 1, 1 << 20) == 1 && byte == 0 ? "OK, zeros" : "OK, data left");
	close(fd);
	unlink("sparse-file");
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

/* Writes share bytes of fresh anonymous memory. */
static void touch_bytes(size_t share)
{
	char *area = mmap(NULL, share, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		say("mmap failed");
		_exit(1);
	}
	for (size_t i = 0; i < share; i += 4096)
		area[i] = 1;
}

/* Anonymous pages written one after another; only death ends it. */
static void touch_until_killed(void)
{
	for (;;)
		touch_bytes(1 << 20);
}

static size_t sixty_percent;

/* The hog takes its share and waits for its parent to close the pipe. */
static void hog(void)
{
	int wait_fds[2];
	require(pipe(wait_fds) == 0, "pipe");
	touch_bytes(sixty_percent);
	say("holding");
	char byte;
	(void)!read(wait_fds[0], &byte, 1); /* never answered: only a signal ends it */
}

static void asker(void)
{
	touch_bytes(sixty_percent);
	say("got its share");
}

/* A case that runs in a child of its own, and what it said on its pipe. */
struct running_case {
	const char *label;
	pid_t pid;
	int fd;
	char text[200];
	size_t length;
};

static struct running_case start_case(const char *label, void (*body)(void))
{
	struct running_case c = {.label = label};
	int fds[2];
	require(pipe(fds) == 0, "pipe");
	fflush(stdout);
	c.pid = fork();
	require(c.pid >= 0, "fork");
	if (c.pid == 0) {
		close(fds[0]);
		report_fd = fds[1];
		alarm(CASE_SECONDS);
		body();
		_exit(0);
	}
	close(fds[1]);
	c.fd = fds[0];
	return c;
}

/* Reads what the case says, up to its end (until_end) or its first words. */
static void listen(struct running_case *c, bool until_end)
{
	ssize_t got;
	while (c->length < sizeof c->text - 1 &&
	       (got = read(c->fd, c->text + c->length, sizeof c->text - 1 - c->length)) > 0) {
		c->length += (size_t)got;
		if (!until_end)
			break;
	}
	c->text[c->length] = '\0';
}

/* Prints how the case ended; returns its wait status. */
static int finish_case(struct running_case *c)
{
	listen(c, true);
	close(c->fd);
	int status;
	require(waitpid(c->pid, &status, 0) == c->pid, "waitpid");
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		printf("%s: hang (no answer within %d s)\n", c->label, CASE_SECONDS);
	else if (WIFSIGNALED(status))
		printf("%s: %s%skilled by signal %d\n", c->label, c->text, *c->text ? ", " : "", WTERMSIG(status));
	else
		printf("%s: %s\n", c->label, c->text);
	return status;
}

static int run_case(const char *label, void (*body)(void))
{
	struct running_case c = start_case(label, body);
	return finish_case(&c);
}

static bool killed_by_sigkill(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/* The hog is larger than the asker when memory runs out, so it goes; had
 * the asker been killed instead, the hog would end by the SIGTERM here. */
static bool largest_goes(void)
{
	struct sysinfo info;
	require(sysinfo(&info) == 0, "sysinfo");
	sixty_percent = (size_t)info.freeram * info.mem_unit / 10 * 6;
	struct running_case hogging = start_case("hog", hog);
	listen(&hogging, false);
	int asker_status = run_case("asker", asker);
	kill(hogging.pid, SIGTERM);
	int hog_status = finish_case(&hogging);
	return asker_status == 0 && killed_by_sigkill(hog_status);
}

int main(int argc, char **argv)
{
	/* The sole-only cases: their status says whether the right process
	 * went, since run-diff compares no output for them. */
	if (argc > 1 && strcmp(argv[1], "largest") == 0)
		return largest_goes() ? 0 : 1;
	if (argc > 1 && strcmp(argv[1], "touch") == 0)
		return killed_by_sigkill(run_case("touch pages until memory runs out", touch_until_killed)) ? 0 : 1;
	run_case("malloc with no address space left", malloc_until_null);
	run_case("pthread_create with no address space left", pthread_create_exhausted);
	run_case("setenv with no address space left", setenv_exhausted);
	run_case("mmap of 70,000 areas that cannot merge", many_mappings);
	run_case("fallocate PUNCH_HOLE through a sparse GiB", punch_sparse_gib);
	return 0;
}
