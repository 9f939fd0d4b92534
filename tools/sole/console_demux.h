/* Splits the serial byte stream from the guest into its streams (the app's
 * stdout and stderr, kernel log, warnings, traces, crash records) and picks
 * out the exit status, following platforms/console_wire.h. The parser keeps
 * its state between calls, so input may be cut anywhere. */
#ifndef SOLE_CONSOLE_DEMUX_H
#define SOLE_CONSOLE_DEMUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Receives a run of bytes of one stream (a WIRE_* letter, or any other
 * letter the guest switched to). */
typedef void console_deliver_fn(void *context, char stream, const uint8_t *bytes, size_t count);

enum console_demux_state { DEMUX_DATA, DEMUX_AFTER_ESCAPE, DEMUX_EXIT_STATUS };

struct console_demux {
	enum console_demux_state state;
	char stream;
	bool have_exit_status;
	uint8_t exit_status;
	console_deliver_fn *deliver;
	void *context;
};

void console_demux_init(struct console_demux *demux, console_deliver_fn *deliver, void *context);
void console_demux_feed(struct console_demux *demux, const uint8_t *bytes, size_t count);

#endif
