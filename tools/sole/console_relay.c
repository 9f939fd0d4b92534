/* The one poll() loop of `sole run`: host stdin to QEMU (escaped, with
 * backpressure, then the end-of-input marker), the guest's console output
 * (its virtio port, and its UART for early boot and panics) through a
 * demultiplexer each, QEMU's own stderr captured or shown. */
#include "console_relay.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <unistd.h>

#include "console_mux.h"
#include "host_terminal.h"

#define READ_CHUNK 65536
/* Host stdin is not read while this much is still waiting for QEMU. */
#define TO_GUEST_LIMIT (4 * READ_CHUNK)
#define CAPTURE_LIMIT 65536

/* The fds still in play; -1 once a direction is finished. */
struct relay {
	int host_stdin;
	int qemu_stdin;
	int qemu_stdout;
	int qemu_stderr;
	int qemu_serial;
	int forwarded_signals;
	struct byte_buffer to_guest; /* escaped stdin not yet taken by QEMU */
	struct console_demux *demux;
	struct console_demux *serial_demux;
	struct qemu_messages *messages;
	guest_started_fn *guest_started; /* NULL once called */
	bool told_stdout_closed;          /* WIRE_STDOUT_CLOSED is on its way */
	void *guest_started_context;
};

/* Reads what fd has. Returns the count, 0 at its end (or on an error that
 * ends it), -1 when there was nothing after all. */
static ssize_t read_some(int fd, uint8_t *buffer)
{
	ssize_t got = read(fd, buffer, READ_CHUNK);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	return got < 0 ? 0 : got;
}

static void forward_host_stdin(struct relay *relay)
{
	uint8_t buffer[READ_CHUNK];
	ssize_t got = read_some(relay->host_stdin, buffer);

	if (got > 0) {
		console_mux_stdin(&relay->to_guest, buffer, (size_t)got);
	} else if (got == 0) {
		console_mux_eof(&relay->to_guest);
		relay->host_stdin = -1;
	}
}

static void write_to_guest(struct relay *relay)
{
	ssize_t written = write(relay->qemu_stdin, relay->to_guest.data, relay->to_guest.length);

	if (written > 0) {
		byte_buffer_consume(&relay->to_guest, (size_t)written);
	} else if (errno != EAGAIN && errno != EINTR) {
		/* QEMU stopped reading: whatever stdin is left has nowhere to go */
		relay->qemu_stdin = -1;
		relay->host_stdin = -1;
		relay->to_guest.length = 0;
	}
}

/* One of the guest's lines: *fd is set to -1 at its end. */
static void read_guest_output(struct relay *relay, int *fd, struct console_demux *demux)
{
	uint8_t buffer[READ_CHUNK];
	ssize_t got = read_some(*fd, buffer);

	if (got > 0 && relay->guest_started) {
		relay->guest_started(relay->guest_started_context);
		relay->guest_started = NULL;
	}
	if (got > 0)
		console_demux_feed(demux, buffer, (size_t)got);
	else if (got == 0)
		*fd = -1;
}

static void read_qemu_messages(struct relay *relay)
{
	uint8_t buffer[READ_CHUNK];
	ssize_t got = read_some(relay->qemu_stderr, buffer);
	struct qemu_messages *messages = relay->messages;

	if (got == 0) {
		relay->qemu_stderr = -1;
	} else if (got > 0 && messages->live) {
		line_prefixer_write(messages->live, buffer, (size_t)got);
	} else if (got > 0 && messages->captured.length < CAPTURE_LIMIT) {
		byte_buffer_append(&messages->captured, buffer, (size_t)got);
	}
}

/* Signals sole was sent for the app (--sig-proxy) go to the guest. */
static void forward_signals(struct relay *relay)
{
	uint8_t signals[16];
	ssize_t got = read(relay->forwarded_signals, signals, sizeof signals);
	for (ssize_t i = 0; i < got; i++)
		console_mux_signal(&relay->to_guest, signals[i]);
}

static void poll_once(struct relay *relay)
{
	bool want_stdin = relay->qemu_stdin >= 0 && relay->to_guest.length < TO_GUEST_LIMIT;
	struct pollfd fds[6] = {
		{.fd = want_stdin ? relay->host_stdin : -1, .events = POLLIN},
		{.fd = relay->to_guest.length ? relay->qemu_stdin : -1, .events = POLLOUT},
		{.fd = relay->qemu_stdout, .events = POLLIN},
		{.fd = relay->qemu_stderr, .events = POLLIN},
		{.fd = relay->qemu_serial, .events = POLLIN},
		{.fd = relay->qemu_stdin >= 0 ? relay->forwarded_signals : -1, .events = POLLIN},
	};

	if (poll(fds, 6, -1) < 0)
		return; /* EINTR: look again */
	/* The virtio port before the UART: a panic's record on the UART comes
	 * after the guest waited for the port's last bytes to leave. */
	if (fds[2].revents)
		read_guest_output(relay, &relay->qemu_stdout, relay->demux);
	if (fds[4].revents)
		read_guest_output(relay, &relay->qemu_serial, relay->serial_demux);
	if (fds[3].revents)
		read_qemu_messages(relay);
	if (fds[0].revents)
		forward_host_stdin(relay);
	if (fds[5].revents)
		forward_signals(relay);
	if (fds[1].revents)
		write_to_guest(relay);
}

/* The host terminal changed size: the console tty hears of it. */
static void forward_resize(struct relay *relay)
{
	unsigned rows, columns;
	if (host_terminal_take_resize(&rows, &columns))
		console_mux_winsize(&relay->to_guest, rows, columns);
}

/* Once sole's stdout has failed, the guest hears of it, once. */
static void forward_stdout_closed(struct relay *relay, const struct relay_app_io *app)
{
	if (relay->told_stdout_closed || !*app->stdout_failed)
		return;
	console_mux_stdout_closed(&relay->to_guest);
	relay->told_stdout_closed = true;
}

void console_relay_run(const struct qemu_process *qemu, const struct relay_app_io *app,
		       struct console_demux *demux, struct console_demux *serial_demux,
		       struct qemu_messages *messages, guest_started_fn *guest_started, void *context)
{
	struct relay relay = {
		.host_stdin = app->stdin_attached ? STDIN_FILENO : -1,
		.qemu_stdin = qemu->stdin_fd,
		.qemu_stdout = qemu->stdout_fd,
		.qemu_stderr = qemu->stderr_fd,
		.qemu_serial = qemu->serial_fd,
		.forwarded_signals = app->forwarded_signals,
		.demux = demux,
		.serial_demux = serial_demux,
		.messages = messages,
		.guest_started = guest_started,
		.guest_started_context = context,
	};
	if (!app->stdin_attached && !app->tty)
		console_mux_eof(&relay.to_guest); /* a tty without -i waits for input, as docker's */
	while (relay.qemu_stdout >= 0 || relay.qemu_stderr >= 0 || relay.qemu_serial >= 0) {
		if (app->tty)
			forward_resize(&relay);
		forward_stdout_closed(&relay, app);
		poll_once(&relay);
	}
	byte_buffer_free(&relay.to_guest);
}
