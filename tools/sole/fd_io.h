/* Writing all of a buffer to a file descriptor that may be a pipe, a tty or
 * non-blocking (someone else may have set O_NONBLOCK on a shared stdout). */
#ifndef SOLE_FD_IO_H
#define SOLE_FD_IO_H

#include <stdbool.h>
#include <stddef.h>

/* Returns false with errno set when the fd cannot take the bytes (EPIPE...). */
bool write_all(int fd, const void *bytes, size_t count);

#endif
