/* Tests the console demultiplexer on input cut at every possible place (also
 * between 0x10 and its code), and the stdin escaping of the other direction. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "console_demux.h"
#include "console_mux.h"
#include "platforms/console_wire.h"

/* What the demultiplexer delivered: the bytes of each stream, by letter. */
struct collected {
	uint8_t bytes[128][256];
	size_t length[128];
	int empty_deliveries;
};

static void collect(void *context, char stream, const uint8_t *bytes, size_t count)
{
	struct collected *out = context;
	uint8_t index = (uint8_t)stream & 127;

	if (count == 0)
		out->empty_deliveries++;
	memcpy(out->bytes[index] + out->length[index], bytes, count);
	out->length[index] += count;
}

static bool stream_is(const struct collected *out, char stream, const char *expected, size_t length)
{
	return out->length[(uint8_t)stream] == length &&
	       memcmp(out->bytes[(uint8_t)stream], expected, length) == 0;
}

static const char wire[] = "boot\n"
			   "\020Ohello \020\020 world\n"
			   "\020Eoops\n"
			   "\020Wwarned\n"
			   "\020Ttrace line\n"
			   "\020Ccrash 1\nend\n"
			   "\020Qfuture stream\n"
			   "\020Oout again"
			   "\020X\020"
			   "\020Kafter exit";

static void check_split(size_t first_cut, size_t second_cut)
{
	static struct collected out;
	struct console_demux demux;
	const uint8_t *bytes = (const uint8_t *)wire;
	size_t length = sizeof(wire) - 1;

	memset(&out, 0, sizeof(out));
	console_demux_init(&demux, collect, &out);
	console_demux_feed(&demux, bytes, first_cut);
	console_demux_feed(&demux, bytes + first_cut, second_cut - first_cut);
	console_demux_feed(&demux, bytes + second_cut, length - second_cut);

	CHECK(stream_is(&out, WIRE_STDOUT, "hello \020 world\nout again", 23));
	CHECK(stream_is(&out, WIRE_STDERR, "oops\n", 5));
	CHECK(stream_is(&out, WIRE_LOG, "boot\nafter exit", 15));
	CHECK(stream_is(&out, WIRE_WARN, "warned\n", 7));
	CHECK(stream_is(&out, WIRE_TRACE, "trace line\n", 11));
	CHECK(stream_is(&out, WIRE_CRASH, "crash 1\nend\n", 12));
	CHECK(stream_is(&out, 'Q', "future stream\n", 14));
	CHECK(demux.have_exit_status && demux.exit_status == 0x10);
	CHECK(out.empty_deliveries == 0);
}

static void check_escaping(void)
{
	struct byte_buffer out = {0};
	const uint8_t input[] = {'a', WIRE_ESC, 'b', WIRE_ESC, WIRE_ESC};
	const uint8_t expected[] = {'a', WIRE_ESC, WIRE_ESC, 'b', WIRE_ESC, WIRE_ESC,
				    WIRE_ESC, WIRE_ESC, WIRE_ESC, WIRE_EOF};

	console_mux_stdin(&out, input, sizeof(input));
	console_mux_stdin(&out, input, 0);
	console_mux_eof(&out);
	CHECK(out.length == sizeof(expected) && memcmp(out.data, expected, sizeof(expected)) == 0);
	byte_buffer_free(&out);
}

static void check_winsize(void)
{
	struct byte_buffer out = {0};
	const uint8_t expected[] = {WIRE_ESC, WIRE_WINSIZE, '5', '0', 'x', '1', '2', '0', ';'};

	console_mux_winsize(&out, 50, 120);
	CHECK(out.length == sizeof(expected) && memcmp(out.data, expected, sizeof(expected)) == 0);
	byte_buffer_free(&out);
}

static void check_stdout_closed(void)
{
	struct byte_buffer out = {0};

	console_mux_stdout_closed(&out);
	CHECK(out.length == 2 && out.data[0] == WIRE_ESC && out.data[1] == WIRE_STDOUT_CLOSED);
	byte_buffer_free(&out);
}

/* A signal for the app, even one whose number is WIRE_ESC itself (16),
 * travels as one raw byte after WIRE_SIGNAL. */
static void check_signal(void)
{
	struct byte_buffer out = {0};

	console_mux_signal(&out, 15);
	console_mux_signal(&out, 16);
	CHECK(out.length == 6 && out.data[0] == WIRE_ESC && out.data[1] == WIRE_SIGNAL && out.data[2] == 15 &&
	      out.data[5] == 16);
	byte_buffer_free(&out);
}

int main(void)
{
	size_t length = sizeof(wire) - 1;

	for (size_t first = 0; first <= length; first++)
		for (size_t second = first; second <= length; second++)
			check_split(first, second);
	check_escaping();
	check_winsize();
	check_stdout_closed();
	check_signal();
	return check_summary("console_demux");
}
