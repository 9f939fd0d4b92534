/* The host-to-guest direction of the console: stdin bytes escaped per
 * platforms/console_wire.h, the end-of-input marker, the terminal's size, a closed stdout and
 * signals for the app. */
#ifndef SOLE_CONSOLE_MUX_H
#define SOLE_CONSOLE_MUX_H

#include <stddef.h>
#include <stdint.h>

#include "byte_buffer.h"

/* Appends bytes to out with every WIRE_ESC doubled. */
void console_mux_stdin(struct byte_buffer *out, const uint8_t *bytes, size_t count);
/* Appends WIRE_ESC WIRE_EOF: the app's stdin ends here. */
void console_mux_eof(struct byte_buffer *out);
/* Appends WIRE_ESC WIRE_WINSIZE "ROWSxCOLUMNS;": the host terminal's size. */
void console_mux_winsize(struct byte_buffer *out, unsigned rows, unsigned columns);
/* Appends WIRE_ESC WIRE_STDOUT_CLOSED: sole's stdout refuses the app's output. */
void console_mux_stdout_closed(struct byte_buffer *out);
/* Appends WIRE_ESC WIRE_SIGNAL and the number: a signal for the app. */
void console_mux_signal(struct byte_buffer *out, int signal_number);

#endif
