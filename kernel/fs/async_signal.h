/* Signal-driven I/O, as Linux's fasync and send_sigio: a file with O_ASYNC
 * (FASYNC) tells its owner (F_SETOWN, F_SETOWN_EX) by signal whenever it
 * becomes readable or writable, and a lease break (kernel/fs/lease.c) tells
 * the holder the same way. The signal is SIGIO, or F_SETSIG's queued with
 * si_code POLL_IN, POLL_OUT, ..., si_band and si_fd. */
#ifndef SOLE_ASYNC_SIGNAL_H
#define SOLE_ASYNC_SIGNAL_H

#include <stdbool.h>

struct file;

/* si_code for SIGIO and F_SETSIG's signal: why the file signals. */
#define POLL_IN 1
#define POLL_OUT 2
#define POLL_MSG 3
#define POLL_ERR 4
#define POLL_PRI 5
#define POLL_HUP 6

/* FASYNC turned on or off for f by F_SETFL or FIOASYNC through descriptor
 * fd (which si_fd names). On, a pollable file gets a watcher on its wait
 * queue; other files only record the flag, as Linux's files without a
 * fasync operation do. The watcher goes when FASYNC goes off or at the
 * file's last close. 0 or -ENOMEM. */
int async_signal_set(struct file *f, int fd, bool on);

/* Linux's send_sigio: signals f's owner (its thread, its process, or every
 * process of its group) for reason, naming fd; targets the owner's setter
 * may not kill are skipped. */
void async_signal_send(struct file *f, int fd, int reason);

#endif
