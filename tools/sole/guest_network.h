/* The VM's network as `sole run` sets it up: QEMU's user network with the
 * ports -p publishes (the default), a tap device the user made, or none; and
 * the guest's address, gateway and DNS server, which the kernel reads from its
 * command line (ip= gw= dns=) and the app from /etc/resolv.conf. */
#ifndef SOLE_GUEST_NETWORK_H
#define SOLE_GUEST_NETWORK_H

#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>

#include "port_mapping.h"

enum network_mode { NETWORK_USER, NETWORK_TAP, NETWORK_NONE };

struct guest_network {
	enum network_mode mode;
	char tap_name[IF_NAMESIZE]; /* with NETWORK_TAP */
	/* Empty until a flag or guest_network_finish sets them. */
	char address[INET_ADDRSTRLEN];
	unsigned prefix_length;
	char gateway[INET_ADDRSTRLEN];
	char dns[INET_ADDRSTRLEN];
	char mac[18]; /* --mac "02:42:ac:11:00:02"; empty: QEMU's default */
	struct port_mapping *ports; /* -p, in the order given */
	size_t port_count;
};

/* Each reads the value of one flag (flag as typed, for messages) and returns
 * 0, or prints what is wrong and returns the exit status. */
int guest_network_set_mode(struct guest_network *network, const char *flag, const char *value); /* --net */
int guest_network_set_address(struct guest_network *network, const char *flag, const char *value); /* --ip */
int guest_network_set_gateway(struct guest_network *network, const char *flag, const char *value);
int guest_network_set_dns(struct guest_network *network, const char *flag, const char *value);
int guest_network_set_mac(struct guest_network *network, const char *flag, const char *value);
int guest_network_publish(struct guest_network *network, const char *flag, const char *value); /* -p */

/* After every flag: checks that they fit together and fills in the mode's
 * defaults. Returns 0 or the exit status after printing the problem. */
int guest_network_finish(struct guest_network *network);

/* Before QEMU starts: the tap device exists, every published host port is
 * free. Returns 0 or the exit status after printing the problem. */
int guest_network_check_host(const struct guest_network *network);

/* "ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3", or "" with --net none; the
 * caller frees it. */
char *guest_network_kernel_arguments(const struct guest_network *network);

/* The DNS server the guest asks, or NULL when it has no network. */
const char *guest_network_dns_server(const struct guest_network *network);

void guest_network_free(struct guest_network *network);

#endif
