/* The console's tty: under `sole run -t`, /dev/console and pid 1's fds 0,
 * 1 and 2 are one terminal, as on a Linux console. Its output goes to the
 * host's stdout; the host's keystrokes arrive through console_input_ops
 * from the transport's receive interrupt. They wait in a small buffer and
 * reach the line discipline from a kernel timer, after the interrupt is
 * over: the line discipline echoes through the transport, which must not
 * be re-entered from its own interrupt, and sends signals. */
#include "kernel/tty/console_tty.h"

#include <stdint.h>

#include "kernel/boot_config.h"
#include "kernel/console.h"
#include "kernel/proc/process.h"
#include "kernel/sched/ktimer.h"
#include "kernel/tty/tty.h"

#define CONSOLE_MAJOR 5
#define CONSOLE_MINOR 1
#define PENDING_SIZE 4096 /* keystrokes between the interrupt and the line discipline */

static struct tty tty;
static bool started;

static uint8_t pending[PENDING_SIZE]; /* a ring: pending_len bytes from pending_start */
static size_t pending_start, pending_len;
static bool host_held_back; /* the transport kept bytes that did not fit */

static size_t host_write(struct tty *t, const uint8_t *bytes, size_t n)
{
	(void)t;
	console_write(WIRE_STDOUT, bytes, n);
	return n;
}

/* The console's line waits for room itself: it always takes output. */
static size_t host_write_room(struct tty *t)
{
	(void)t;
	return SIZE_MAX;
}

static void deliver(struct ktimer *timer, uint64_t now);
static struct ktimer delivery = {.fire = deliver};

static void deliver_soon(void)
{
	if (pending_len && !ktimer_armed(&delivery))
		ktimer_arm(&delivery, 1); /* a deadline in the past: the next timer interrupt */
}

/* Hands pending keystrokes to the line discipline, as many as it takes;
 * a full input queue keeps the rest until it has room (input_room). */
static void deliver(struct ktimer *timer, uint64_t now)
{
	(void)timer, (void)now;
	while (pending_len) {
		size_t run = PENDING_SIZE - pending_start < pending_len ? PENDING_SIZE - pending_start : pending_len;
		size_t taken = ldisc_receive(&tty, pending + pending_start, run);
		pending_start = (pending_start + taken) % PENDING_SIZE;
		pending_len -= taken;
		if (taken < run)
			break;
	}
	if (host_held_back && pending_len < PENDING_SIZE) {
		host_held_back = false;
		console_input_resume();
	}
}

static void input_room(struct tty *t)
{
	(void)t;
	deliver_soon();
}

static const struct tty_driver console_driver = {
    .write = host_write,
    .write_room = host_write_room,
    .input_room = input_room,
};

static size_t host_receive(const uint8_t *bytes, size_t n)
{
	size_t take = n < PENDING_SIZE - pending_len ? n : PENDING_SIZE - pending_len;
	for (size_t i = 0; i < take; i++)
		pending[(pending_start + pending_len + i) % PENDING_SIZE] = bytes[i];
	pending_len += take;
	host_held_back = take < n;
	deliver_soon();
	return take;
}

/* The host's stdin ended: reads see the end of input; output goes on. */
static void host_eof(void)
{
	tty.input_ended = true;
	tty_wake(&tty, EPOLLIN | EPOLLRDNORM);
}

static void host_winsize(unsigned short rows, unsigned short cols)
{
	struct winsize ws = {.ws_row = rows, .ws_col = cols};
	tty_set_winsize(&tty, &ws);
}

static bool host_waited(void) { return tty.queue.head != NULL; }

static const struct console_input_ops console_tty_input = {
    .receive = host_receive,
    .eof = host_eof,
    .winsize = host_winsize,
    .waited = host_waited,
};

void console_tty_start(struct process *init)
{
	if (!boot_config.tty_mask)
		return;
	tty_init(&tty, &console_driver, NULL, (CONSOLE_MAJOR << 8) | CONSOLE_MINOR);
	tty.winsize = (struct winsize){.ws_row = boot_config.rows, .ws_col = boot_config.cols};
	tty.session = init->sid;
	tty.pgrp = init->pgid;
	started = true;
	console_set_input(&console_tty_input);
}

struct tty *console_tty(void) { return started ? &tty : NULL; }
