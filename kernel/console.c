/* Console line framing: every stream switch and literal escape byte goes
 * through here, so stdout, stderr and kernel messages never mix. */
#include "kernel/console.h"

#include "platforms/platform.h"

static char current_stream = WIRE_LOG;
static bool stdin_at_eof;
static bool stdin_escape_pending;

void console_init(void)
{
	uart_init();
	uart_put(WIRE_ESC);
	uart_put(WIRE_READY);
}

static void switch_stream(char stream)
{
	if (stream == current_stream)
		return;
	uart_put(WIRE_ESC);
	uart_put((unsigned char)stream);
	current_stream = stream;
}

void console_write(char stream, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	switch_stream(stream);
	for (size_t i = 0; i < len; i++) {
		if (p[i] == WIRE_ESC)
			uart_put(WIRE_ESC);
		uart_put(p[i]);
	}
}

void console_send_exit(int status)
{
	uart_put(WIRE_ESC);
	uart_put(WIRE_EXIT);
	uart_put((unsigned char)status);
}

/* Decodes one byte from the host. Returns the data byte, or -1 for none
 * (half of an escape, or the EOF mark). */
static int decode_stdin_byte(unsigned char c)
{
	if (stdin_escape_pending) {
		stdin_escape_pending = false;
		if (c == WIRE_EOF) {
			stdin_at_eof = true;
			return -1;
		}
		return c; /* WIRE_ESC WIRE_ESC is a literal 0x10 */
	}
	if (c == WIRE_ESC) {
		stdin_escape_pending = true;
		return -1;
	}
	return c;
}

bool console_stdin_ready(void) { return stdin_at_eof || uart_can_get(); }

long console_read_stdin(void *buf, size_t len, bool nonblock)
{
	unsigned char *out = buf;
	size_t got = 0;
	while (got < len && !stdin_at_eof) {
		if (!uart_can_get() && (got > 0 || nonblock))
			break;
		int c = decode_stdin_byte(uart_get());
		if (c >= 0)
			out[got++] = (unsigned char)c;
	}
	if (got == 0 && !stdin_at_eof && nonblock)
		return -1;
	return (long)got;
}
