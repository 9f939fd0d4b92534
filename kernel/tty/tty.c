/* The tty object and its files: every tty on one list (a VM has the
 * console and a few ptys), opening one (and with it, for a session leader,
 * its controlling terminal), reading, writing and polling through the line
 * discipline, and hangup. */
#include "kernel/tty/tty.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/readiness.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"

#define CONTROL(c) ((c)&0x1f)
#define TTY_DEFAULT_SPEED 38400

const struct termios2 tty_std_termios = {
    .c_iflag = ICRNL | IXON,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B38400 | CS8 | CREAD | HUPCL,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    .c_cc = {[VINTR] = CONTROL('C'),
             [VQUIT] = CONTROL('\\'),
             [VERASE] = 0x7f,
             [VKILL] = CONTROL('U'),
             [VEOF] = CONTROL('D'),
             [VMIN] = 1,
             [VSTART] = CONTROL('Q'),
             [VSTOP] = CONTROL('S'),
             [VSUSP] = CONTROL('Z'),
             [VREPRINT] = CONTROL('R'),
             [VDISCARD] = CONTROL('O'),
             [VWERASE] = CONTROL('W'),
             [VLNEXT] = CONTROL('V')},
    .c_ispeed = TTY_DEFAULT_SPEED,
    .c_ospeed = TTY_DEFAULT_SPEED,
};

static struct tty *all_ttys;

void tty_init(struct tty *tty, const struct tty_driver *driver, void *driver_data, uint32_t rdev)
{
	tty->driver = driver;
	tty->driver_data = driver_data;
	tty->rdev = rdev;
	tty->termios = tty_std_termios;
	tty->next_tty = all_ttys;
	all_ttys = tty;
}

void tty_remove(struct tty *tty)
{
	for (struct tty **at = &all_ttys; *at; at = &(*at)->next_tty)
		if (*at == tty) {
			*at = tty->next_tty;
			return;
		}
}

struct tty *tty_of_session(int sid)
{
	if (!sid)
		return NULL;
	for (struct tty *t = all_ttys; t; t = t->next_tty)
		if (t->session == sid)
			return t;
	return NULL;
}

void tty_wake(struct tty *tty, unsigned events) { readiness_notify(&tty->queue, events); }

void tty_start_output(struct tty *tty)
{
	if (!tty->output_stopped || tty->stopped_by_tcooff)
		return;
	tty->output_stopped = false;
	tty_wake(tty, EPOLLOUT | EPOLLWRNORM);
}

static long tty_file_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return ldisc_read(f->object, f, buf, len);
}

static long tty_file_write(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return ldisc_write(f->object, f, buf, len);
}

static long tty_file_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	return tty_ioctl(f->object, f, cmd, arg);
}

/* A hung-up tty is always ready: reads see the end, writes fail. */
#define HUNG_UP_EVENTS (EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM | EPOLLERR | EPOLLHUP)

static unsigned tty_file_poll(struct file *f, struct wait_queue **queue)
{
	struct tty *tty = f->object;
	if (queue)
		*queue = &tty->queue;
	if (tty->hung_up)
		return HUNG_UP_EVENTS;
	unsigned events = 0;
	if (ldisc_read_ready(tty))
		events |= EPOLLIN | EPOLLRDNORM;
	if (ldisc_write_ready(tty))
		events |= EPOLLOUT | EPOLLWRNORM;
	return events;
}

static void tty_file_release(struct file *f)
{
	struct tty *tty = f->object;
	if (--tty->opens == 0 && tty->driver->last_close)
		tty->driver->last_close(tty);
}

static const struct file_ops tty_file_ops = {.read = tty_file_read,
                                             .write = tty_file_write,
                                             .ioctl = tty_file_ioctl,
                                             .poll = tty_file_poll,
                                             .release = tty_file_release};

/* Linux's tty_open_proc_set_tty: a session leader without a terminal that
 * opens one nobody controls, without O_NOCTTY, makes it its own. */
static void maybe_acquire(struct tty *tty, unsigned flags)
{
	struct process *p = current_process();
	if ((flags & O_NOCTTY) || p->sid != p->pid || tty->session || tty_of_session(p->sid))
		return;
	tty->session = p->sid;
	tty->pgrp = p->pgid;
}

int tty_file_open(struct tty *tty, struct inode *ino, unsigned flags, const char *path, struct file **out)
{
	if (tty->exclusive && !capable(CAP_SYS_ADMIN))
		return -EBUSY;
	struct file *f = file_open_anonymous(ino, 0, &tty_file_ops, tty, flags, path);
	if (!f)
		return -ENOMEM;
	tty->opens++;
	maybe_acquire(tty, flags);
	*out = f;
	return 0;
}

/* Sends sig to the process pid names, as the kernel does (no permission
 * applies). */
static void send_to_process(int pid, int sig)
{
	struct process *p = process_by_pid(pid);
	struct signal_info info = {.signo = sig, .code = SI_KERNEL};
	if (p && p->state == PROCESS_ALIVE)
		signal_send_process_later(p, &info);
}

void tty_signal_hangup(int leader)
{
	if (leader) {
		send_to_process(leader, SIGHUP);
		send_to_process(leader, SIGCONT);
	}
}

void tty_hangup(struct tty *tty)
{
	tty->hung_up = true;
	int leader = tty->session;
	tty->session = tty->pgrp = 0;
	tty_wake(tty, ~0u);
	tty_signal_hangup(leader);
}

/* /dev/tty: the caller's controlling terminal, ENXIO without one. */
static int controlling_open(struct inode *ino, unsigned flags, const char *path, struct file **out)
{
	struct tty *tty = tty_of_session(current_process()->sid);
	if (!tty)
		return -ENXIO;
	return tty_file_open(tty, ino, flags | O_NOCTTY, path, out);
}

const struct chardev tty_controlling_device = {.open = controlling_open};
