/* The host-to-guest direction of the console: stdin bytes escaped per
 * platforms/console_wire.h, the end-of-input marker, the terminal's size and a closed stdout. */
#include "console_mux.h"

#include <stdio.h>
#include <string.h>

#include "platforms/console_wire.h"

void console_mux_stdin(struct byte_buffer *out, const uint8_t *bytes, size_t count)
{
	static const uint8_t escaped_escape[2] = {WIRE_ESC, WIRE_ESC};

	while (count > 0) {
		const uint8_t *escape = memchr(bytes, WIRE_ESC, count);
		size_t plain = escape ? (size_t)(escape - bytes) : count;
		byte_buffer_append(out, bytes, plain);
		if (!escape)
			return;
		byte_buffer_append(out, escaped_escape, 2);
		bytes += plain + 1;
		count -= plain + 1;
	}
}

void console_mux_eof(struct byte_buffer *out)
{
	static const uint8_t end_of_input[2] = {WIRE_ESC, WIRE_EOF};

	byte_buffer_append(out, end_of_input, 2);
}

void console_mux_winsize(struct byte_buffer *out, unsigned rows, unsigned columns)
{
	char text[32];
	int length = snprintf(text, sizeof(text), "%c%c%ux%u;", WIRE_ESC, WIRE_WINSIZE, rows, columns);

	byte_buffer_append(out, text, (size_t)length);
}

void console_mux_signal(struct byte_buffer *out, int signal_number)
{
	const uint8_t message[3] = {WIRE_ESC, WIRE_SIGNAL, (uint8_t)signal_number};

	byte_buffer_append(out, message, 3);
}

void console_mux_stdout_closed(struct byte_buffer *out)
{
	static const uint8_t closed[2] = {WIRE_ESC, WIRE_STDOUT_CLOSED};

	byte_buffer_append(out, closed, 2);
}
