/* stdin-wait: waits on a stdin that is open and empty (a pipe whose writer
 * holds back), as test-apps/stdin-wait-test drives it: a non-blocking read
 * says EAGAIN, poll times out, and a blocking read ends with EINTR when a
 * signal comes. Then, told so on stdout, the writer sends its data: it is
 * read slowly to EOF (so the writer runs ahead into backpressure) and its
 * byte count and FNV-1a checksum are printed. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void on_alarm(int sig) { (void)sig; }

int main(void)
{
	static char buf[65536];
	setvbuf(stdout, NULL, _IONBF, 0);

	int flags = fcntl(0, F_GETFL);
	fcntl(0, F_SETFL, flags | O_NONBLOCK);
	ssize_t n = read(0, buf, sizeof buf);
	printf("nonblocking read: %s\n", n < 0 ? errno_name(errno) : "data");
	fcntl(0, F_SETFL, flags);

	struct pollfd pfd = {.fd = 0, .events = POLLIN};
	int ready = poll(&pfd, 1, 200);
	printf("poll 200 ms: %d\n", ready);

	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	n = read(0, buf, sizeof buf);
	printf("blocking read: %s\n", n < 0 ? errno_name(errno) : "data");
	printf("send now\n");

	unsigned long long hash = FNV1A_INIT, total = 0;
	struct timespec pause = {0, 20000000}; /* after every 256 KiB */
	while ((n = read(0, buf, sizeof buf)) != 0) {
		if (n < 0) {
			printf("read: %s\n", errno_name(errno));
			return 1;
		}
		hash = fnv1a(hash, buf, (size_t)n);
		if ((total + (unsigned long long)n) / 262144 != total / 262144)
			nanosleep(&pause, NULL);
		total += (unsigned long long)n;
	}
	printf("bytes=%llu fnv1a=%016llx\n", total, hash);
	return 0;
}
