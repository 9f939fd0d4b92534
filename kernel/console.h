/* The kernel's side of the console line: framed output streams (see
 * platforms/console_wire.h) and the app's stdin arriving from the host. */
#ifndef SOLE_CONSOLE_H
#define SOLE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "platforms/console_wire.h"

void console_init(void);
void console_write(char stream, const void *buf, size_t len);
/* Reads at least one byte of stdin, or returns 0 at EOF. With nonblock set,
 * returns -1 when nothing has arrived yet. */
long console_read_stdin(void *buf, size_t len, bool nonblock);
/* Whether a read of stdin would not block: data has come, or EOF. */
bool console_stdin_ready(void);
/* Sends the app's exit status; the caller powers off next. */
void console_send_exit(int status);

#endif
