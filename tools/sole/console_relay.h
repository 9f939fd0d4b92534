/* The one poll() loop of `sole run`: host stdin to QEMU (escaped, with
 * backpressure, then the end-of-input marker), the guest's console output
 * (its virtio port, and its UART for early boot and panics) through a
 * demultiplexer each, QEMU's own stderr captured or shown. */
#ifndef SOLE_CONSOLE_RELAY_H
#define SOLE_CONSOLE_RELAY_H

#include <stdbool.h>

#include "byte_buffer.h"
#include "console_demux.h"
#include "line_prefixer.h"
#include "qemu.h"

/* QEMU's own stderr: shown live when live is set (--verbose), else kept in
 * captured (its first part) for an error report. */
struct qemu_messages {
	struct line_prefixer *live;
	struct byte_buffer captured;
};

/* Called once, when the guest's first output arrives: by then QEMU has set
 * up its devices, the network's listening sockets among them. */
typedef void guest_started_fn(void *context);

/* The app's side of the relay: whether its stdin is sole's own (-i) or
 * empty; whether it has a terminal (-t), which follows the host terminal's
 * size; and the flag that turns true when sole's stdout refuses the app's
 * output, which the guest then hears of (a broken pipe). */
struct relay_app_io {
	bool stdin_attached;
	bool tty;
	const bool *stdout_failed;
	int forwarded_signals; /* bytes, each a signal for the app (--sig-proxy); -1: none */
};

/* Returns when QEMU has closed its stdout, stderr and UART, that is,
 * exited. demux takes the console's virtio port, serial_demux its UART. */
void console_relay_run(const struct qemu_process *qemu, const struct relay_app_io *app,
		       struct console_demux *demux, struct console_demux *serial_demux,
		       struct qemu_messages *messages, guest_started_fn *guest_started, void *context);

#endif
