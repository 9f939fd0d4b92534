/* /dev: null, zero, full, random, urandom, the console (the app's
 * stdin, stdout and stderr, carried on the console line to the host),
 * /dev/tty and /dev/ptmx (kernel/tty/), and the /dev/pts and /dev/shm
 * folders. */
#include <linux/fcntl.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/fs/devfs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/readiness.h"
#include "kernel/fs/vfs.h"
#include "kernel/ipc/mqueue_folder.h"
#include "kernel/proc/signal.h"
#include "kernel/random.h"
#include "kernel/sched/ktimer.h"
#include "kernel/time.h"
#include "kernel/tty/console_tty.h"
#include "kernel/tty/devpts.h"
#include "kernel/tty/pty.h"
#include "kernel/tty/tty.h"

static long null_read(struct file *f, struct iobuf buf, size_t len)
{
	(void)f, (void)buf, (void)len;
	return 0;
}
static long sink_write(struct file *f, struct iobuf buf, size_t len)
{
	(void)f, (void)buf;
	return (long)len;
}
static long zero_read(struct file *f, struct iobuf buf, size_t len)
{
	(void)f;
	return iobuf_zero(buf, 0, len) ? -EFAULT : (long)len;
}
static long full_write(struct file *f, struct iobuf buf, size_t len)
{
	(void)f, (void)buf, (void)len;
	return -ENOSPC;
}
static long random_read(struct file *f, struct iobuf buf, size_t len)
{
	(void)f;
	return random_fill_buf(buf, len);
}

/* The console. private_data is the fd it stands for (0, 1 or 2). A
 * blocking read waits on stdin's queue, which the console's receive
 * interrupt wakes, so that a signal cuts it short. */
static long console_read(struct file *f, struct iobuf buf, size_t len)
{
	long got;
	while ((got = console_read_stdin(&buf, len)) == -EAGAIN && !(f->flags & O_NONBLOCK)) {
		long err = readiness_wait(console_stdin_queue(), 0);
		if (err)
			return err;
	}
	return got;
}

/* A terminal's answer: always writable, readable when stdin is. */
static unsigned console_poll(struct file *f, struct wait_queue **queue)
{
	(void)f;
	if (queue)
		*queue = console_stdin_queue();
	return EPOLLOUT | EPOLLWRNORM | (console_stdin_ready() ? EPOLLIN | EPOLLRDNORM : 0);
}

static long console_write_file(struct file *f, struct iobuf buf, size_t len)
{
	char stream = f->private_data == 2 ? WIRE_STDERR : WIRE_STDOUT;
	uint8_t chunk[512];
	size_t done = 0;
	if (stream == WIRE_STDOUT && console_stdout_closed())
		return signal_broken_pipe();
	while (done < len) {
		size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
		if (iobuf_get(chunk, buf, done, n))
			return done ? (long)done : -EFAULT;
		console_write(stream, chunk, n);
		done += n;
	}
	return (long)len;
}

static const struct chardev dev_null = {.read = null_read, .write = sink_write, .seek = CHARDEV_SEEK_TO_ZERO};
static const struct chardev dev_zero = {.read = zero_read, .write = sink_write, .seek = CHARDEV_SEEK_TO_ZERO};
static const struct chardev dev_full = {.read = zero_read, .write = full_write, .seek = CHARDEV_SEEK_TO_ZERO};
static const struct chardev dev_random = {.read = random_read, .write = sink_write, .seek = CHARDEV_SEEK_IN_PLACE};
/* /dev/console: the console's tty under `sole run -t`; otherwise the
 * console's streams, which are no terminal (ioctls give ENOTTY, as a pipe
 * or file on the host side would). */
static int console_open(struct inode *ino, unsigned flags, const char *path, struct file **out)
{
	struct tty *tty = console_tty();
	if (tty)
		return tty_file_open(tty, ino, flags, path, out);
	*out = file_open_inode(ino, flags, path);
	return *out ? 0 : -ENOMEM;
}

static const struct chardev dev_console = {
    .read = console_read, .write = console_write_file, .poll = console_poll, .open = console_open};

static struct inode *console_inode;

/* The character devices sole drives, by number, as /dev names them. */
static const struct {
	const char *name;
	const struct chardev *dev;
	unsigned major, minor;
} devices[] = {
    {"null", &dev_null, 1, 3},       {"zero", &dev_zero, 1, 5},       {"full", &dev_full, 1, 7},
    {"random", &dev_random, 1, 8},   {"urandom", &dev_random, 1, 9},  {"tty", &tty_controlling_device, 5, 0},
    {"console", &dev_console, 5, 1}, {"ptmx", &pty_multiplexer, 5, 2},
};

const struct chardev *devfs_driver(uint32_t rdev)
{
	unsigned major = (rdev & 0xfff00) >> 8, minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
		if (devices[i].major == major && devices[i].minor == minor)
			return devices[i].dev;
	return NULL;
}

static struct inode *add_device(struct inode *dir, const char *name, const struct chardev *dev, unsigned major,
                                unsigned minor)
{
	struct inode *ino = inode_new(S_IFCHR | 0666);
	if (!ino)
		return NULL;
	ino->dev = dev;
	ino->rdev = (major << 8) | minor;
	dir_link(dir, name, strlen(name), ino);
	inode_put(ino);
	return ino;
}

void devfs_populate(void)
{
	struct inode *dev;
	if (vfs_lookup(kernel_lookup(), vfs_root(), "/dev", LOOKUP_DIRECTORY, &dev)) {
		dev = inode_new(S_IFDIR | 0755);
		dir_link(vfs_root(), "dev", 3, dev);
		inode_put(dev);
	}
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		struct inode *ino = add_device(dev, devices[i].name, devices[i].dev, devices[i].major, devices[i].minor);
		if (devices[i].dev == &dev_console && devices[i].minor == 1)
			console_inode = ino;
	}
	devpts_init(dev);
	/* POSIX shared memory and named semaphores (shm_open, sem_open) are
	 * files here, shared between processes with MAP_SHARED, as on Linux. */
	struct inode *shm = dir_lookup(dev, "shm", 3);
	if (!shm && (shm = inode_new(S_IFDIR | 01777))) {
		dir_link(dev, "shm", 3, shm);
		inode_put(shm);
	}
	mqueue_folder_populate(dev);
}

struct file *devfs_open_console(int fd)
{
	struct tty *tty = console_tty();
	struct file *f;
	if (tty)
		return tty_file_open(tty, console_inode, O_RDWR | O_NOCTTY, "/dev/console", &f) ? NULL : f;
	f = file_open_inode(console_inode, fd == 0 ? O_RDONLY : O_WRONLY, "/dev/console");
	if (f)
		f->private_data = fd;
	return f;
}
