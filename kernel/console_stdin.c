/* The app's stdin when no tty takes the console's input: a pipe-like
 * buffer that the console's receive interrupt fills and reads drain. When
 * it is full the console holds the rest back (so QEMU stops reading the
 * host's stdin) until a read makes room again: nothing is ever dropped. */
#include <linux/eventpoll.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/iobuf.h"

#define STDIN_BUFFER_SIZE 65536 /* a power of two: offsets wrap with a mask */

static uint8_t buffer[STDIN_BUFFER_SIZE];
static size_t head, tail; /* bytes ever written and read; head - tail are waiting */
static bool at_eof;
static bool held_back; /* the console kept bytes that did not fit */
static struct wait_queue readers;

/* How many of n bytes from offset at lie before the buffer's end. */
static size_t piece_before_end(size_t at, size_t n)
{
	at &= STDIN_BUFFER_SIZE - 1;
	return n < STDIN_BUFFER_SIZE - at ? n : STDIN_BUFFER_SIZE - at;
}

static size_t stdin_receive(const uint8_t *bytes, size_t n)
{
	size_t room = STDIN_BUFFER_SIZE - (head - tail);
	size_t take = n < room ? n : room;
	for (size_t done = 0, piece; done < take; done += piece) {
		piece = piece_before_end(head + done, take - done);
		memcpy(buffer + ((head + done) & (STDIN_BUFFER_SIZE - 1)), bytes + done, piece);
	}
	head += take;
	held_back = take < n;
	if (take)
		readiness_notify(&readers, EPOLLIN | EPOLLRDNORM);
	return take;
}

static void stdin_eof(void)
{
	at_eof = true;
	readiness_notify(&readers, EPOLLIN | EPOLLRDNORM);
}

static bool stdin_waited(void) { return readers.head != NULL; }

const struct console_input_ops console_stdin_ops = {
    .receive = stdin_receive,
    .eof = stdin_eof,
    .waited = stdin_waited,
};

bool console_stdin_ready(void) { return head != tail || at_eof; }

struct wait_queue *console_stdin_queue(void) { return &readers; }

long console_read_stdin(const struct iobuf *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (head == tail)
		return at_eof ? 0 : -EAGAIN;
	size_t waiting = head - tail, take = len < waiting ? len : waiting, done = 0;
	for (size_t piece; done < take; done += piece) {
		piece = piece_before_end(tail + done, take - done);
		if (iobuf_put(*buf, done, buffer + ((tail + done) & (STDIN_BUFFER_SIZE - 1)), piece))
			break;
	}
	if (done == 0)
		return -EFAULT;
	tail += done;
	if (held_back) {
		held_back = false;
		console_input_resume();
	}
	return (long)done;
}
