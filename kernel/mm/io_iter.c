/* Walking a scatter list of app or kernel buffers. */
#include "kernel/mm/io_iter.h"

#include "kernel/errno.h"
#include "kernel/mm/iobuf.h"

void io_iter_init(struct io_iter *it, const struct iovec *iov, unsigned count, bool user)
{
	it->iov = iov;
	it->count = count;
	it->offset = 0;
	it->user = user;
	it->remaining = 0;
	for (unsigned i = 0; i < count; i++)
		it->remaining += iov[i].iov_len;
	io_iter_advance(it, 0); /* step over empty leading segments */
}

void io_iter_advance(struct io_iter *it, size_t n)
{
	it->remaining -= n;
	while (it->count) {
		size_t left = it->iov->iov_len - it->offset;
		if (n < left) {
			it->offset += n;
			return;
		}
		n -= left;
		it->iov++;
		it->count--;
		it->offset = 0;
	}
}

/* The largest piece of the current segment up to n bytes. */
static size_t piece(const struct io_iter *it, size_t n, struct iobuf *buf)
{
	size_t left = it->iov->iov_len - it->offset;
	*buf = (struct iobuf){(uint8_t *)it->iov->iov_base + it->offset, it->user};
	return n < left ? n : left;
}

int io_iter_copy_from(void *dst, struct io_iter *it, size_t n)
{
	uint8_t *out = dst;
	while (n) {
		struct iobuf buf;
		size_t chunk = piece(it, n, &buf);
		if (iobuf_get(out, buf, 0, chunk))
			return -EFAULT;
		io_iter_advance(it, chunk);
		out += chunk;
		n -= chunk;
	}
	return 0;
}

int io_iter_copy_to(struct io_iter *it, const void *src, size_t n)
{
	const uint8_t *in = src;
	while (n) {
		struct iobuf buf;
		size_t chunk = piece(it, n, &buf);
		if (iobuf_put(buf, 0, in, chunk))
			return -EFAULT;
		io_iter_advance(it, chunk);
		in += chunk;
		n -= chunk;
	}
	return 0;
}
