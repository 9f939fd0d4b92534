/* The listen backlog of the host sockets behind `sole run -p` (TCP).
 *
 * Why: QEMU's user network (libslirp) makes each published host port's socket
 * with listen(fd, 1), so `ss -ltn` shows Send-Q 1. When a client opens many
 * connections at once, the host kernel's accept queue overflows and it drops
 * SYNs; the clients retry after 1, 2, 4 s, and a benchmark sees timeouts.
 *
 * How: once the guest runs, QEMU has made those sockets. sole, its parent
 * and of the same user, looks through QEMU's fds (/proc/PID/fd) for sockets,
 * takes a duplicate of each (pidfd_getfd, Linux 5.6) until one is a TCP
 * socket listening on the -p host address and port, and calls listen() on
 * it with a wide backlog: on a socket that already listens, Linux only
 * updates the backlog. Then it closes the duplicate; QEMU keeps its socket.
 * When the kernel or a security policy refuses, the ports work as before. */
#define _GNU_SOURCE
#include "hostfwd_backlog.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SOCKET_LINK_PREFIX "socket:["

/* glibc wraps these only since 2.36. */
static int open_pidfd(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

static int duplicate_fd_of(int pidfd, int target_fd) { return (int)syscall(SYS_pidfd_getfd, pidfd, target_fd, 0); }

/* Whether the entry of a /proc/PID/fd directory is a socket. */
static bool is_socket_entry(int fd_dir, const char *name)
{
	char target[64];
	ssize_t length = readlinkat(fd_dir, name, target, sizeof(target) - 1);

	if (length < 0)
		return false;
	target[length] = '\0';
	return strncmp(target, SOCKET_LINK_PREFIX, strlen(SOCKET_LINK_PREFIX)) == 0;
}

static int int_socket_option(int fd, int level, int name)
{
	int value = 0;
	socklen_t length = sizeof(value);

	return getsockopt(fd, level, name, &value, &length) == 0 ? value : -1;
}

/* Whether fd is a TCP socket listening on wanted's address and port. */
static bool listens_on(int fd, const struct sockaddr_in *wanted)
{
	struct sockaddr_in address;
	socklen_t length = sizeof(address);

	if (getsockname(fd, (struct sockaddr *)&address, &length) != 0 || address.sin_family != AF_INET)
		return false;
	return int_socket_option(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP &&
	       int_socket_option(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1 && address.sin_port == wanted->sin_port &&
	       address.sin_addr.s_addr == wanted->sin_addr.s_addr;
}

/* Duplicates the sockets among fds (the process's /proc/PID/fd) until one
 * listens on wanted. Returns it, or -1 with errno set. */
static int find_listener(DIR *fds, int pidfd, const struct sockaddr_in *wanted)
{
	struct dirent *entry;

	while ((entry = readdir(fds))) {
		if (!is_socket_entry(dirfd(fds), entry->d_name))
			continue;
		int duplicate = duplicate_fd_of(pidfd, atoi(entry->d_name));
		if (duplicate < 0 && errno == EBADF)
			continue; /* closed since readdir saw it */
		if (duplicate < 0)
			return -1;
		if (listens_on(duplicate, wanted))
			return duplicate;
		close(duplicate);
	}
	errno = ENOENT;
	return -1;
}

int hostfwd_listener_take(pid_t pid, const struct port_mapping *mapping)
{
	struct sockaddr_in wanted = {.sin_family = AF_INET, .sin_port = htons(mapping->host_port)};
	char fd_dir_path[64];

	if (inet_pton(AF_INET, mapping->host_address, &wanted.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	snprintf(fd_dir_path, sizeof(fd_dir_path), "/proc/%d/fd", (int)pid);
	int pidfd = open_pidfd(pid);
	if (pidfd < 0)
		return -1;
	DIR *fds = opendir(fd_dir_path);
	int listener = fds ? find_listener(fds, pidfd, &wanted) : -1;
	int error = errno;
	if (fds)
		closedir(fds);
	close(pidfd);
	errno = error;
	return listener;
}

/* The backlog a listening socket has: Linux reports it in tcpi_sacked. */
static int listen_backlog(int fd)
{
	struct tcp_info info;
	socklen_t length = sizeof(info);

	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) == 0 ? (int)info.tcpi_sacked : -1;
}

static void widen(int listener, const struct port_mapping *mapping, bool verbose)
{
	int before = listen_backlog(listener);

	if (listen(listener, HOSTFWD_BACKLOG) != 0) {
		if (verbose)
			fprintf(stderr, "sole: cannot widen the listen backlog of %s:%u: %s\n", mapping->host_address,
			        mapping->host_port, strerror(errno));
		return;
	}
	if (verbose)
		fprintf(stderr, "sole: widened the listen backlog of %s:%u from %d to %d\n", mapping->host_address,
		        mapping->host_port, before, listen_backlog(listener));
}

void hostfwd_backlog_widen(pid_t qemu_pid, const struct guest_network *network, bool verbose)
{
	if (network->mode != NETWORK_USER)
		return;
	for (size_t i = 0; i < network->port_count; i++) {
		const struct port_mapping *mapping = &network->ports[i];
		if (mapping->protocol != PORT_TCP)
			continue;
		int listener = hostfwd_listener_take(qemu_pid, mapping);
		if (listener >= 0) {
			widen(listener, mapping, verbose);
			close(listener);
		} else if (errno == ENOENT) {
			if (verbose)
				fprintf(stderr,
				        "sole: QEMU has no socket listening on %s:%u; its listen backlog "
				        "stays as QEMU made it\n",
				        mapping->host_address, mapping->host_port);
		} else {
			if (verbose)
				fprintf(stderr,
				        "sole: cannot take QEMU's sockets to widen their listen backlog (%s); "
				        "many connections at once may wait for SYN retries\n",
				        strerror(errno));
			return; /* the same for every port */
		}
	}
}
