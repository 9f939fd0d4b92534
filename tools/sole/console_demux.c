/* Splits a console line's byte stream from the guest into its streams and picks out
 * the exit status, following platforms/console_wire.h. */
#include "console_demux.h"

#include "platforms/console_wire.h"

void console_demux_init(struct console_demux *demux, console_deliver_fn *deliver, void *context)
{
	*demux = (struct console_demux){
		.state = DEMUX_DATA,
		.stream = WIRE_LOG, /* the line starts on the kernel log */
		.deliver = deliver,
		.context = context,
	};
}

static void deliver_run(struct console_demux *demux, const uint8_t *bytes, size_t start, size_t end)
{
	if (end > start)
		demux->deliver(demux->context, demux->stream, bytes + start, end - start);
}

void console_demux_feed(struct console_demux *demux, const uint8_t *bytes, size_t count)
{
	size_t run_start = 0; /* start of the data not yet delivered (state DATA) */

	for (size_t i = 0; i < count; i++) {
		uint8_t byte = bytes[i];
		switch (demux->state) {
		case DEMUX_DATA:
			if (byte == WIRE_ESC) {
				deliver_run(demux, bytes, run_start, i);
				demux->state = DEMUX_AFTER_ESCAPE;
			}
			break;
		case DEMUX_AFTER_ESCAPE:
			demux->state = DEMUX_DATA;
			run_start = i + 1;
			if (byte == WIRE_ESC)
				run_start = i; /* a literal 0x10 starts the next run */
			else if (byte == WIRE_EXIT)
				demux->state = DEMUX_EXIT_STATUS;
			else if (byte != WIRE_READY) /* the kernel runs: nothing to do */
				demux->stream = (char)byte;
			break;
		case DEMUX_EXIT_STATUS:
			demux->exit_status = byte;
			demux->have_exit_status = true;
			demux->state = DEMUX_DATA;
			run_start = i + 1;
			break;
		}
	}
	if (demux->state == DEMUX_DATA)
		deliver_run(demux, bytes, run_start, count);
}
