/* The VM's network as `sole run` sets it up: QEMU's user network with the
 * ports -p publishes (the default), a tap device the user made, or none; and
 * the guest's address, gateway and DNS server, which the kernel reads from its
 * command line (ip= gw= dns=) and the app from /etc/resolv.conf. */
#include "guest_network.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "exit_codes.h"
#include "xalloc.h"

/* QEMU's user network (libslirp's defaults): the guest, the host as seen
 * from the guest, and its DNS forwarder. */
#define USER_NET_ADDRESS "10.0.2.15"
#define USER_NET_PREFIX_LENGTH 24
#define USER_NET_GATEWAY "10.0.2.2"
#define USER_NET_DNS "10.0.2.3"

/* With --net tap and no --ip: the addresses bench/netns-tap sets up. */
#define TAP_DEFAULT_ADDRESS "192.168.100.2"
#define TAP_DEFAULT_PREFIX_LENGTH 24

/* /31 and /32 leave no room for a guest and a gateway apart. */
#define MAX_PREFIX_LENGTH 30

#define TAP_PREFIX "tap:"
#define NET_MODES "user|tap:NAME|none"

static bool parse_ipv4(const char *text, uint32_t *host_order)
{
	struct in_addr parsed;

	if (inet_pton(AF_INET, text, &parsed) != 1)
		return false;
	*host_order = ntohl(parsed.s_addr);
	return true;
}

/* An address this file stored, so one parse_ipv4 accepts. */
static uint32_t stored_ipv4(const char text[INET_ADDRSTRLEN])
{
	uint32_t value = 0;

	parse_ipv4(text, &value);
	return value;
}

static void format_ipv4(uint32_t host_order, char text[INET_ADDRSTRLEN])
{
	struct in_addr address = {.s_addr = htonl(host_order)};

	inet_ntop(AF_INET, &address, text, INET_ADDRSTRLEN);
}

static uint32_t netmask_of(unsigned prefix_length)
{
	return prefix_length == 0 ? 0 : UINT32_MAX << (32 - prefix_length);
}

/* A tap device's name as `ip link` takes it, and nothing that could end
 * QEMU's -netdev option early (',' or '='). */
static bool valid_tap_name(const char *name)
{
	size_t length = strlen(name);

	return length > 0 && length < IF_NAMESIZE &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == length;
}

int guest_network_set_mode(struct guest_network *network, const char *flag, const char *value)
{
	if (strcmp(value, "user") == 0) {
		network->mode = NETWORK_USER;
		return 0;
	}
	if (strcmp(value, "none") == 0) {
		network->mode = NETWORK_NONE;
		return 0;
	}
	if (strncmp(value, TAP_PREFIX, strlen(TAP_PREFIX)) != 0) {
		sole_error("%s '%s': not one of %s", flag, value, NET_MODES);
		return EXIT_SOLE_ERROR;
	}
	const char *name = value + strlen(TAP_PREFIX);
	if (!valid_tap_name(name)) {
		sole_error("%s '%s': '%s' is not a network device name; use 1 to %d letters, digits, '_', '.' "
			   "or '-', like %s tap:sole0",
			   flag, value, name, IF_NAMESIZE - 1, flag);
		return EXIT_SOLE_ERROR;
	}
	network->mode = NETWORK_TAP;
	snprintf(network->tap_name, sizeof(network->tap_name), "%s", name);
	return 0;
}

int guest_network_set_address(struct guest_network *network, const char *flag, const char *value)
{
	const char *slash = strchr(value, '/');
	char address[INET_ADDRSTRLEN];
	uint32_t parsed;

	if (!slash) {
		sole_error("%s '%s': add the prefix length, like %s %s/24", flag, value, flag, value);
		return EXIT_SOLE_ERROR;
	}
	size_t address_length = (size_t)(slash - value);
	snprintf(address, sizeof(address), "%.*s", (int)address_length, value);
	if (address_length >= sizeof(address) || !parse_ipv4(address, &parsed)) {
		sole_error("%s '%s': '%.*s' is not an IPv4 address; use ADDR/PREFIX, like %s %s/%d", flag, value,
			   (int)address_length, value, flag, TAP_DEFAULT_ADDRESS, TAP_DEFAULT_PREFIX_LENGTH);
		return EXIT_SOLE_ERROR;
	}
	const char *prefix = slash + 1;
	char *end;
	long prefix_length = strtol(prefix, &end, 10);
	if (prefix[0] < '0' || prefix[0] > '9' || *end != '\0' || prefix_length < 1 ||
	    prefix_length > MAX_PREFIX_LENGTH) {
		sole_error("%s '%s': the prefix length must be a number from 1 to %d, like %s %s/24", flag, value,
			   MAX_PREFIX_LENGTH, flag, address);
		return EXIT_SOLE_ERROR;
	}
	format_ipv4(parsed, network->address);
	network->prefix_length = (unsigned)prefix_length;
	return 0;
}

/* --gateway and --dns: one IPv4 address. */
static int set_plain_address(char destination[INET_ADDRSTRLEN], const char *flag, const char *value,
			     const char *example)
{
	uint32_t parsed;

	if (!parse_ipv4(value, &parsed)) {
		sole_error("%s '%s': not an IPv4 address; use one like %s %s", flag, value, flag, example);
		return EXIT_SOLE_ERROR;
	}
	format_ipv4(parsed, destination);
	return 0;
}

int guest_network_set_gateway(struct guest_network *network, const char *flag, const char *value)
{
	return set_plain_address(network->gateway, flag, value, "192.168.100.1");
}

int guest_network_set_dns(struct guest_network *network, const char *flag, const char *value)
{
	return set_plain_address(network->dns, flag, value, USER_NET_DNS);
}

int guest_network_set_mac(struct guest_network *network, const char *flag, const char *value)
{
	unsigned bytes[6];
	char end;
	if (strlen(value) != 17 || sscanf(value, "%2x:%2x:%2x:%2x:%2x:%2x%c", &bytes[0], &bytes[1], &bytes[2],
	                                  &bytes[3], &bytes[4], &bytes[5], &end) != 6) {
		sole_error("%s '%s': not a MAC address; write six hex bytes, like %s 02:42:ac:11:00:02", flag, value,
		           flag);
		return EXIT_SOLE_ERROR;
	}
	if (bytes[0] & 1) {
		sole_error("%s '%s': a multicast address; the first byte must be even", flag, value);
		return EXIT_SOLE_ERROR;
	}
	snprintf(network->mac, sizeof network->mac, "%s", value);
	return 0;
}

int guest_network_publish(struct guest_network *network, const char *flag, const char *value)
{
	struct port_mapping mapping;

	if (!port_mapping_parse(flag, value, &mapping))
		return EXIT_SOLE_ERROR;
	for (size_t i = 0; i < network->port_count; i++) {
		const struct port_mapping *earlier = &network->ports[i];
		if (port_mappings_overlap(earlier, &mapping)) {
			sole_error("%s '%s': host port %u/%s is already published by -p %s; pick another host port",
				   flag, value, mapping.host_port, port_protocol_name(mapping.protocol),
				   earlier->as_typed);
			return EXIT_SOLE_ERROR;
		}
	}
	network->ports = xrealloc(network->ports, (network->port_count + 1) * sizeof(*network->ports));
	network->ports[network->port_count++] = mapping;
	return 0;
}

static int finish_none(struct guest_network *network)
{
	if (network->port_count > 0) {
		sole_error("-p %s: --net none gives the VM no network; drop -p, or use --net user (the default)",
			   network->ports[0].as_typed);
		return EXIT_SOLE_ERROR;
	}
	if (network->address[0] || network->gateway[0] || network->dns[0] || network->mac[0]) {
		sole_error("%s: --net none gives the VM no network; drop it, or use --net user or --net tap:NAME",
			   network->address[0] ? "--ip" : network->gateway[0] ? "--gateway" : network->dns[0] ? "--dns" : "--mac");
		return EXIT_SOLE_ERROR;
	}
	return 0;
}

static int finish_user(struct guest_network *network)
{
	if (network->address[0] || network->gateway[0]) {
		sole_error("%s: only with --net tap:NAME; QEMU's user network (the default) gives the guest %s/%d "
			   "with gateway %s",
			   network->address[0] ? "--ip" : "--gateway", USER_NET_ADDRESS, USER_NET_PREFIX_LENGTH,
			   USER_NET_GATEWAY);
		return EXIT_SOLE_ERROR;
	}
	snprintf(network->address, sizeof(network->address), "%s", USER_NET_ADDRESS);
	network->prefix_length = USER_NET_PREFIX_LENGTH;
	snprintf(network->gateway, sizeof(network->gateway), "%s", USER_NET_GATEWAY);
	if (!network->dns[0])
		snprintf(network->dns, sizeof(network->dns), "%s", USER_NET_DNS);
	return 0;
}

/* The guest and its gateway on the same subnet, apart, and neither one the
 * subnet's own address or its broadcast address. */
static int check_tap_addresses(const struct guest_network *network)
{
	uint32_t address = stored_ipv4(network->address), gateway = stored_ipv4(network->gateway);
	uint32_t mask = netmask_of(network->prefix_length);
	uint32_t subnet = address & mask;
	char subnet_text[INET_ADDRSTRLEN];
	format_ipv4(subnet, subnet_text);
	if ((address & ~mask) == 0 || (address & ~mask) == ~mask) {
		sole_error("--ip %s/%u: that is the %s address of subnet %s/%u, not one a guest can have; pick "
			   "another, like %s/%u",
			   network->address, network->prefix_length, (address & ~mask) ? "broadcast" : "network",
			   subnet_text, network->prefix_length, TAP_DEFAULT_ADDRESS, TAP_DEFAULT_PREFIX_LENGTH);
		return EXIT_SOLE_ERROR;
	}
	if ((gateway & mask) != subnet) {
		sole_error("--gateway %s: not on the guest's subnet %s/%u (from --ip %s/%u); name a gateway on it",
			   network->gateway, subnet_text, network->prefix_length, network->address,
			   network->prefix_length);
		return EXIT_SOLE_ERROR;
	}
	if (gateway == address) {
		sole_error("--ip %s/%u: the guest's address is also its gateway; name another gateway with "
			   "--gateway ADDR (the default is the subnet's first address)",
			   network->address, network->prefix_length);
		return EXIT_SOLE_ERROR;
	}
	return 0;
}

static int finish_tap(struct guest_network *network)
{
	if (network->port_count > 0) {
		const struct port_mapping *first = &network->ports[0];
		sole_error("-p %s: ports are published only with --net user; with --net tap:%s, reach the guest "
			   "at its own address (--ip) and port %u directly",
			   first->as_typed, network->tap_name, first->guest_port);
		return EXIT_SOLE_ERROR;
	}
	if (!network->address[0]) {
		snprintf(network->address, sizeof(network->address), "%s", TAP_DEFAULT_ADDRESS);
		network->prefix_length = TAP_DEFAULT_PREFIX_LENGTH;
	}
	if (!network->gateway[0]) { /* as docker does: the subnet's first address */
		uint32_t subnet = stored_ipv4(network->address) & netmask_of(network->prefix_length);
		format_ipv4(subnet + 1, network->gateway);
	}
	if (check_tap_addresses(network) != 0)
		return EXIT_SOLE_ERROR;
	if (!network->dns[0])
		snprintf(network->dns, sizeof(network->dns), "%s", network->gateway);
	return 0;
}

int guest_network_finish(struct guest_network *network)
{
	switch (network->mode) {
	case NETWORK_NONE: return finish_none(network);
	case NETWORK_USER: return finish_user(network);
	case NETWORK_TAP: return finish_tap(network);
	}
	return EXIT_SOLE_ERROR;
}

int guest_network_check_host(const struct guest_network *network)
{
	if (network->mode == NETWORK_TAP && if_nametoindex(network->tap_name) == 0) {
		sole_error("--net tap:%s: this host has no network device %s; create the tap device first "
			   "(bench/netns-tap makes one in a private network namespace), or check the name with "
			   "'ip link'",
			   network->tap_name, network->tap_name);
		return EXIT_SOLE_ERROR;
	}
	for (size_t i = 0; i < network->port_count; i++)
		if (port_mapping_check_host_port(&network->ports[i]) != 0)
			return EXIT_SOLE_ERROR;
	return 0;
}

char *guest_network_kernel_arguments(const struct guest_network *network)
{
	if (network->mode == NETWORK_NONE)
		return xstrdup("");
	return xasprintf("ip=%s/%u gw=%s dns=%s", network->address, network->prefix_length, network->gateway,
			 network->dns);
}

const char *guest_network_dns_server(const struct guest_network *network)
{
	return network->mode == NETWORK_NONE ? NULL : network->dns;
}

void guest_network_free(struct guest_network *network)
{
	free(network->ports);
	network->ports = NULL;
	network->port_count = 0;
}
