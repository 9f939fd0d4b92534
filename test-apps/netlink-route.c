/* netlink-route: AF_NETLINK's NETLINK_ROUTE as glibc, Go and iproute2 use
 * it: port ids, dumps of links, addresses and IPv4 routes ended by
 * NLMSG_DONE, a single
 * link with an ACK, errors as NLMSG_ERROR, truncation, and getifaddrs and
 * if_nameindex on top. The host has more interfaces than the VM, so only
 * the loopback's facts are printed. Requests that would change something
 * are left out: natively they would change the host. */
#define _GNU_SOURCE
#include <ifaddrs.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "common.h"

static uint8_t answer[65536];

static void result(const char *label, long rc) { printf("%s: %s\n", label, rc < 0 ? errno_name(errno) : "OK"); }

static int route_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl me = {.nl_family = AF_NETLINK};
	result("bind", bind(fd, (struct sockaddr *)&me, sizeof me));
	return fd;
}

static void request(int fd, uint16_t type, uint16_t flags, uint32_t seq, const void *body, size_t len)
{
	struct {
		struct nlmsghdr h;
		uint8_t body[64];
	} req = {.h = {.nlmsg_len = (uint32_t)NLMSG_LENGTH(len), .nlmsg_type = type, .nlmsg_flags = flags,
	               .nlmsg_seq = seq}};
	memcpy(req.body, body, len);
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel);
}

static const char *attr_text(const struct rtattr *a, char *text, size_t room)
{
	inet_ntop(RTA_PAYLOAD(a) == 4 ? AF_INET : AF_INET6, RTA_DATA(a), text, (socklen_t)room);
	return text;
}

static void show_link(const struct nlmsghdr *h)
{
	const struct ifinfomsg *info = NLMSG_DATA(h);
	if (info->ifi_index != 1)
		return;
	printf("  link 1 type %u flags %#x", info->ifi_type, info->ifi_flags);
	int len = (int)IFLA_PAYLOAD(h);
	for (const struct rtattr *a = IFLA_RTA(info); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			printf(" name %s", (const char *)RTA_DATA(a));
		if (a->rta_type == IFLA_MTU)
			printf(" mtu %u", *(const uint32_t *)RTA_DATA(a));
		if (a->rta_type == IFLA_ADDRESS)
			printf(" address of %zu bytes", (size_t)RTA_PAYLOAD(a));
	}
	printf("\n");
}

static void show_address(const struct nlmsghdr *h)
{
	const struct ifaddrmsg *info = NLMSG_DATA(h);
	if (info->ifa_index != 1)
		return;
	char text[INET6_ADDRSTRLEN] = "?";
	int len = (int)IFA_PAYLOAD(h);
	for (const struct rtattr *a = IFA_RTA(info); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFA_ADDRESS)
			attr_text(a, text, sizeof text);
	printf("  address family %s %s/%u scope %u\n", info->ifa_family == AF_INET ? "inet" : "inet6", text,
	       info->ifa_prefixlen, info->ifa_scope);
}

/* The loopback's routes: Linux's local table holds 127.0.0.0/8 and
 * 127.0.0.1 as local, 127.255.255.255 as broadcast. */
static void show_route(const struct nlmsghdr *h)
{
	const struct rtmsg *info = NLMSG_DATA(h);
	char dst[INET6_ADDRSTRLEN] = "default", src[INET6_ADDRSTRLEN] = "-";
	int oif = 0, len = (int)RTM_PAYLOAD(h);
	for (const struct rtattr *a = RTM_RTA(info); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_OIF)
			oif = *(const int *)RTA_DATA(a);
		if (a->rta_type == RTA_DST)
			attr_text(a, dst, sizeof dst);
		if (a->rta_type == RTA_PREFSRC)
			attr_text(a, src, sizeof src);
	}
	if (oif != 1)
		return;
	printf("  route table %u type %u scope %u protocol %u %s/%u src %s\n", info->rtm_table, info->rtm_type,
	       info->rtm_scope, info->rtm_protocol, dst, info->rtm_dst_len, src);
}

/* Reads answers until NLMSG_DONE, an error, or (for a single answer) the
 * ACK; prints the loopback's messages and every message type seen. */
static void read_answers(int fd, const char *label, uint32_t seq, uint32_t port)
{
	printf("%s:\n", label);
	bool done = false, mismatched = false;
	while (!done) {
		struct sockaddr_nl from;
		socklen_t from_len = sizeof from;
		long n = recvfrom(fd, answer, sizeof answer, MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
		if (n < 0) {
			printf("  recv: %s\n", errno_name(errno));
			return;
		}
		if (from.nl_pid != 0 || from_len != sizeof from)
			printf("  not from the kernel\n");
		int left = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)answer; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			mismatched |= h->nlmsg_seq != seq || h->nlmsg_pid != port;
			if (h->nlmsg_type == RTM_NEWLINK)
				show_link(h);
			else if (h->nlmsg_type == RTM_NEWADDR)
				show_address(h);
			else if (h->nlmsg_type == RTM_NEWROUTE)
				show_route(h);
			else if (h->nlmsg_type == NLMSG_DONE) {
				printf("  done, multi %d\n", !!(h->nlmsg_flags & NLM_F_MULTI));
				done = true;
			} else if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				printf("  error %s, for type %u, capped %d\n", e->error ? errno_name(-e->error) : "0 (ACK)",
				       e->msg.nlmsg_type, !!(h->nlmsg_flags & NLM_F_CAPPED));
				done = true;
			}
		}
	}
	printf("  every message has the request's seq and port: %d\n", !mismatched);
}

static void requests(void)
{
	int fd = route_socket();
	struct sockaddr_nl me;
	socklen_t len = sizeof me;
	getsockname(fd, (struct sockaddr *)&me, &len);
	printf("first socket's port is the pid: %d, family %d, len %u\n", me.nl_pid == (uint32_t)getpid(),
	       me.nl_family, (unsigned)len);
	int second = route_socket();
	struct sockaddr_nl other;
	len = sizeof other;
	getsockname(second, (struct sockaddr *)&other, &len);
	printf("second socket's port is negative: %d\n", (int32_t)other.nl_pid < 0);
	close(second);

	struct rtgenmsg any = {.rtgen_family = AF_UNSPEC};
	request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, &any, sizeof any);
	read_answers(fd, "dump links", 1, me.nl_pid);
	struct ifaddrmsg addresses = {.ifa_family = AF_UNSPEC};
	request(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 2, &addresses, sizeof addresses);
	read_answers(fd, "dump addresses", 2, me.nl_pid);
	addresses.ifa_family = AF_INET6;
	request(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 3, &addresses, sizeof addresses);
	read_answers(fd, "dump IPv6 addresses", 3, me.nl_pid);
	struct ifinfomsg lo = {.ifi_family = AF_UNSPEC, .ifi_index = 1};
	request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 4, &lo, sizeof lo);
	read_answers(fd, "link 1 with an ACK", 4, me.nl_pid);
	struct ifinfomsg missing = {.ifi_family = AF_UNSPEC, .ifi_index = 999999};
	request(fd, RTM_GETLINK, NLM_F_REQUEST, 5, &missing, sizeof missing);
	read_answers(fd, "link 999999", 5, me.nl_pid);
	request(fd, RTM_MAX + 1, NLM_F_REQUEST, 6, &any, sizeof any);
	read_answers(fd, "a type past RTM_MAX", 6, me.nl_pid);
	int cap = 1;
	result("NETLINK_CAP_ACK", setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &cap, sizeof cap));
	request(fd, RTM_GETLINK, NLM_F_REQUEST, 7, &missing, sizeof missing);
	read_answers(fd, "link 999999, capped", 7, me.nl_pid);
	request(fd, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 8, &any, sizeof any);
	read_answers(fd, "NLMSG_NOOP with an ACK", 8, me.nl_pid);

	request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 9, &any, sizeof any);
	char small[16];
	long n = recv(fd, small, sizeof small, MSG_PEEK | MSG_TRUNC);
	printf("peek with MSG_TRUNC gives the whole length: %d\n", n > (long)sizeof small);
	struct iovec iov = {.iov_base = small, .iov_len = sizeof small};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	n = recvmsg(fd, &msg, 0);
	printf("small buffer: %ld bytes, MSG_TRUNC %d\n", n, !!(msg.msg_flags & MSG_TRUNC));
	while (recv(fd, answer, sizeof answer, MSG_DONTWAIT) > 0)
		;
	request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 10, &any, sizeof any);
	n = recv(fd, small, sizeof small, MSG_TRUNC);
	printf("MSG_TRUNC without peek gives the whole length too: %d\n", n > (long)sizeof small);
	while (recv(fd, answer, sizeof answer, MSG_DONTWAIT) > 0)
		;
	result("nothing left", recv(fd, answer, sizeof answer, MSG_DONTWAIT));
	struct rtmsg routes = {.rtm_family = AF_INET};
	request(fd, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 11, &routes, sizeof routes);
	read_answers(fd, "dump IPv4 routes", 11, me.nl_pid);
	close(fd);
}

static void errors(void)
{
	result("SOCK_STREAM", socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE));
	result("protocol 31", socket(AF_NETLINK, SOCK_RAW, 31));
	int fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
	result("SOCK_DGRAM", fd);
	struct sockaddr_nl me = {.nl_family = AF_INET};
	result("bind with the wrong family", bind(fd, (struct sockaddr *)&me, sizeof me));
	result("bind too short", bind(fd, (struct sockaddr *)&me, 4));
	result("listen", listen(fd, 1));
	result("shutdown", shutdown(fd, SHUT_RDWR));
	close(fd);
}

static void libc_views(void)
{
	struct if_nameindex *names = if_nameindex();
	for (struct if_nameindex *n = names; n && n->if_index; n++)
		if (n->if_index == 1)
			printf("if_nameindex: 1 is %s\n", n->if_name);
	if_freenameindex(names);
	struct ifaddrs *list;
	result("getifaddrs", getifaddrs(&list));
	for (struct ifaddrs *a = list; a; a = a->ifa_next) {
		if (strcmp(a->ifa_name, "lo"))
			continue;
		char text[INET6_ADDRSTRLEN] = "-";
		int family = a->ifa_addr ? a->ifa_addr->sa_family : -1;
		if (family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, text, sizeof text);
		if (family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr, text, sizeof text);
		printf("getifaddrs: lo family %s %s flags %#x\n",
		       family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "packet", text, a->ifa_flags);
	}
	freeifaddrs(list);
}

int main(void)
{
	requests();
	errors();
	libc_views();
	return 0;
}
