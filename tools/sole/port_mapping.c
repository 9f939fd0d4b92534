/* One published port (`sole run -p [HOSTIP:]HOSTPORT:GUESTPORT[/tcp|/udp]`,
 * docker's syntax): reading it strictly, and checking before QEMU starts that
 * the host port is free. */
#define _GNU_SOURCE
#include "port_mapping.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"

#define PUBLISH_SYNTAX "[HOSTIP:]HOSTPORT:GUESTPORT[/udp]"
#define MAX_HOST_ADDRESS_TEXT 64 /* longer than any address, for messages */

static const char *const protocol_names[] = {[PORT_TCP] = "tcp", [PORT_UDP] = "udp"};

const char *port_protocol_name(enum port_protocol protocol)
{
	return protocol_names[protocol];
}

/* Reads one port number, the length bytes at part; which names it in
 * messages ("host" or "guest"). */
static bool parse_port(const char *flag, const char *text, const char *part, size_t length,
		       const char *which, uint16_t *port)
{
	unsigned long number = 0;

	if (length == 0) {
		sole_error("%s '%s': the %s port is empty; name one, like %s 8080:80", flag, text, which, flag);
		return false;
	}
	if (part[0] >= '0' && part[0] <= '9' && memchr(part, '-', length)) {
		sole_error("%s '%s': port ranges are not supported; give one %s per port", flag, text, flag);
		return false;
	}
	for (size_t i = 0; i < length; i++) {
		if (part[i] < '0' || part[i] > '9') {
			sole_error("%s '%s': '%.*s' is not a port number; use %s, like %s 8080:80", flag, text,
				   (int)length, part, PUBLISH_SYNTAX, flag);
			return false;
		}
		if (number <= 65535)
			number = number * 10 + (unsigned long)(part[i] - '0');
	}
	if (number < 1 || number > 65535) {
		sole_error("%s '%s': %s port %.*s is out of range; use a port from 1 to 65535", flag, text, which,
			   (int)length, part);
		return false;
	}
	*port = (uint16_t)number;
	return true;
}

/* Reads the "/tcp" or "/udp" at the end, if any; *length is what comes before it. */
static bool parse_protocol(const char *flag, const char *text, size_t *length, enum port_protocol *protocol)
{
	const char *slash = strrchr(text, '/');

	*protocol = PORT_TCP;
	*length = strlen(text);
	if (!slash)
		return true;
	*length = (size_t)(slash - text);
	for (size_t i = 0; i < sizeof(protocol_names) / sizeof(*protocol_names); i++) {
		if (strcmp(slash + 1, protocol_names[i]) == 0) {
			*protocol = (enum port_protocol)i;
			return true;
		}
	}
	sole_error("%s '%s': unknown protocol '%s'; end it with /tcp (the default) or /udp", flag, text, slash + 1);
	return false;
}

static bool parse_host_address(const char *flag, const char *text, size_t length, char *address)
{
	char typed[MAX_HOST_ADDRESS_TEXT];
	struct in_addr parsed;

	snprintf(typed, sizeof(typed), "%.*s", (int)length, text);
	if (length == 0 || length >= sizeof(typed) || inet_pton(AF_INET, typed, &parsed) != 1) {
		sole_error("%s '%s': '%s' is not an IPv4 address; use one like 127.0.0.1 (the default) or "
			   "0.0.0.0 (every address of this host)",
			   flag, text, typed);
		return false;
	}
	inet_ntop(AF_INET, &parsed, address, INET_ADDRSTRLEN);
	return true;
}

bool port_mapping_parse(const char *flag, const char *text, struct port_mapping *mapping)
{
	size_t length, colons = 0;

	*mapping = (struct port_mapping){.as_typed = text, .host_address = PUBLISH_DEFAULT_HOST_ADDRESS};
	if (!parse_protocol(flag, text, &length, &mapping->protocol))
		return false;
	for (size_t i = 0; i < length; i++)
		colons += text[i] == ':';
	if (text[0] == '[' || colons > 2) {
		sole_error("%s '%s': IPv6 host addresses are not supported; use an IPv4 HOSTIP, like "
			   "%s 127.0.0.1:8080:80",
			   flag, text, flag);
		return false;
	}
	if (colons == 0) {
		sole_error("%s '%s': name the host port and the guest port, like %s 8080:%.*s (%s)", flag, text, flag,
			   length ? (int)length : 2, length ? text : "80", PUBLISH_SYNTAX);
		return false;
	}
	const char *first_colon = memchr(text, ':', length);
	const char *last_colon = memrchr(text, ':', length);
	const char *host_port = text;
	if (colons == 2) {
		if (!parse_host_address(flag, text, (size_t)(first_colon - text), mapping->host_address))
			return false;
		host_port = first_colon + 1;
	}
	return parse_port(flag, text, host_port, (size_t)(last_colon - host_port), "host", &mapping->host_port) &&
	       parse_port(flag, text, last_colon + 1, length - (size_t)(last_colon + 1 - text), "guest",
			  &mapping->guest_port);
}

static bool listens_everywhere(const struct port_mapping *mapping)
{
	return strcmp(mapping->host_address, "0.0.0.0") == 0;
}

bool port_mappings_overlap(const struct port_mapping *a, const struct port_mapping *b)
{
	return a->protocol == b->protocol && a->host_port == b->host_port &&
	       (strcmp(a->host_address, b->host_address) == 0 || listens_everywhere(a) || listens_everywhere(b));
}

/* QEMU's user network (libslirp) sets SO_REUSEADDR on a TCP port before it
 * binds, so a port whose old connections linger in TIME_WAIT is free to it,
 * and on a UDP port only after; this does the same. Returns 0 or an errno. */
static int try_listen(const struct port_mapping *mapping)
{
	bool tcp = mapping->protocol == PORT_TCP;
	struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(mapping->host_port)};
	int reuse = 1;

	inet_pton(AF_INET, mapping->host_address, &address.sin_addr);
	int fd = socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	int error = 0;
	if ((tcp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse)) != 0) ||
	    bind(fd, (const struct sockaddr *)&address, sizeof(address)) != 0 || (tcp && listen(fd, 1) != 0))
		error = errno;
	close(fd);
	return error;
}

int port_mapping_check_host_port(const struct port_mapping *mapping)
{
	const char *kind = mapping->protocol == PORT_UDP ? "UDP port" : "port";
	int error = try_listen(mapping);

	if (error == 0)
		return 0;
	if (error == EADDRINUSE)
		sole_error("-p %s: %s %u on %s is already in use; pick another host port", mapping->as_typed, kind,
			   mapping->host_port, mapping->host_address);
	else if (error == EADDRNOTAVAIL)
		sole_error("-p %s: %s is not an address of this host; use 127.0.0.1 (the default) or one of "
			   "this host's own addresses",
			   mapping->as_typed, mapping->host_address);
	else if (error == EACCES)
		sole_error("-p %s: %s %u on %s needs privileges here (ports below 1024 do); pick a host port "
			   "of 1024 or more",
			   mapping->as_typed, kind, mapping->host_port, mapping->host_address);
	else
		sole_error("-p %s: cannot listen on %s:%u: %s", mapping->as_typed, mapping->host_address,
			   mapping->host_port, strerror(error));
	return EXIT_SOLE_ERROR;
}
