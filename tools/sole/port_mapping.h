/* One published port (`sole run -p [HOSTIP:]HOSTPORT:GUESTPORT[/tcp|/udp]`,
 * docker's syntax): reading it strictly, and checking before QEMU starts that
 * the host port is free. */
#ifndef SOLE_PORT_MAPPING_H
#define SOLE_PORT_MAPPING_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define PUBLISH_DEFAULT_HOST_ADDRESS "127.0.0.1"

enum port_protocol { PORT_TCP, PORT_UDP };

struct port_mapping {
	const char *as_typed; /* "8080:80", for messages */
	char host_address[INET_ADDRSTRLEN];
	uint16_t host_port;
	uint16_t guest_port;
	enum port_protocol protocol;
};

/* "tcp" or "udp". */
const char *port_protocol_name(enum port_protocol protocol);

/* Reads text, the value of flag ("-p" or "--publish"). Returns false after
 * printing what is wrong with it and how to write it. */
bool port_mapping_parse(const char *flag, const char *text, struct port_mapping *mapping);

/* Whether both would listen on the same host port: same protocol and port,
 * and the same address or either one on every address (0.0.0.0). */
bool port_mappings_overlap(const struct port_mapping *a, const struct port_mapping *b);

/* Binds the host address and port the way QEMU's user network will, then
 * lets go. Returns 0, or prints why QEMU could not (port taken, address not
 * this host's, privileged port) and returns the exit status. */
int port_mapping_check_host_port(const struct port_mapping *mapping);

#endif
