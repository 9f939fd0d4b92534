/* io_uring_register's resources (see io_uring.h): fixed files, fixed
 * buffers and the eventfd told of completions (the probe of supported
 * operations is the requests' side's). A fixed buffer is the app's range, checked at registration
 * and at each READ_FIXED or WRITE_FIXED against it; sole has nothing to
 * pin, as its user pages do not move. */
#include "kernel/fs/io_uring.h"

#include "kernel/errno.h"
#include "kernel/fs/eventfd.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"

#define FIXED_FILES_MAX 32768        /* sole's bound; Linux's is RLIMIT_NOFILE */
#define FIXED_BUFFERS_MAX 16384      /* Linux's IORING_MAX_REG_BUFFERS */
#define FIXED_BUFFER_MAX (1ul << 30) /* Linux's SZ_1G per buffer */

static void files_drop(struct io_ring *r)
{
	for (unsigned i = 0; i < r->nr_files; i++)
		if (r->files[i])
			file_put(r->files[i]);
	kfree(r->files);
	r->files = NULL;
	r->nr_files = 0;
}

/* An array of descriptors; -1 leaves a hole, as Linux allows. */
static long files_register(struct io_ring *r, const int32_t *user_fds, unsigned count)
{
	if (r->files)
		return -EBUSY;
	if (count == 0 || count > FIXED_FILES_MAX)
		return -EINVAL;
	struct file **files = kzalloc(count * sizeof *files);
	if (!files)
		return -ENOMEM;
	r->files = files;
	r->nr_files = count;
	for (unsigned i = 0; i < count; i++) {
		int32_t fd;
		if (copy_from_user(&fd, &user_fds[i], sizeof fd)) {
			files_drop(r);
			return -EFAULT;
		}
		if (fd == -1)
			continue;
		struct file *f = current_file(fd);
		if (!f || io_ring_of(f)) {
			files_drop(r);
			return -EBADF;
		}
		file_get(f);
		files[i] = f;
	}
	return 0;
}

static long buffers_register(struct io_ring *r, const struct iovec *user_iov, unsigned count)
{
	if (r->buffers)
		return -EBUSY;
	if (count == 0 || count > FIXED_BUFFERS_MAX)
		return -EINVAL;
	struct iovec *iov = kmalloc(count * sizeof *iov);
	if (!iov)
		return -ENOMEM;
	if (copy_from_user(iov, user_iov, count * sizeof *iov)) {
		kfree(iov);
		return -EFAULT;
	}
	for (unsigned i = 0; i < count; i++) {
		/* Linux pins each buffer: a null one or one past the app's memory fails. */
		if (!iov[i].iov_base || iov[i].iov_len == 0 || iov[i].iov_len > FIXED_BUFFER_MAX) {
			kfree(iov);
			return -EFAULT;
		}
		if (!user_range_ok(iov[i].iov_base, iov[i].iov_len)) {
			kfree(iov);
			return -EFAULT;
		}
	}
	r->buffers = iov;
	r->nr_buffers = count;
	return 0;
}

static long eventfd_register(struct io_ring *r, const int32_t *user_fd, unsigned count)
{
	if (count != 1)
		return -EINVAL;
	if (r->eventfd)
		return -EBUSY;
	int32_t fd;
	if (copy_from_user(&fd, user_fd, sizeof fd))
		return -EFAULT;
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	if (!file_is_eventfd(f))
		return -EINVAL;
	file_get(f);
	r->eventfd = f;
	return 0;
}

long io_ring_register(struct io_ring *r, unsigned opcode, void *arg, unsigned nr_args)
{
	switch (opcode) {
	case IORING_REGISTER_BUFFERS:
		return buffers_register(r, arg, nr_args);
	case IORING_UNREGISTER_BUFFERS:
		if (arg || nr_args)
			return -EINVAL;
		if (!r->buffers)
			return -ENXIO;
		kfree(r->buffers);
		r->buffers = NULL;
		r->nr_buffers = 0;
		return 0;
	case IORING_REGISTER_FILES:
		return files_register(r, arg, nr_args);
	case IORING_UNREGISTER_FILES:
		if (arg || nr_args)
			return -EINVAL;
		if (!r->files)
			return -ENXIO;
		files_drop(r);
		return 0;
	case IORING_REGISTER_EVENTFD:
		return eventfd_register(r, arg, nr_args);
	case IORING_UNREGISTER_EVENTFD:
		if (arg || nr_args)
			return -EINVAL;
		if (!r->eventfd)
			return -ENXIO;
		file_put(r->eventfd);
		r->eventfd = NULL;
		return 0;
	default:
		return -EINVAL;
	}
}

void io_ring_unregister_all(struct io_ring *r)
{
	files_drop(r);
	kfree(r->buffers);
	r->buffers = NULL;
	r->nr_buffers = 0;
	if (r->eventfd)
		file_put(r->eventfd);
	r->eventfd = NULL;
}

struct file *io_ring_fixed_file(const struct io_ring *r, int index)
{
	return index >= 0 && (unsigned)index < r->nr_files ? r->files[index] : NULL;
}
