/* Console line framing: every stream switch and literal escape byte goes
 * through here, so stdout, stderr and kernel messages never mix. Output goes
 * over the UART until a faster line attaches (the virtio-console port), and
 * over the UART again after a panic. The host demultiplexes each line on its
 * own, so each keeps its own current stream. What the host sends (stdin,
 * its end, the terminal's size) is decoded here and handed to the input
 * consumer: the stdin buffer (console_stdin.c) unless a tty installed its
 * own; a signal it sends goes to the first process. */
#include "kernel/console.h"

#include <string.h>

#include "kernel/log.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal.h"
#include "kernel/sched/sched.h"
#include "platforms/platform.h"

/* How long a panic waits for the fast line's last bytes to leave. */
#define PANIC_DRAIN_NS 2000000000ull

static const struct console_line *line; /* NULL: the UART */
static char uart_stream = WIRE_LOG, line_stream = WIRE_LOG;

static const struct console_input_ops *input = &console_stdin_ops;
static bool input_ended; /* WIRE_EOF seen */
static bool stdout_closed; /* WIRE_STDOUT_CLOSED seen */

/* Where the decoder of the host's bytes stands. */
static enum { RX_DATA, RX_ESCAPE, RX_WINSIZE_ROWS, RX_WINSIZE_COLS, RX_SIGNAL } rx_state;
static unsigned winsize_rows, winsize_cols;

static bool input_waited(void) { return line && !input_ended && input->waited && input->waited(); }

void console_init(void)
{
	uart_init();
	uart_put(WIRE_ESC);
	uart_put(WIRE_READY);
}

void console_attach_line(const struct console_line *fast)
{
	line = fast;
	sched_set_device_waiters(input_waited);
}

void console_line_probed(void)
{
	if (line)
		return;
	kwarn("no virtio-console device: the app's stdin is empty");
	input_ended = true;
	input->eof();
}

static void put(const void *bytes, size_t n)
{
	const uint8_t *p = bytes;
	if (!line) {
		for (size_t i = 0; i < n; i++)
			uart_put(p[i]);
		return;
	}
	while (n) {
		size_t took = line->write(p, n);
		p += took;
		n -= took;
		if (n) {
			line->push();
			line->wait_room();
		}
	}
}

static void switch_stream(char stream)
{
	char *current = line ? &line_stream : &uart_stream;
	if (stream == *current)
		return;
	put((const uint8_t[]){WIRE_ESC, (uint8_t)stream}, 2);
	*current = stream;
}

void console_write(char stream, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	switch_stream(stream);
	while (len) {
		/* A run up to and including an escape byte, which goes out twice. */
		const uint8_t *escape = memchr(p, WIRE_ESC, len);
		size_t run = escape ? (size_t)(escape - p) + 1 : len;
		put(p, run);
		if (escape)
			put((const uint8_t[]){WIRE_ESC}, 1);
		p += run;
		len -= run;
	}
	if (line)
		line->push();
}

void console_send_exit(int status)
{
	put((const uint8_t[]){WIRE_ESC, WIRE_EXIT, (uint8_t)status}, 3);
	if (line) {
		line->push();
		line->drain(0);
	}
}

void console_panic(void)
{
	const struct console_line *fast = line;
	line = NULL; /* first: a fault while draining lands on the UART */
	if (fast) {
		fast->push();
		fast->drain(PANIC_DRAIN_NS);
	}
}

bool console_stdout_closed(void) { return stdout_closed; }

void console_set_input(const struct console_input_ops *ops)
{
	input = ops ? ops : &console_stdin_ops;
	console_input_resume();
}

void console_input_resume(void)
{
	if (line)
		line->resume_receive();
}

/* One digit of "ROWSxCOLS;", kept within an unsigned short. */
static void add_digit(unsigned *value, uint8_t digit)
{
	*value = *value * 10 + (digit - '0');
	if (*value > 0xffff)
		*value = 0xffff;
}

/* WIRE_SIGNAL: sig for pid 1, as from a kill(2) outside the VM. */
static void signal_first_process(uint8_t sig)
{
	struct process *p = process_by_pid(1);
	struct signal_info info = {.signo = sig, .code = SI_USER};
	if (p && p->state == PROCESS_ALIVE && sig > 0 && sig <= NSIG)
		signal_send_process_later(p, &info);
}

/* The decoder's state always describes bytes[i]: when the consumer takes
 * fewer than offered, the driver offers the rest again from there. */
size_t console_line_received(const uint8_t *bytes, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = bytes[i];
		switch (rx_state) {
		case RX_DATA: {
			const uint8_t *escape = memchr(bytes + i, WIRE_ESC, n - i);
			size_t run = escape ? (size_t)(escape - (bytes + i)) : n - i;
			if (run) {
				size_t took = input->receive(bytes + i, run);
				i += took;
				if (took < run)
					return i;
			}
			if (escape) {
				rx_state = RX_ESCAPE;
				i++;
			}
			break;
		}
		case RX_ESCAPE:
			if (c == WIRE_ESC) { /* a literal 0x10 */
				if (!input->receive(&c, 1))
					return i;
			} else if (c == WIRE_EOF) {
				input_ended = true;
				input->eof();
			} else if (c == WIRE_STDOUT_CLOSED) {
				stdout_closed = true;
			} else if (c == WIRE_SIGNAL) {
				rx_state = RX_SIGNAL;
				i++;
				break;
			} else if (c == WIRE_WINSIZE) {
				winsize_rows = winsize_cols = 0;
				rx_state = RX_WINSIZE_ROWS;
				i++;
				break;
			}
			rx_state = RX_DATA; /* an unknown escape is dropped */
			i++;
			break;
		case RX_SIGNAL:
			signal_first_process(c);
			rx_state = RX_DATA;
			i++;
			break;
		case RX_WINSIZE_ROWS:
		case RX_WINSIZE_COLS:
			i++;
			if (c >= '0' && c <= '9') {
				add_digit(rx_state == RX_WINSIZE_ROWS ? &winsize_rows : &winsize_cols, c);
			} else if (c == 'x' && rx_state == RX_WINSIZE_ROWS) {
				rx_state = RX_WINSIZE_COLS;
			} else {
				if (c == ';' && rx_state == RX_WINSIZE_COLS && input->winsize)
					input->winsize((unsigned short)winsize_rows, (unsigned short)winsize_cols);
				rx_state = RX_DATA; /* a malformed size is dropped */
			}
			break;
		}
	}
	return n;
}
