/* Tests widening the listen backlog of published ports, on sockets this test
 * opens itself (its own pid stands in for QEMU's): the listener on the -p
 * address and port is found among decoys (the same port on another address
 * or over UDP, a TCP socket that does not listen), its backlog grows, the
 * decoys keep theirs. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hostfwd_backlog.h"

/* A TCP or UDP socket bound to address and port (0: the kernel picks);
 * listening with backlog when it is TCP and backlog > 0. *port gets the port. */
static int bound_socket(int type, const char *address_text, uint16_t *port, int backlog)
{
	struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(*port)};
	socklen_t length = sizeof(address);
	int fd = socket(AF_INET, type, 0);

	CHECK(fd >= 0);
	CHECK(inet_pton(AF_INET, address_text, &address.sin_addr) == 1);
	CHECK(bind(fd, (struct sockaddr *)&address, sizeof(address)) == 0);
	if (type == SOCK_STREAM && backlog > 0)
		CHECK(listen(fd, backlog) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&address, &length) == 0);
	*port = ntohs(address.sin_port);
	return fd;
}

static struct port_mapping mapping_of(const char *address, uint16_t port, enum port_protocol protocol)
{
	struct port_mapping mapping = {.as_typed = "(test)", .host_port = port, .guest_port = 80, .protocol = protocol};

	strcpy(mapping.host_address, address);
	return mapping;
}

/* The backlog the listening socket fd has (Linux reports it in tcpi_sacked). */
static int backlog_of(int fd)
{
	struct tcp_info info;
	socklen_t length = sizeof(info);

	CHECK(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) == 0);
	return (int)info.tcpi_sacked;
}

/* What listen(fd, HOSTFWD_BACKLOG) gives: the kernel caps it at somaxconn. */
static int expected_wide_backlog(void)
{
	FILE *file = fopen("/proc/sys/net/core/somaxconn", "r");
	int somaxconn = HOSTFWD_BACKLOG;

	if (file) {
		CHECK(fscanf(file, "%d", &somaxconn) == 1);
		fclose(file);
	}
	return somaxconn < HOSTFWD_BACKLOG ? somaxconn : HOSTFWD_BACKLOG;
}

static bool same_socket(int a, int b)
{
	struct stat first, second;

	return fstat(a, &first) == 0 && fstat(b, &second) == 0 && first.st_ino == second.st_ino &&
	       first.st_dev == second.st_dev;
}

/* A pid that no longer names a process: a child that exited and was reaped. */
static pid_t gone_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	CHECK(waitpid(pid, NULL, 0) == pid);
	return pid;
}

int main(void)
{
	uint16_t port = 0, idle_port = 0;
	int listener = bound_socket(SOCK_STREAM, "127.0.0.1", &port, 1);
	int other_address = bound_socket(SOCK_STREAM, "127.0.0.2", &port, 1);
	int udp = bound_socket(SOCK_DGRAM, "127.0.0.1", &port, 0);
	int not_listening = bound_socket(SOCK_STREAM, "127.0.0.1", &idle_port, 0);

	struct port_mapping published = mapping_of("127.0.0.1", port, PORT_TCP);
	int taken = hostfwd_listener_take(getpid(), &published);
	CHECK(taken >= 0 && same_socket(taken, listener));
	close(taken);

	struct port_mapping idle = mapping_of("127.0.0.1", idle_port, PORT_TCP);
	errno = 0;
	CHECK(hostfwd_listener_take(getpid(), &idle) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(hostfwd_listener_take(gone_pid(), &published) == -1 && errno == ESRCH);

	/* Only the user network's TCP ports change. */
	struct port_mapping ports[] = {published, mapping_of("127.0.0.2", port, PORT_UDP), idle};
	struct guest_network network = {.mode = NETWORK_TAP, .ports = ports, .port_count = 3};
	hostfwd_backlog_widen(getpid(), &network, false);
	CHECK(backlog_of(listener) == 1);
	network.mode = NETWORK_USER;
	hostfwd_backlog_widen(getpid(), &network, false);
	CHECK(backlog_of(listener) == expected_wide_backlog());
	CHECK(backlog_of(other_address) == 1);

	close(listener);
	close(other_address);
	close(udp);
	close(not_listening);
	return check_summary("hostfwd_backlog");
}
