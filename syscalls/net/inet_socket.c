/* AF_INET and AF_INET6 sockets over lwIP's raw API. */
#include "kernel/errno.h"
#include "syscalls/net/socket.h"

static int inet_create(struct socket *s)
{
	(void)s;
	return -EAFNOSUPPORT;
}

const struct socket_family inet_socket_family = {.domain = AF_INET, .create = inet_create};
const struct socket_family inet6_socket_family = {.domain = AF_INET6, .create = inet_create};
