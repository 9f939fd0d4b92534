/* process.terminal with --console-socket, see oci_console.h. */
#define _GNU_SOURCE
#include "oci_console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "oci_log.h"

static int send_master(const char *socket_path, int master, const char *name)
{
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	if (strlen(socket_path) >= sizeof address.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(address.sun_path, socket_path);
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -1;
	if (connect(sock, (struct sockaddr *)&address, sizeof address) != 0) {
		close(sock);
		return -1;
	}
	union {
		char buffer[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = {0};
	struct iovec payload = {.iov_base = (void *)name, .iov_len = strlen(name)};
	struct msghdr message = {.msg_iov = &payload, .msg_iovlen = 1, .msg_control = control.buffer,
	                         .msg_controllen = sizeof control.buffer};
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);
	header->cmsg_level = SOL_SOCKET;
	header->cmsg_type = SCM_RIGHTS;
	header->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(header), &master, sizeof(int));
	ssize_t sent = sendmsg(sock, &message, 0);
	int saved = errno;
	close(sock);
	errno = saved;
	return sent < 0 ? -1 : 0;
}

int oci_console_attach(const char *socket_path)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	const char *name = master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0 ? ptsname(master) : NULL;
	int slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	if (slave < 0) {
		oci_error("cannot make a pseudo-terminal: %s", strerror(errno));
		if (master >= 0)
			close(master);
		return -1;
	}
	if (send_master(socket_path, master, name) != 0) {
		oci_error("cannot send the terminal to the console socket %s: %s", socket_path, strerror(errno));
		close(master);
		close(slave);
		return -1;
	}
	close(master);
	if (ioctl(slave, TIOCSCTTY, 0) != 0) {
		oci_error("cannot take the pseudo-terminal as the controlling terminal: %s", strerror(errno));
		close(slave);
		return -1;
	}
	for (int fd = 0; fd < 3; fd++)
		dup2(slave, fd);
	if (slave > 2)
		close(slave);
	return 0;
}
