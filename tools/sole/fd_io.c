/* Writing all of a buffer to a file descriptor that may be a pipe, a tty or
 * non-blocking (someone else may have set O_NONBLOCK on a shared stdout). */
#include "fd_io.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

bool write_all(int fd, const void *bytes, size_t count)
{
	const char *cursor = bytes;

	while (count > 0) {
		ssize_t written = write(fd, cursor, count);
		if (written < 0 && errno == EAGAIN) {
			struct pollfd wait_writable = {.fd = fd, .events = POLLOUT};
			poll(&wait_writable, 1, -1);
			continue;
		}
		if (written < 0 && errno == EINTR)
			continue;
		if (written < 0)
			return false;
		cursor += written;
		count -= (size_t)written;
	}
	return true;
}
