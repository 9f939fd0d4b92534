/* A tty's ioctls (tty_ioctl(4)): termios get and set in both layouts,
 * flushing and flow control, the window size, the controlling terminal
 * and foreground group, and the queue sizes. */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"
#include "kernel/tty/tty.h"

#include <linux/fcntl.h>
#include <string.h>

#define N_TTY 0 /* the only line discipline */

static long put_int(unsigned long arg, int value)
{
	return copy_to_user((void *)arg, &value, sizeof value) ? -EFAULT : 0;
}

static long get_int(unsigned long arg, int *value)
{
	return copy_from_user(value, (const void *)arg, sizeof *value) ? -EFAULT : 0;
}

/* The speed a Bnnn code in c_cflag stands for; BOTHER means the termios2
 * fields hold it. */
static unsigned speed_of(unsigned code)
{
	static const unsigned speeds[] = {0,   50,   75,   110,  134,  150,  200,   300,
	                                  600, 1200, 1800, 2400, 4800, 9600, 19200, 38400};
	static const unsigned high_speeds[] = {0,       57600,   115200,  230400,  460800,  500000,  576000,  921600,
	                                       1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000};
	return code & CBAUDEX ? high_speeds[code & 0xf] : speeds[code & 0xf];
}

long tty_line_discipline_ioctl(unsigned cmd, unsigned long arg)
{
	if (cmd == TIOCGETD)
		return put_int(arg, N_TTY);
	int value;
	long err = get_int(arg, &value);
	if (err)
		return err;
	return value == N_TTY ? 0 : -EINVAL;
}

long tty_termios_get(const struct termios2 *t, unsigned cmd, unsigned long arg)
{
	if (cmd != TCGETA) {
		size_t size = cmd == TCGETS2 ? sizeof(struct termios2) : sizeof(struct termios);
		return copy_to_user((void *)arg, t, size) ? -EFAULT : 0;
	}
	struct termio old = {.c_iflag = (unsigned short)t->c_iflag,
	                     .c_oflag = (unsigned short)t->c_oflag,
	                     .c_cflag = (unsigned short)t->c_cflag,
	                     .c_lflag = (unsigned short)t->c_lflag,
	                     .c_line = t->c_line};
	memcpy(old.c_cc, t->c_cc, NCC);
	return copy_to_user((void *)arg, &old, sizeof old) ? -EFAULT : 0;
}

/* The termio layout sets the low 16 bits of each flag word (Linux's
 * user_termio_to_kernel_termios) and the first NCC characters. */
static int termios_from_termio(struct termios2 *t, unsigned long arg)
{
	struct termio old;
	if (copy_from_user(&old, (const void *)arg, sizeof old))
		return -EFAULT;
	t->c_iflag = (t->c_iflag & 0xffff0000u) | old.c_iflag;
	t->c_oflag = (t->c_oflag & 0xffff0000u) | old.c_oflag;
	t->c_cflag = (t->c_cflag & 0xffff0000u) | old.c_cflag;
	t->c_lflag = (t->c_lflag & 0xffff0000u) | old.c_lflag;
	t->c_line = old.c_line;
	memcpy(t->c_cc, old.c_cc, NCC);
	return 0;
}

int tty_termios_read(struct termios2 *t, unsigned cmd, unsigned long arg)
{
	if (cmd == TCSETA || cmd == TCSETAW || cmd == TCSETAF)
		return termios_from_termio(t, arg);
	bool two = cmd == TCSETS2 || cmd == TCSETSW2 || cmd == TCSETSF2;
	if (copy_from_user(t, (const void *)arg, two ? sizeof(struct termios2) : sizeof(struct termios)))
		return -EFAULT;
	return 0;
}

/* TCSETS*, TCSETS2* and TCSETA*: all but TCSETS2* carry the speed in
 * c_cflag only. */
static long set_termios(struct tty *tty, unsigned cmd, unsigned long arg)
{
	long err = tty_check_background_write(tty, true);
	if (err)
		return err;
	bool two = cmd == TCSETS2 || cmd == TCSETSW2 || cmd == TCSETSF2;
	struct termios2 next = tty->termios;
	if (tty_termios_read(&next, cmd, arg))
		return -EFAULT;
	if (!two || (next.c_cflag & CBAUD) != BOTHER)
		next.c_ispeed = next.c_ospeed = speed_of(next.c_cflag & CBAUD);
	/* TCSETSW waits for output to drain (ptys and the console keep none
	 * back); TCSETSF also drops the input not yet read. */
	if (cmd == TCSETSF || cmd == TCSETSF2 || cmd == TCSETAF)
		ldisc_flush_input(tty);
	struct termios2 old = tty->termios;
	tty->termios = next;
	ldisc_termios_changed(tty, &old);
	if ((old.c_iflag & IXON) && !(next.c_iflag & IXON))
		tty_start_output(tty);
	return 0;
}

static long flush(struct tty *tty, unsigned long which)
{
	long err = tty_check_background_write(tty, true);
	if (err)
		return err;
	if (which > TCIOFLUSH)
		return -EINVAL;
	if (which != TCOFLUSH)
		ldisc_flush_input(tty);
	if (which != TCIFLUSH && tty->driver->flush_output)
		tty->driver->flush_output(tty);
	return 0;
}

/* TCXONC: suspends or resumes output, or sends the STOP or START character. */
static long flow_control(struct tty *tty, unsigned long action)
{
	long err = tty_check_background_write(tty, true);
	if (err)
		return err;
	switch (action) {
	case TCOOFF:
		tty->output_stopped = tty->stopped_by_tcooff = true;
		return 0;
	case TCOON:
		if (tty->stopped_by_tcooff) {
			tty->stopped_by_tcooff = false;
			tty_start_output(tty);
		}
		return 0;
	case TCIOFF:
	case TCION: {
		uint8_t c = tty->termios.c_cc[action == TCIOFF ? VSTOP : VSTART];
		if (c)
			tty->driver->write(tty, &c, 1);
		return 0;
	}
	default:
		return -EINVAL;
	}
}

void tty_set_winsize(struct tty *tty, const struct winsize *ws)
{
	bool changed = tty->winsize.ws_row != ws->ws_row || tty->winsize.ws_col != ws->ws_col ||
	               tty->winsize.ws_xpixel != ws->ws_xpixel || tty->winsize.ws_ypixel != ws->ws_ypixel;
	tty->winsize = *ws;
	if (changed)
		tty_signal_foreground(tty, SIGWINCH);
}

/* TIOCGPGRP and TIOCGSID answer only the terminal's own session. */
static bool controls_caller(const struct tty *tty) { return tty->session && tty->session == current_process()->sid; }

static long window_size(struct tty *tty, unsigned cmd, unsigned long arg)
{
	struct winsize ws;
	if (cmd == TIOCGWINSZ)
		return copy_to_user((void *)arg, &tty->winsize, sizeof ws) ? -EFAULT : 0;
	if (copy_from_user(&ws, (const void *)arg, sizeof ws))
		return -EFAULT;
	tty_set_winsize(tty, &ws);
	return 0;
}

long tty_ioctl(struct tty *tty, struct file *f, unsigned cmd, unsigned long arg)
{
	if (tty->hung_up)
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	int value;
	uint8_t typed;
	long err;
	switch (cmd) {
	case TCGETS:
	case TCGETS2:
	case TCGETA:
		return tty_termios_get(&tty->termios, cmd, arg);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
	case TCSETA:
	case TCSETAW:
	case TCSETAF:
		return set_termios(tty, cmd, arg);
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
		return tty_check_background_write(tty, true); /* nothing waits to drain; a break is nothing here */
	case TCFLSH:
		return flush(tty, arg);
	case TCXONC:
		return flow_control(tty, arg);
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return window_size(tty, cmd, arg);
	case FIONREAD:
		return put_int(arg, (int)ldisc_readable(tty));
	case TIOCOUTQ:
		return put_int(arg, tty->driver->output_pending ? (int)tty->driver->output_pending(tty) : 0);
	case TIOCSCTTY:
		if ((f->flags & O_ACCMODE) == O_WRONLY && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		return tty_set_controlling(tty, arg == 1);
	case TIOCNOTTY:
		return tty_give_up_controlling(tty);
	case TIOCGPGRP:
		return controls_caller(tty) ? put_int(arg, tty->pgrp) : -ENOTTY;
	case TIOCSPGRP:
		if ((err = get_int(arg, &value)))
			return err;
		return tty_set_foreground(tty, value);
	case TIOCGSID:
		return controls_caller(tty) ? put_int(arg, tty->session) : -ENOTTY;
	case TIOCVHANGUP:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		tty_hangup(tty);
		return 0;
	case TIOCSTI: /* a byte typed into the caller's own terminal, or any for CAP_SYS_ADMIN */
		if (!controls_caller(tty) && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (copy_from_user(&typed, (const void *)arg, 1))
			return -EFAULT;
		ldisc_receive(tty, &typed, 1);
		return 0;
	case TIOCEXCL:
	case TIOCNXCL:
		tty->exclusive = cmd == TIOCEXCL;
		return 0;
	case TIOCGEXCL:
		return put_int(arg, tty->exclusive);
	case TIOCGETD:
	case TIOCSETD:
		return tty_line_discipline_ioctl(cmd, arg);
	default:
		return -ENOTTY;
	}
}
