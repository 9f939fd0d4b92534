/* Tests published ports: when two -p would listen on the same host port, and
 * the check before QEMU starts that finds a host port already taken (on
 * 127.0.0.1 only). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "exit_codes.h"
#include "port_mapping.h"

static struct port_mapping parsed(const char *text)
{
	struct port_mapping mapping;

	CHECK(port_mapping_parse("-p", text, &mapping));
	return mapping;
}

/* Whether -p a and -p b would listen on the same host port. */
static bool overlap(const char *a, const char *b)
{
	struct port_mapping first = parsed(a), second = parsed(b);

	return port_mappings_overlap(&first, &second);
}

static void check_overlaps(void)
{
	CHECK(overlap("8080:80", "127.0.0.1:8080:81"));
	CHECK(overlap("8080:80", "0.0.0.0:8080:81"));
	CHECK(overlap("0.0.0.0:53:53/udp", "127.0.0.5:53:54/udp"));
	CHECK(!overlap("8080:80", "127.0.0.2:8080:80"));
	CHECK(!overlap("8080:80", "8080:80/udp"));
	CHECK(!overlap("8080:80", "8081:80"));
}

/* A socket of the given type on 127.0.0.1, on a port the kernel picks;
 * *port gets the port. */
static int bound_socket(int type, uint16_t *port)
{
	struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t length = sizeof(address);
	int fd = socket(AF_INET, type, 0);

	CHECK(fd >= 0);
	CHECK(bind(fd, (struct sockaddr *)&address, sizeof(address)) == 0);
	if (type == SOCK_STREAM)
		CHECK(listen(fd, 1) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&address, &length) == 0);
	*port = ntohs(address.sin_port);
	return fd;
}

static void check_host_ports(void)
{
	uint16_t port;
	int taken = bound_socket(SOCK_STREAM, &port);
	struct port_mapping mapping = parsed("1:80");

	mapping.host_port = port;
	mapping.as_typed = "(a port taken on purpose)";
	CHECK(port_mapping_check_host_port(&mapping) == EXIT_SOLE_ERROR);
	mapping.protocol = PORT_UDP; /* the same number over UDP is another port */
	CHECK(port_mapping_check_host_port(&mapping) == 0);
	close(taken);
	mapping.protocol = PORT_TCP;
	CHECK(port_mapping_check_host_port(&mapping) == 0);

	taken = bound_socket(SOCK_DGRAM, &port);
	mapping.host_port = port;
	mapping.protocol = PORT_UDP;
	CHECK(port_mapping_check_host_port(&mapping) == EXIT_SOLE_ERROR);
	close(taken);
	CHECK(port_mapping_check_host_port(&mapping) == 0);

	/* an address this host does not have (TEST-NET-1, never routed) */
	struct port_mapping foreign = parsed("192.0.2.1:8080:80");
	CHECK(port_mapping_check_host_port(&foreign) == EXIT_SOLE_ERROR);
}

int main(void)
{
	check_overlaps();
	check_host_ports();
	return check_summary("port_mapping");
}
