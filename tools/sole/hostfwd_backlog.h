/* The listen backlog of the host sockets behind `sole run -p` (TCP). QEMU's
 * user network (libslirp) listens on each published host port with
 * listen(fd, 1): when a client opens many connections at once (wrk -c64,
 * redis-benchmark -c50), the host kernel's accept queue overflows, it drops
 * SYNs, and the clients retry after 1, 2, 4 s. Once QEMU has made those
 * sockets, sole takes a duplicate of each (pidfd_getfd: sole is QEMU's parent)
 * and listens on it again with a wide backlog; listen() on a listening socket
 * only updates its backlog, so QEMU notices nothing. */
#ifndef SOLE_HOSTFWD_BACKLOG_H
#define SOLE_HOSTFWD_BACKLOG_H

#include <stdbool.h>
#include <sys/types.h>

#include "guest_network.h"
#include "port_mapping.h"

/* What sole asks for; the kernel caps it at net.core.somaxconn. */
#define HOSTFWD_BACKLOG 4096

/* A duplicate of the TCP socket that process pid listens on at mapping's host
 * address and port, to close after use. -1 with errno set when the process
 * has no such socket (ENOENT) or its fds cannot be taken (EPERM, ENOSYS when
 * the kernel is older than 5.6, ESRCH when it has exited). */
int hostfwd_listener_take(pid_t pid, const struct port_mapping *mapping);

/* Widens the backlog of every TCP port the user network publishes to
 * HOSTFWD_BACKLOG; call it once QEMU runs the guest (it has set up its
 * network by then). Does nothing without such ports. Never an error: when
 * it cannot, the ports keep working as before, and only verbose says so. */
void hostfwd_backlog_widen(pid_t qemu_pid, const struct guest_network *network, bool verbose);

#endif
