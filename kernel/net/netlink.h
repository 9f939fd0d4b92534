/* AF_NETLINK: the socket (netlink_socket.c) and the one protocol it
 * carries, NETLINK_ROUTE (netlink_route.c). A request is answered while
 * the app's send runs, into the socket's receive queue: datagrams of at
 * most a page each, as Linux fills a dump a page at a time, which a
 * receive takes one at a time. */
#ifndef SOLE_NET_NETLINK_H
#define SOLE_NET_NETLINK_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

extern const struct socket_family netlink_socket_family;

/* Where the answer to one request goes (netlink_socket.c). */
struct netlink_out;

/* Starts a message of the answer: its header (the request's sequence
 * number, the asking socket's port), then fixed_len bytes of fixed. */
void netlink_put_message(struct netlink_out *out, uint16_t type, uint16_t flags, const void *fixed, size_t fixed_len);
/* Adds an attribute (struct nlattr and its data, padded) to that message. */
void netlink_put_attr(struct netlink_out *out, uint16_t type, const void *data, size_t len);

/* A handler's result for a dump: its messages are in out, and the socket
 * ends them with NLMSG_DONE. Otherwise 0 (answered; an ACK follows when
 * asked for) or -errno (answered with NLMSG_ERROR). */
#define NETLINK_DUMPED 1

/* NETLINK_ROUTE's answer to a request (a message with NLM_F_REQUEST). */
int netlink_route_request(const struct nlmsghdr *request, struct netlink_out *out);

#endif
