/* The line discipline, Linux's n_tty: what arrives from the driver is
 * edited (canonical mode's erase, kill, werase, lnext, reprint), echoed,
 * turned into signals (ISIG) and queued for readers; what the app writes
 * goes out through output processing (OPOST). Readers take a line at a
 * time in canonical mode, and by VMIN and VTIME in raw mode. */
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/proc/signal.h"
#include "kernel/time.h"
#include "kernel/tty/tty.h"

#define DISABLED_CHAR 0 /* a c_cc entry of 0 matches nothing; EOF is queued as it */
#define CONTROL_ECHO_MASK 0x40
#define TAB_STOP 8

static bool lflag(const struct tty *t, unsigned flag) { return t->termios.c_lflag & flag; }
static bool iflag(const struct tty *t, unsigned flag) { return t->termios.c_iflag & flag; }
static bool oflag(const struct tty *t, unsigned flag) { return t->termios.c_oflag & flag; }
/* Whether c is the control character at index (a disabled one matches nothing). */
static bool is_char(const struct tty *t, int index, uint8_t c)
{
	return t->termios.c_cc[index] != DISABLED_CHAR && t->termios.c_cc[index] == c;
}
static bool is_control(uint8_t c) { return c < 0x20 || c == 0x7f; }

static size_t slot(size_t pos) { return pos % TTY_INPUT_SIZE; }
static size_t queued(const struct tty_input *in) { return in->head - in->read_pos; }
static bool is_delimiter(const struct tty_input *in, size_t pos)
{
	return in->delimiters[slot(pos) / 8] & (1u << (slot(pos) % 8));
}

static void queue_byte(struct tty_input *in, uint8_t c, bool delimiter)
{
	size_t at = slot(in->head++);
	in->bytes[at] = c;
	if (delimiter)
		in->delimiters[at / 8] |= (uint8_t)(1u << (at % 8));
	else
		in->delimiters[at / 8] &= (uint8_t) ~(1u << (at % 8));
}

/* Output processing of one byte into out (room bytes free): how many bytes
 * it became, or -1 when they do not fit. Keeps the column for erasing. */
static int process_output_byte(struct tty *t, uint8_t c, uint8_t *out, size_t room)
{
	struct tty_input *in = &t->input;
	if (!oflag(t, OPOST)) {
		if (!room)
			return -1;
		out[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (oflag(t, ONLRET))
			in->column = 0;
		if (oflag(t, ONLCR)) {
			if (room < 2)
				return -1;
			out[0] = '\r';
			out[1] = '\n';
			in->column = in->line_column = 0;
			return 2;
		}
		break;
	case '\r':
		if (oflag(t, ONOCR) && in->column == 0)
			return 0;
		if (oflag(t, OCRNL)) {
			c = '\n';
			if (oflag(t, ONLRET))
				in->column = in->line_column = 0;
			break;
		}
		in->column = in->line_column = 0;
		break;
	case '\t': {
		unsigned spaces = TAB_STOP - in->column % TAB_STOP;
		if ((t->termios.c_oflag & TABDLY) == XTABS) {
			if (room < spaces)
				return -1;
			for (unsigned i = 0; i < spaces; i++)
				out[i] = ' ';
			in->column += spaces;
			return (int)spaces;
		}
		in->column += spaces;
		break;
	}
	case '\b':
		if (in->column > 0)
			in->column--;
		break;
	default:
		if (oflag(t, OLCUC) && c >= 'a' && c <= 'z')
			c = (uint8_t)(c - 'a' + 'A');
		/* UTF-8 continuation bytes take no column of their own. */
		if (!is_control(c) && !(iflag(t, IUTF8) && (c & 0xc0) == 0x80))
			in->column++;
		break;
	}
	if (!room)
		return -1;
	out[0] = c;
	return 1;
}

/* Echo goes straight to the driver when it has room, and is lost when not,
 * as Linux drops echoes that do not fit. */
static void echo_raw(struct tty *t, const uint8_t *bytes, size_t n)
{
	uint8_t out[64];
	size_t len = 0, room = t->driver->write_room(t);
	for (size_t i = 0; i < n; i++) {
		size_t fit = room - len < sizeof out - len ? room - len : sizeof out - len;
		int made = process_output_byte(t, bytes[i], out + len, fit);
		if (made < 0)
			break;
		len += (size_t)made;
	}
	if (len)
		t->driver->write(t, out, len);
}

/* Echoes c as the user sees it: a control character as ^X under ECHOCTL
 * (tab and newline aside). */
static void echo_char(struct tty *t, uint8_t c)
{
	if (lflag(t, ECHOCTL) && is_control(c) && c != '\t' && c != '\n') {
		uint8_t caret[2] = {'^', (uint8_t)(c ^ CONTROL_ECHO_MASK)};
		echo_raw(t, caret, 2);
		t->input.column += 2;
		return;
	}
	echo_raw(t, &c, 1);
}

/* The column the echo of the edited line reaches up to its end, from the
 * column where the line began: where a tab's erasure must go back to. */
static unsigned column_after_line(const struct tty *t)
{
	const struct tty_input *in = &t->input;
	unsigned column = in->line_column;
	for (size_t pos = in->line_end; pos != in->head; pos++) {
		uint8_t c = in->bytes[slot(pos)];
		if (c == '\t')
			column += TAB_STOP - column % TAB_STOP;
		else if (is_control(c))
			column += lflag(t, ECHOCTL) ? 2 : 0;
		else if (!(iflag(t, IUTF8) && (c & 0xc0) == 0x80))
			column++;
	}
	return column;
}

static void echo_rubout(struct tty *t, unsigned columns)
{
	static const uint8_t rubout[3] = {'\b', ' ', '\b'};
	for (unsigned i = 0; i < columns; i++)
		echo_raw(t, rubout, 3);
}

static bool is_word_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* Takes the last character of the edited line off the queue: its byte
 * (the lead byte of a UTF-8 sequence under IUTF8). */
static uint8_t unqueue_char(struct tty *t)
{
	struct tty_input *in = &t->input;
	uint8_t c;
	do
		c = in->bytes[slot(--in->head)];
	while (iflag(t, IUTF8) && (c & 0xc0) == 0x80 && in->head != in->line_end);
	return c;
}

/* VERASE, VWERASE and VKILL on the line being edited, as the echo shows it. */
static void erase(struct tty *t, enum erase_kind kind, uint8_t key)
{
	struct tty_input *in = &t->input;
	if (in->head == in->line_end)
		return;
	if (kind == ERASE_LINE && (!lflag(t, ECHO) || !lflag(t, ECHOK) || !lflag(t, ECHOKE) || !lflag(t, ECHOE))) {
		in->head = in->line_end;
		if (lflag(t, ECHO)) {
			echo_char(t, key);
			if (lflag(t, ECHOK))
				echo_raw(t, (const uint8_t *)"\n", 1);
		}
		return;
	}
	bool seen_word = false;
	while (in->head != in->line_end) {
		uint8_t last = in->bytes[slot(in->head - 1)];
		if (kind == ERASE_WORD) {
			if (is_word_char(last))
				seen_word = true;
			else if (seen_word)
				break;
		}
		unsigned before = column_after_line(t);
		uint8_t c = unqueue_char(t);
		if (lflag(t, ECHO)) {
			if (kind == ERASE_CHAR && !lflag(t, ECHOE))
				echo_char(t, key);
			else if (c == '\t')
				echo_raw(t, (const uint8_t *)"\b\b\b\b\b\b\b\b", before - column_after_line(t));
			else
				echo_rubout(t, is_control(c) ? (lflag(t, ECHOCTL) ? 2 : 0) : 1);
		}
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: the line so far, on a line of its own. */
static void reprint(struct tty *t, uint8_t key)
{
	struct tty_input *in = &t->input;
	echo_char(t, key);
	echo_raw(t, (const uint8_t *)"\n", 1);
	in->line_column = in->column;
	for (size_t pos = in->line_end; pos != in->head; pos++)
		echo_char(t, in->bytes[slot(pos)]);
}

/* A line is complete: readers may take it. */
static void end_line(struct tty *t, uint8_t c)
{
	struct tty_input *in = &t->input;
	queue_byte(in, c, true);
	in->line_end = in->head;
	in->line_column = in->column;
	tty_wake(t, EPOLLIN | EPOLLRDNORM);
}

/* ISIG: the signal goes to the foreground group as the key arrives; the
 * queue is flushed first unless NOFLSH, and stopped output restarts. */
static void signal_key(struct tty *t, int sig, uint8_t c)
{
	if (!lflag(t, NOFLSH)) {
		ldisc_flush_input(t);
		if (t->driver->flush_output)
			t->driver->flush_output(t);
	}
	if (iflag(t, IXON))
		tty_start_output(t);
	if (lflag(t, ECHO))
		echo_char(t, c);
	tty_signal_foreground(t, sig);
}

/* Flow control keys (IXON): true when c was one and is used up. */
static bool flow_control_key(struct tty *t, uint8_t c)
{
	if (!iflag(t, IXON))
		return false;
	if (is_char(t, VSTOP, c)) {
		t->output_stopped = true;
		return true;
	}
	bool start = is_char(t, VSTART, c);
	if (start || iflag(t, IXANY))
		tty_start_output(t);
	return start;
}

static bool signal_keys(struct tty *t, uint8_t c)
{
	if (!lflag(t, ISIG))
		return false;
	int sig = is_char(t, VINTR, c) ? SIGINT : is_char(t, VQUIT, c) ? SIGQUIT : is_char(t, VSUSP, c) ? SIGTSTP : 0;
	if (sig)
		signal_key(t, sig, c);
	return sig != 0;
}

/* Canonical mode's editing keys: true when c was one and is used up. */
static bool editing_key(struct tty *t, uint8_t c)
{
	bool extended = lflag(t, IEXTEN);
	if (is_char(t, VERASE, c))
		erase(t, ERASE_CHAR, c);
	else if (is_char(t, VKILL, c))
		erase(t, ERASE_LINE, c);
	else if (extended && is_char(t, VWERASE, c))
		erase(t, ERASE_WORD, c);
	else if (extended && is_char(t, VLNEXT, c)) {
		t->input.literal_next = true;
		if (lflag(t, ECHO) && lflag(t, ECHOCTL))
			echo_raw(t, (const uint8_t *)"^\b", 2);
	} else if (extended && is_char(t, VREPRINT, c)) {
		if (lflag(t, ECHO))
			reprint(t, c);
	} else {
		return false;
	}
	return true;
}

/* One byte in canonical mode, after signals and editing keys: false when
 * it found no room. One byte of room stays for a line's end, so that a
 * full queue still ends its line. */
static bool receive_canonical(struct tty *t, uint8_t c)
{
	struct tty_input *in = &t->input;
	bool ends_line =
	    c == '\n' || is_char(t, VEOF, c) || is_char(t, VEOL, c) || (lflag(t, IEXTEN) && is_char(t, VEOL2, c));
	if (queued(in) >= TTY_INPUT_SIZE - (ends_line ? 0 : 1))
		return false;
	if (is_char(t, VEOF, c)) {
		end_line(t, DISABLED_CHAR); /* read returns the line without it, or 0 at a line's start */
		return true;
	}
	if (lflag(t, ECHO) || (c == '\n' && lflag(t, ECHONL)))
		echo_char(t, c);
	if (ends_line)
		end_line(t, c);
	else
		queue_byte(in, c, false);
	return true;
}

size_t ldisc_receive(struct tty *t, const uint8_t *bytes, size_t n)
{
	struct tty_input *in = &t->input;
	bool canonical = lflag(t, ICANON);
	size_t taken = 0;
	for (; taken < n; taken++) {
		uint8_t c = bytes[taken];
		if (iflag(t, ISTRIP))
			c &= 0x7f;
		if (in->literal_next) {
			if (!canonical && queued(in) == TTY_INPUT_SIZE)
				break;
			in->literal_next = false;
			if (lflag(t, ECHO))
				echo_char(t, c);
			queue_byte(in, c, false);
			if (!canonical)
				tty_wake(t, EPOLLIN | EPOLLRDNORM);
			continue;
		}
		if (flow_control_key(t, c) || signal_keys(t, c))
			continue;
		if (c == '\r') {
			if (iflag(t, IGNCR))
				continue;
			if (iflag(t, ICRNL))
				c = '\n';
		} else if (c == '\n' && iflag(t, INLCR)) {
			c = '\r';
		}
		if (canonical) {
			if (!editing_key(t, c))
				receive_canonical(t, c); /* a full queue drops the byte, as Linux's does */
			continue;
		}
		if (queued(in) == TTY_INPUT_SIZE)
			break; /* raw mode holds the rest back until a reader makes room */
		if (lflag(t, IEXTEN) && is_char(t, VLNEXT, c)) {
			in->literal_next = true;
			continue;
		}
		if (lflag(t, ECHO) || (c == '\n' && lflag(t, ECHONL)))
			echo_char(t, c);
		queue_byte(in, c, false);
		tty_wake(t, EPOLLIN | EPOLLRDNORM);
	}
	return taken;
}

/* What a canonical read may take now: up to the first line's end. */
static size_t first_line_length(const struct tty_input *in)
{
	for (size_t pos = in->read_pos; pos != in->line_end; pos++)
		if (is_delimiter(in, pos))
			return pos + 1 - in->read_pos;
	return 0;
}

size_t ldisc_readable(const struct tty *t)
{
	const struct tty_input *in = &t->input;
	if (!lflag(t, ICANON))
		return queued(in);
	size_t n = 0;
	for (size_t pos = in->read_pos; pos != in->line_end; pos++)
		if (!(is_delimiter(in, pos) && in->bytes[slot(pos)] == DISABLED_CHAR))
			n++;
	return n;
}

bool ldisc_input_full(const struct tty *t) { return queued(&t->input) >= TTY_INPUT_SIZE; }

bool ldisc_read_ready(const struct tty *t)
{
	const struct tty_input *in = &t->input;
	if (t->input_ended)
		return true;
	if (lflag(t, ICANON))
		return in->line_end != in->read_pos;
	/* poll waits for VMIN bytes when there is no VTIME, as Linux's does */
	size_t vmin = t->termios.c_cc[VMIN], need = vmin && !t->termios.c_cc[VTIME] ? vmin : 1;
	return queued(in) >= need;
}

/* Copies n queued bytes to buf at off and drops them; the driver hears
 * of the room. */
static int take_bytes(struct tty *t, struct iobuf buf, size_t off, size_t n)
{
	struct tty_input *in = &t->input;
	size_t first = TTY_INPUT_SIZE - slot(in->read_pos);
	if (first > n)
		first = n;
	if (iobuf_put(buf, off, in->bytes + slot(in->read_pos), first) ||
	    iobuf_put(buf, off + first, in->bytes, n - first))
		return -EFAULT;
	in->read_pos += n;
	if (t->driver->input_room)
		t->driver->input_room(t);
	tty_wake(t, EPOLLOUT | EPOLLWRNORM);
	return 0;
}

static long read_canonical(struct tty *t, struct file *f, struct iobuf buf, size_t len)
{
	struct tty_input *in = &t->input;
	for (;;) {
		size_t line = first_line_length(in);
		if (line) {
			bool eof = in->bytes[slot(in->read_pos + line - 1)] == DISABLED_CHAR;
			size_t n = line - (eof ? 1 : 0);
			if (n > len)
				n = len;
			if (n && take_bytes(t, buf, 0, n))
				return -EFAULT;
			if (eof && n == line - 1)
				in->read_pos++; /* the EOF mark goes with the line it ended */
			return (long)n;
		}
		if (t->hung_up || t->input_ended)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = readiness_wait(&t->queue, 0);
		if (err)
			return err;
		if ((err = tty_check_background_read(t)))
			return err;
	}
}

#define NSEC_PER_DECISECOND 100000000ull

/* Raw mode: VMIN bytes, with VTIME as the whole wait (VMIN 0) or the gap
 * allowed between bytes (VMIN above 0); VMIN and VTIME 0 polls. */
static long read_raw(struct tty *t, struct file *f, struct iobuf buf, size_t len)
{
	size_t vmin = t->termios.c_cc[VMIN];
	uint64_t vtime = t->termios.c_cc[VTIME] * NSEC_PER_DECISECOND;
	uint64_t deadline = vmin == 0 && vtime ? time_monotonic_ns() + vtime : 0;
	size_t copied = 0;
	for (;;) {
		size_t n = queued(&t->input);
		if (n > len - copied)
			n = len - copied;
		if (n && take_bytes(t, buf, copied, n))
			return copied ? (long)copied : -EFAULT;
		copied += n;
		if (copied == len || (vmin == 0 && (!vtime || copied)) || (vmin && copied >= vmin) || t->hung_up ||
		    t->input_ended)
			break;
		if (f->flags & O_NONBLOCK) {
			if (!copied)
				return -EAGAIN;
			break;
		}
		if (vmin && vtime && n)
			deadline = time_monotonic_ns() + vtime; /* the gap restarts with every byte */
		long err = readiness_wait(&t->queue, deadline);
		if (err == -ETIMEDOUT)
			break;
		if (err)
			return copied ? (long)copied : err;
		if (!copied && (err = tty_check_background_read(t)))
			return err;
	}
	return (long)copied;
}

long ldisc_read(struct tty *t, struct file *f, struct iobuf buf, size_t len)
{
	long err = tty_check_background_read(t);
	if (err)
		return err;
	if (t->hung_up)
		return 0;
	if (!len)
		return 0;
	return lflag(t, ICANON) ? read_canonical(t, f, buf, len) : read_raw(t, f, buf, len);
}

bool ldisc_write_ready(struct tty *t) { return !t->output_stopped && t->driver->write_room(t) > 0; }

/* Moves what fits of bytes[0..n) through output processing to the
 * driver: how many of them went. */
static size_t write_some(struct tty *t, const uint8_t *bytes, size_t n)
{
	uint8_t out[512];
	size_t room = t->driver->write_room(t), made = 0, used = 0;
	if (room > sizeof out)
		room = sizeof out;
	for (; used < n; used++) {
		unsigned column = t->input.column, line_column = t->input.line_column;
		int len = process_output_byte(t, bytes[used], out + made, room - made);
		if (len < 0) {
			t->input.column = column; /* it goes out later, counted then */
			t->input.line_column = line_column;
			break;
		}
		made += (size_t)len;
	}
	if (made)
		t->driver->write(t, out, made);
	return used;
}

long ldisc_write(struct tty *t, struct file *f, struct iobuf buf, size_t len)
{
	long err = tty_check_background_write(t, false);
	if (err)
		return err;
	size_t done = 0;
	bool short_of_room = false; /* the driver's room is less than the next byte becomes */
	while (done < len) {
		if (t->hung_up)
			return done ? (long)done : -EIO;
		if (short_of_room || !ldisc_write_ready(t)) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			err = readiness_wait(&t->queue, 0);
			if (err)
				return done ? (long)done : err;
			short_of_room = false;
			continue;
		}
		uint8_t chunk[256];
		size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
		if (iobuf_get(chunk, buf, done, n))
			return done ? (long)done : -EFAULT;
		size_t used = write_some(t, chunk, n);
		done += used;
		short_of_room = used == 0;
	}
	return (long)done;
}

void ldisc_flush_input(struct tty *t)
{
	struct tty_input *in = &t->input;
	in->read_pos = in->line_end = in->head;
	in->literal_next = false;
	if (t->driver->input_room)
		t->driver->input_room(t);
	tty_wake(t, EPOLLOUT | EPOLLWRNORM);
}

void ldisc_termios_changed(struct tty *t, const struct termios2 *old)
{
	struct tty_input *in = &t->input;
	bool was_canonical = old->c_lflag & ICANON;
	if (was_canonical == lflag(t, ICANON))
		return;
	/* Into canonical mode, what raw mode left queued counts as a line
	 * (Linux pushes it); out of it, every queued byte is readable. */
	if (lflag(t, ICANON) && queued(in))
		in->delimiters[slot(in->head - 1) / 8] |= (uint8_t)(1u << (slot(in->head - 1) % 8));
	in->line_end = in->head;
	in->line_column = in->column;
	in->literal_next = false;
	tty_wake(t, EPOLLIN | EPOLLRDNORM);
}
