/* Pseudo-terminals (pty(7)): opening /dev/ptmx makes a pair, the master
 * file and the slave tty /dev/pts/N. What the master writes arrives at the
 * slave's line discipline as typed keys; what the slave writes (and
 * echoes) waits in a ring for the master to read. The slave opens once
 * TIOCSPTLCK unlocks it; the master's close hangs the slave up, and the
 * slave's last close makes the master read EIO once the ring is empty. */
#include "kernel/tty/pty.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/readiness.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"
#include "kernel/tty/devpts.h"
#include "kernel/tty/tty.h"
#include "libc-glue/kformat.h"

#define PTY_MAX 256           /* pairs at once: a VM runs a few (Linux allows 4096) */
#define PTY_OUTPUT_SIZE 16384 /* the slave's output not yet read by the master */

struct pty {
	struct tty tty; /* the slave's terminal */
	int index;
	bool locked; /* until TIOCSPTLCK 0 */
	bool master_open;
	bool slave_closed; /* the slave's files all closed since one opened */
	struct termios2 master_termios;
	struct inode *node; /* /dev/pts/N */
	uint8_t output[PTY_OUTPUT_SIZE];
	size_t output_start, output_len;
};

static struct pty *ptys[PTY_MAX];

static struct pty *pty_of(struct tty *tty) { return tty->driver_data; }

static size_t output_room(struct tty *tty) { return PTY_OUTPUT_SIZE - pty_of(tty)->output_len; }

static size_t output_put(struct tty *tty, const uint8_t *bytes, size_t n)
{
	struct pty *pty = pty_of(tty);
	if (n > output_room(tty))
		n = output_room(tty);
	for (size_t i = 0; i < n; i++)
		pty->output[(pty->output_start + pty->output_len + i) % PTY_OUTPUT_SIZE] = bytes[i];
	pty->output_len += n;
	if (n)
		tty_wake(tty, EPOLLIN | EPOLLRDNORM);
	return n;
}

static void output_flush(struct tty *tty)
{
	pty_of(tty)->output_len = 0;
	tty_wake(tty, EPOLLOUT | EPOLLWRNORM);
}

static void pty_free(struct pty *pty)
{
	tty_remove(&pty->tty);
	ptys[pty->index] = NULL;
	kfree(pty);
}

static void slave_last_close(struct tty *tty)
{
	struct pty *pty = pty_of(tty);
	pty->slave_closed = true;
	tty_wake(tty, ~0u);
	if (!pty->master_open)
		pty_free(pty);
}

static const struct tty_driver pty_slave_driver = {
    .write = output_put,
    .write_room = output_room,
    .flush_output = output_flush,
    .last_close = slave_last_close,
    .is_pty = true,
};

/* The master's side. */

static long master_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct pty *pty = f->object;
	for (;;) {
		if (pty->output_len) {
			size_t n = len < pty->output_len ? len : pty->output_len;
			size_t first = PTY_OUTPUT_SIZE - pty->output_start;
			if (first > n)
				first = n;
			if (iobuf_put(buf, 0, pty->output + pty->output_start, first) ||
			    iobuf_put(buf, first, pty->output, n - first))
				return -EFAULT;
			pty->output_start = (pty->output_start + n) % PTY_OUTPUT_SIZE;
			pty->output_len -= n;
			tty_wake(&pty->tty, EPOLLOUT | EPOLLWRNORM);
			return (long)n;
		}
		if (!len)
			return 0;
		if (pty->slave_closed)
			return -EIO;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = readiness_wait(&pty->tty.queue, 0);
		if (err)
			return err;
	}
}

/* The master's writes are the slave's typed input; they wait while the
 * slave's input queue is full. */
static long master_write(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct pty *pty = f->object;
	size_t done = 0;
	while (done < len) {
		uint8_t chunk[256];
		size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
		if (iobuf_get(chunk, buf, done, n))
			return done ? (long)done : -EFAULT;
		size_t taken = ldisc_receive(&pty->tty, chunk, n);
		done += taken;
		if (taken == n)
			continue;
		if (f->flags & O_NONBLOCK)
			return done ? (long)done : -EAGAIN;
		while (ldisc_input_full(&pty->tty)) {
			long err = readiness_wait(&pty->tty.queue, 0);
			if (err)
				return done ? (long)done : err;
		}
	}
	return (long)done;
}

static unsigned master_poll(struct file *f, struct wait_queue **queue)
{
	struct pty *pty = f->object;
	if (queue)
		*queue = &pty->tty.queue;
	unsigned events = 0;
	if (pty->output_len)
		events |= EPOLLIN | EPOLLRDNORM;
	if (!ldisc_input_full(&pty->tty))
		events |= EPOLLOUT | EPOLLWRNORM;
	if (pty->slave_closed)
		events |= EPOLLHUP;
	return events;
}

static int open_slave(struct pty *pty, struct inode *node, unsigned flags, const char *path, struct file **out)
{
	if (!pty->master_open || pty->locked)
		return -EIO;
	int err = tty_file_open(&pty->tty, node, flags, path, out);
	if (!err)
		pty->slave_closed = false;
	return err;
}

/* TIOCGPTPEER: the slave, opened through the master without its name. */
static long open_peer(struct pty *pty, unsigned flags)
{
	char path[24];
	ksnprintf(path, sizeof path, "/dev/pts/%d", pty->index);
	struct file *f;
	int err = open_slave(pty, pty->node, flags, path, &f);
	if (err)
		return err;
	return fd_install_new(current_process()->files, f, flags & O_CLOEXEC);
}

static long put_int(unsigned long arg, int value)
{
	return copy_to_user((void *)arg, &value, sizeof value) ? -EFAULT : 0;
}

/* The master's own termios: stored and reported, as Linux keeps one for
 * the master's end, with no effect on the pair. */
static long master_termios(struct pty *pty, unsigned cmd, unsigned long arg)
{
	if (cmd == TCGETS || cmd == TCGETS2 || cmd == TCGETA)
		return tty_termios_get(&pty->master_termios, cmd, arg);
	return tty_termios_read(&pty->master_termios, cmd, arg);
}

static long master_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct pty *pty = f->object;
	struct tty *tty = &pty->tty;
	int value;
	switch (cmd) {
	case TIOCGPTN:
		return put_int(arg, pty->index);
	case TIOCSPTLCK:
		if (copy_from_user(&value, (const void *)arg, sizeof value))
			return -EFAULT;
		pty->locked = value != 0;
		return 0;
	case TIOCGPTLCK:
		return put_int(arg, pty->locked);
	case TIOCGPTPEER:
		return open_peer(pty, (unsigned)arg);
	case TIOCGWINSZ:
		return copy_to_user((void *)arg, &tty->winsize, sizeof tty->winsize) ? -EFAULT : 0;
	case TIOCSWINSZ: {
		struct winsize ws;
		if (copy_from_user(&ws, (const void *)arg, sizeof ws))
			return -EFAULT;
		tty_set_winsize(tty, &ws);
		return 0;
	}
	case TIOCGPGRP:
		return put_int(arg, tty->pgrp);
	case TIOCGSID:
		return tty->session ? put_int(arg, tty->session) : -ENOTTY;
	case FIONREAD:
		return put_int(arg, (int)pty->output_len);
	case TIOCOUTQ:
		return put_int(arg, (int)ldisc_readable(tty));
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
		return 0; /* a break means nothing between the pair's ends */
	case TIOCGETD:
	case TIOCSETD:
		return tty_line_discipline_ioctl(cmd, arg);
	case TIOCVHANGUP:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		tty_hangup(tty);
		return 0;
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH)
			output_flush(tty); /* the master's input is the slave's output */
		if (arg != TCIFLUSH)
			ldisc_flush_input(tty);
		return 0;
	case TCGETS:
	case TCGETS2:
	case TCGETA:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
	case TCSETA:
	case TCSETAW:
	case TCSETAF:
		return master_termios(pty, cmd, arg);
	default:
		return -ENOTTY;
	}
}

static void master_release(struct file *f)
{
	struct pty *pty = f->object;
	pty->master_open = false;
	devpts_remove(pty->node, pty->index);
	pty->node = NULL;
	if (pty->tty.opens) {
		tty_hangup(&pty->tty); /* the last slave close frees the pair */
		return;
	}
	int leader = pty->tty.session;
	pty_free(pty);
	tty_signal_hangup(leader);
}

static const struct file_ops pty_master_ops = {
    .read = master_read, .write = master_write, .ioctl = master_ioctl, .poll = master_poll, .release = master_release};

/* /dev/pts/N: the slave of pair N, while its master is open. */
static int slave_node_open(struct inode *node, unsigned flags, const char *path, struct file **out)
{
	for (int i = 0; i < PTY_MAX; i++)
		if (ptys[i] && ptys[i]->node == node)
			return open_slave(ptys[i], node, flags, path, out);
	return -EIO;
}

static const struct chardev pty_slave_device = {.open = slave_node_open};

/* Linux's master termios: raw, 8 bits, no echo. */
static const struct termios2 master_default_termios = {
    .c_cflag = B38400 | CS8 | CREAD, .c_ispeed = 38400, .c_ospeed = 38400};

/* /dev/ptmx: a new pair, locked, at the lowest free number. */
static int multiplexer_open(struct inode *ptmx, unsigned flags, const char *path, struct file **out)
{
	int index = 0;
	while (index < PTY_MAX && ptys[index])
		index++;
	if (index == PTY_MAX)
		return -ENOSPC;
	struct pty *pty = kzalloc(sizeof *pty);
	if (!pty)
		return -ENOMEM;
	pty->node = devpts_add(index, &pty_slave_device);
	struct file *f = pty->node ? file_open_anonymous(ptmx, 0, &pty_master_ops, pty, flags, path) : NULL;
	if (!f) {
		if (pty->node)
			devpts_remove(pty->node, index);
		kfree(pty);
		return -ENOMEM;
	}
	pty->index = index;
	pty->locked = true;
	pty->master_open = true;
	pty->master_termios = master_default_termios;
	tty_init(&pty->tty, &pty_slave_driver, pty, devpts_rdev(index));
	ptys[index] = pty;
	*out = f;
	return 0;
}

const struct chardev pty_multiplexer = {.open = multiplexer_open};
