/* Open file objects and descriptor tables, see file.h. */
#include "kernel/fs/file.h"

#include <linux/fcntl.h>
#include <asm-generic/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/inotify.h"
#include "kernel/fs/lock.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/strbuf.h"

static long regular_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	long n = inode_read_buf(f->inode, *pos, buf, len);
	if (n > 0) {
		*pos += (uint64_t)n;
		inotify_event(f->inode, IN_ACCESS);
	}
	return n;
}

static long regular_write(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	if (f->flags & O_APPEND)
		*pos = f->inode->size;
	int err = len ? clear_setid_on_write(&current_process()->cred, f->inode) : 0;
	if (err)
		return err;
	long n = inode_write_buf(f->inode, *pos, buf, len);
	if (n > 0)
		*pos += (uint64_t)n;
	return n;
}

static long directory_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

static const struct file_ops regular_ops = {.read = regular_read, .write = regular_write, .seekable = true};
static const struct file_ops directory_ops = {.read = directory_read, .write = NULL, .seekable = true};

static long device_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return f->inode->dev->read ? f->inode->dev->read(f, buf, len) : -EINVAL;
}
static long device_write(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return f->inode->dev->write ? f->inode->dev->write(f, buf, len) : -EINVAL;
}
static long device_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	return f->inode->dev->ioctl ? f->inode->dev->ioctl(f, cmd, arg) : -ENOTTY;
}
/* /proc files: the content generated at open, read like a regular file. */
static long generated_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	const struct strbuf *sb = f->snapshot;
	if (*pos >= sb->len)
		return 0;
	size_t n = sb->len - *pos < len ? sb->len - *pos : len;
	if (iobuf_put(buf, 0, sb->data + *pos, n))
		return -EFAULT;
	*pos += n;
	return (long)n;
}

static void generated_release(struct file *f)
{
	strbuf_free(f->snapshot);
	kfree(f->snapshot);
}

/* A write to a /proc/sys file: its text, whole, sets the value (Linux
 * parses each write from its start as well). */
static long generated_write(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	char text[128];
	if (!f->inode->file.store)
		return -EIO;
	if (len >= sizeof text)
		return -EINVAL;
	if (iobuf_get(text, buf, 0, len))
		return -EFAULT;
	text[len] = 0;
	int err = f->inode->file.store(f->inode, text);
	if (err)
		return err;
	*pos += len;
	return (long)len;
}

static const struct file_ops generated_ops = {
    .read = generated_read, .write = generated_write, .release = generated_release, .seekable = true};

static unsigned device_poll(struct file *f, struct wait_queue **queue) { return f->inode->dev->poll(f, queue); }

static const struct file_ops device_ops = {.read = device_read, .write = device_write, .ioctl = device_ioctl};
static const struct file_ops polled_device_ops = {
    .read = device_read, .write = device_write, .ioctl = device_ioctl, .poll = device_poll};

/* A name with nothing behind it to read or write: a socket's (an AF_UNIX
 * bind) or a device node's with no driver. Linux refuses to open either
 * with ENXIO; an O_PATH descriptor gets these. */
static long no_data_transfer(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -ENXIO;
}

static const struct file_ops no_data_ops = {.read = no_data_transfer, .write = no_data_transfer};

static const struct file_ops *ops_for(const struct inode *ino)
{
	if (S_ISDIR(ino->mode))
		return &directory_ops;
	if (S_ISSOCK(ino->mode))
		return &no_data_ops;
	if ((S_ISCHR(ino->mode) || S_ISBLK(ino->mode)) && !ino->dev)
		return &no_data_ops;
	if (S_ISCHR(ino->mode))
		return ino->dev->poll ? &polled_device_ops : &device_ops;
	return S_ISREG(ino->mode) && ino->file.generate ? &generated_ops : &regular_ops;
}

void file_watch_add(struct file *f, struct file_watch *w)
{
	w->next = f->watches;
	f->watches = w;
}

void file_watch_remove(struct file *f, struct file_watch *w)
{
	for (struct file_watch **at = &f->watches; *at; at = &(*at)->next)
		if (*at == w) {
			*at = w->next;
			return;
		}
}

struct file *file_open_inode(struct inode *ino, unsigned flags, const char *path)
{
	if (S_ISREG(ino->mode) && ino->file.open && !(flags & O_PATH))
		return ino->file.open(ino, flags, path);
	struct file *f = kzalloc(sizeof *f);
	if (!f)
		return NULL;
	f->inode = ino;
	f->flags = flags;
	f->refs = 1;
	f->ops = ops_for(ino);
	f->path = path ? kstrdup(path) : NULL;
	if (f->ops == &generated_ops) {
		f->snapshot = kzalloc(sizeof(struct strbuf));
		if (!f->snapshot) {
			kfree(f->path);
			kfree(f);
			return NULL;
		}
		ino->file.generate(ino, f->snapshot);
	}
	inode_get(ino);
	if (!(flags & O_PATH)) {
		*((flags & O_ACCMODE) == O_RDONLY ? &ino->open_readers : &ino->open_writers) += 1;
		inotify_event(ino, IN_OPEN);
	}
	return f;
}

struct file *file_open_anonymous(struct inode *ino, uint32_t mode, const struct file_ops *ops, void *object,
                                 unsigned flags, const char *name)
{
	struct file *f = kzalloc(sizeof *f);
	if (!f)
		return NULL;
	if (ino) {
		inode_get(ino);
	} else if ((ino = inode_new(mode))) {
		ino->nlink = 0; /* in no directory */
	} else {
		kfree(f);
		return NULL;
	}
	f->inode = ino;
	f->ops = ops;
	f->object = object;
	f->flags = flags;
	f->refs = 1;
	f->path = kstrdup(name);
	return f;
}

void file_get(struct file *f) { f->refs++; }

unsigned file_status_flags(const struct file *f)
{
	return f->flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
}

void file_put(struct file *f)
{
	if (--f->refs > 0)
		return;
	/* The last close of a file opened by name; pipes, sockets and the
	 * like (files with an object) give no inotify events. */
	if (f->inode && !f->object && !(f->flags & O_PATH)) {
		bool read_only = (f->flags & O_ACCMODE) == O_RDONLY;
		*(read_only ? &f->inode->open_readers : &f->inode->open_writers) -= 1;
		inotify_event(f->inode, read_only ? IN_CLOSE_NOWRITE : IN_CLOSE_WRITE);
	}
	while (f->watches)
		f->watches->forget(f->watches);
	if (f->ops->release)
		f->ops->release(f);
	if (f->inode) {
		lock_flock_release(f);
		if (f->inode->record_locks)
			lock_release_owner(f->inode, f); /* its OFD locks */
		inode_put(f->inode);
	}
	kfree(f->path);
	kfree(f);
}

struct fd_table *fd_table_new(void)
{
	struct fd_table *t = kzalloc(sizeof *t);
	if (t)
		t->refs = 1;
	return t;
}

int fd_table_unshare(struct fd_table **t)
{
	if ((*t)->refs <= 1)
		return 0;
	struct fd_table *own = fd_table_dup(*t);
	if (!own)
		return -ENOMEM;
	fd_table_put(*t);
	*t = own;
	return 0;
}

struct fd_table *fd_table_dup(const struct fd_table *from)
{
	struct fd_table *t = fd_table_new();
	if (!t)
		return NULL;
	for (int fd = 0; fd < FD_MAX; fd++) {
		if (!from->files[fd])
			continue;
		t->files[fd] = from->files[fd];
		t->cloexec[fd] = from->cloexec[fd];
		file_get(t->files[fd]);
	}
	return t;
}

void fd_table_put(struct fd_table *t)
{
	if (--t->refs > 0)
		return;
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->files[fd])
			fd_close(t, fd);
	kfree(t);
}

void fd_table_close_on_exec(struct fd_table *t)
{
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->files[fd] && t->cloexec[fd])
			fd_close(t, fd);
}

/* POSIX record locks go at any close of the file by their process, and
 * the file hears of it. */
static void closed_by_process(struct file *f)
{
	if (f->ops->flush)
		f->ops->flush(f);
	if (f->inode && f->inode->record_locks)
		lock_release_owner(f->inode, current_process());
	file_put(f);
}

int fd_install_at(struct fd_table *t, struct file *f, int fd, bool cloexec)
{
	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	file_get(f);
	struct file *old = t->files[fd];
	t->files[fd] = f;
	t->cloexec[fd] = cloexec;
	if (old)
		closed_by_process(old);
	return fd;
}

int fd_limit(void)
{
	uint64_t soft = current_process()->rlimits[RLIMIT_NOFILE].rlim_cur;
	return soft < FD_MAX ? (int)soft : FD_MAX;
}

int fd_install(struct fd_table *t, struct file *f, int min_fd, bool cloexec)
{
	if (min_fd < 0 || min_fd >= FD_MAX)
		return -EINVAL;
	for (int fd = min_fd; fd < fd_limit(); fd++)
		if (!t->files[fd])
			return fd_install_at(t, f, fd, cloexec);
	return -EMFILE;
}

int fd_install_new(struct fd_table *t, struct file *f, bool cloexec)
{
	if (!f)
		return -ENOMEM;
	int fd = fd_install(t, f, 0, cloexec);
	file_put(f);
	return fd;
}

struct file *fd_get(struct fd_table *t, int fd) { return fd >= 0 && fd < FD_MAX ? t->files[fd] : NULL; }

int fd_close(struct fd_table *t, int fd)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	t->files[fd] = NULL;
	t->cloexec[fd] = false;
	closed_by_process(f);
	return 0;
}
