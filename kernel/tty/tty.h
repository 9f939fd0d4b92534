/* Terminals: the tty object that a pty slave and the console share, with
 * its termios, window size, session and foreground process group, and the
 * line discipline's input queue (kernel/tty/line_discipline.c). A driver
 * (the pty master, the console) takes what the line discipline writes and
 * feeds it the bytes that arrive. */
#ifndef SOLE_TTY_H
#define SOLE_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <asm/termios.h>
#include <asm/ioctls.h>
#include <linux/eventpoll.h>

#include "kernel/mm/iobuf.h"
#include "kernel/sched/wait.h"

struct chardev;
struct file;
struct inode;
struct process;
struct tty;

/* The input queue holds this many bytes, as Linux's N_TTY_BUF_SIZE. */
#define TTY_INPUT_SIZE 4096

struct tty_driver {
	/* Takes up to n bytes of output and returns how many it took: 0 when
	 * it has no room now (the writer waits on tty->queue). */
	size_t (*write)(struct tty *tty, const uint8_t *bytes, size_t n);
	/* How many bytes write takes now. */
	size_t (*write_room)(struct tty *tty);
	/* Output taken but not yet delivered (TIOCOUTQ), and dropping it (TCFLSH). */
	size_t (*output_pending)(struct tty *tty);
	void (*flush_output)(struct tty *tty);
	/* The input queue has room again: input held back may come. */
	void (*input_room)(struct tty *tty);
	/* The tty's last open file closed. */
	void (*last_close)(struct tty *tty);
	/* A pty's flag: its controlling process's exit sends SIGHUP to the
	 * foreground group instead of hanging the tty up (Linux's
	 * disassociate_ctty). */
	bool is_pty;
};

/* The line discipline's input queue: bytes from read_pos to head, those
 * before line_end readable in canonical mode. Positions count up and wrap
 * at TTY_INPUT_SIZE; delimiters marks the bytes that end a line. */
struct tty_input {
	uint8_t bytes[TTY_INPUT_SIZE];
	uint8_t delimiters[TTY_INPUT_SIZE / 8];
	size_t read_pos, line_end, head;
	unsigned column;      /* the output's column, for erasing tabs */
	unsigned line_column; /* the column where the line being edited began */
	bool literal_next;    /* VLNEXT came: the next byte is taken as it is */
};

struct tty {
	const struct tty_driver *driver;
	void *driver_data;
	uint32_t rdev; /* the device number, as /proc/PID/stat's tty_nr shows it */
	struct termios2 termios;
	struct winsize winsize;
	int session;            /* the session it controls, 0 for none */
	int pgrp;               /* its foreground process group, 0 for none */
	bool hung_up;           /* the other side went away: reads end, writes fail */
	bool input_ended;       /* the console's host stdin ended: reads end, writes go on */
	bool output_stopped;    /* ^S or TCOOFF */
	bool stopped_by_tcooff; /* only TCOON restarts it then */
	bool exclusive;         /* TIOCEXCL: only root opens it again */
	int opens;              /* open files */
	/* Readers (EPOLLIN) and writers (EPOLLOUT) of the tty wait here. */
	struct wait_queue queue;
	struct tty_input input;
	struct tty *next_tty; /* every tty, for the lookups by session */
};

/* Linux's defaults for a freshly opened terminal (tty_std_termios). */
extern const struct termios2 tty_std_termios;

/* Sets up a tty for a driver and adds it to the list of ttys. */
void tty_init(struct tty *tty, const struct tty_driver *driver, void *driver_data, uint32_t rdev);
/* Takes a tty off the list once its last file is gone. */
void tty_remove(struct tty *tty);

/* The file side. tty_file_open makes a file on ino (the node it was
 * opened by) for tty: 0, -EBUSY (TIOCEXCL) or -ENOMEM. The opener becomes
 * its controlling process when it leads a session without one and flags
 * lack O_NOCTTY. */
int tty_file_open(struct tty *tty, struct inode *ino, unsigned flags, const char *path, struct file **out);

/* /dev/tty (5, 0): opens the caller's controlling terminal. */
extern const struct chardev tty_controlling_device;

/* The tty of the caller's session (its controlling terminal), or NULL. */
struct tty *tty_of_session(int sid);
/* Ends the tty's connection: the session leader gets SIGHUP and SIGCONT,
 * the session loses it, and its files read 0, write EIO and poll HUP. */
void tty_hangup(struct tty *tty);
/* SIGHUP and SIGCONT to the leader of a session whose tty hung up (0: none). */
void tty_signal_hangup(int leader);
/* Output flow control, as Linux's start_tty: output that TCOOFF stopped
 * waits for TCOON, whatever ^Q or a signal key do. */
void tty_start_output(struct tty *tty);
/* Wakes readers and writers of the tty with events. */
void tty_wake(struct tty *tty, unsigned events);

/* The line discipline (kernel/tty/line_discipline.c). */
/* Takes up to n bytes that arrived from the driver (a key pressed, a
 * master's write): signals, editing, echo. Returns how many it took: fewer
 * when the queue is full in raw mode (the driver holds the rest back). */
size_t ldisc_receive(struct tty *tty, const uint8_t *bytes, size_t n);
long ldisc_read(struct tty *tty, struct file *f, struct iobuf buf, size_t len);
long ldisc_write(struct tty *tty, struct file *f, struct iobuf buf, size_t len);
/* What a read would take now, and whether one would not block. */
size_t ldisc_readable(const struct tty *tty);
bool ldisc_read_ready(const struct tty *tty);
bool ldisc_write_ready(struct tty *tty);
/* Whether the input queue is full (raw mode's receive takes nothing then). */
bool ldisc_input_full(const struct tty *tty);
void ldisc_flush_input(struct tty *tty);
/* termios changed from old: the queue follows a switch of ICANON. */
void ldisc_termios_changed(struct tty *tty, const struct termios2 *old);

/* Job control on the tty (kernel/tty/tty_job.c). */
/* Checks a read by the caller: 0, or -EIO / -ERESTARTSYS after SIGTTIN
 * went to its background group. */
long tty_check_background_read(struct tty *tty);
/* Checks a write (or, with always set, a change of settings) by the
 * caller: 0, or -EIO / -ERESTARTSYS after SIGTTOU went to its group. */
long tty_check_background_write(struct tty *tty, bool always);
/* Sends sig to the tty's foreground group (from the line discipline, as
 * the byte arrives: no permission applies). */
void tty_signal_foreground(struct tty *tty, int sig);
/* TIOCSCTTY, TIOCNOTTY, TIOCSPGRP: 0 or -errno. */
long tty_set_controlling(struct tty *tty, bool steal);
long tty_give_up_controlling(struct tty *tty);
long tty_set_foreground(struct tty *tty, int pgrp);

/* The ioctls of a tty (kernel/tty/tty_ioctl.c): 0 or -errno, -ENOTTY
 * for a command no tty knows. */
long tty_ioctl(struct tty *tty, struct file *f, unsigned cmd, unsigned long arg);
/* TIOCGETD and TIOCSETD: n_tty is the only line discipline (others EINVAL). */
long tty_line_discipline_ioctl(unsigned cmd, unsigned long arg);
/* The termios get and set commands' copies in all three layouts (TCGETS,
 * TCGETS2, the old TCGETA's struct termio): 0 or -EFAULT. */
long tty_termios_get(const struct termios2 *t, unsigned cmd, unsigned long arg);
int tty_termios_read(struct termios2 *t, unsigned cmd, unsigned long arg);
/* Sets the window size; SIGWINCH to the foreground group when it changed. */
void tty_set_winsize(struct tty *tty, const struct winsize *ws);

#endif
