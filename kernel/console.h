/* The kernel's side of the console line: framed output streams (see
 * platforms/console_wire.h) and the app's stdin arriving from the host.
 * The line is the UART until a driver attaches a faster one (the
 * virtio-console port); after a kernel panic it is the UART again. */
#ifndef SOLE_CONSOLE_H
#define SOLE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platforms/console_wire.h"

struct iobuf;
struct wait_queue;

void console_init(void);
void console_write(char stream, const void *buf, size_t len);
/* Reads up to len bytes of stdin into buf without blocking: the count,
 * 0 at EOF, -EAGAIN when nothing has arrived yet, or -EFAULT. */
long console_read_stdin(const struct iobuf *buf, size_t len);
/* Whether a read of stdin would not block: data has come, or EOF. */
bool console_stdin_ready(void);
/* Woken with readiness_notify when stdin gets data or reaches EOF. */
struct wait_queue *console_stdin_queue(void);
/* Sends the app's exit status and waits until the host has it all; the
 * caller powers off next. */
void console_send_exit(int status);
/* Whether the host said the app's stdout is gone (WIRE_STDOUT_CLOSED). */
bool console_stdout_closed(void);
/* The kernel panics: what the fast line holds goes out, then everything
 * after it goes over the UART, which needs no driver state. */
void console_panic(void);

/* A fast line to the host, brought up by its driver (virtio-console). */
struct console_line {
	/* Copies up to n bytes into the line's transmit buffer; returns how
	 * many fit (0 while the host has not taken earlier ones). */
	size_t (*write)(const void *bytes, size_t n);
	/* Hands what write took to the device. */
	void (*push)(void);
	/* Waits, polling, for room in the transmit buffer. */
	void (*wait_room)(void);
	/* Waits, polling, until the host has every byte pushed, or until
	 * max_ns have passed (0: no limit). Returns whether it has. */
	bool (*drain)(uint64_t max_ns);
	/* Offers again what console_line_received left. */
	void (*resume_receive)(void);
};
/* From now on output goes over line, and stdin comes from it. */
void console_attach_line(const struct console_line *line);
/* The console's device was looked for: without a line, stdin is empty. */
void console_line_probed(void);
/* The line's driver hands over bytes from the host, in order (from its
 * interrupt). Returns how many the console took: the driver keeps the
 * rest, stops refilling its receive buffers, and offers them again from
 * resume_receive. */
size_t console_line_received(const uint8_t *bytes, size_t n);

/* Who takes what the host sends: by default the console's own stdin buffer
 * (a pipe-like stream, read with console_read_stdin); under `sole run -t` the
 * console tty, which installs itself here. The transport calls these from
 * its receive interrupt, in arrival order. */
struct console_input_ops {
	/* Takes up to n bytes of stdin and returns how many it took. What it
	 * leaves is offered again after it calls console_input_resume(). */
	size_t (*receive)(const uint8_t *bytes, size_t n);
	/* The host's stdin ended. */
	void (*eof)(void);
	/* The host terminal is now rows x cols (WIRE_WINSIZE). */
	void (*winsize)(unsigned short rows, unsigned short cols);
	/* Whether a thread waits for input now: while one does and stdin is
	 * open, an idle VM is not deadlocked. */
	bool (*waited)(void);
};
/* ops NULL puts the default consumer back: console_stdin_ops (console_stdin.c). */
void console_set_input(const struct console_input_ops *ops);
extern const struct console_input_ops console_stdin_ops;
/* The input side has room again: the transport offers what it held back. */
void console_input_resume(void);

#endif
