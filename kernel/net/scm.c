/* SCM_RIGHTS in flight, see scm.h. */
#include "kernel/net/scm.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/process.h"

/* struct cmsghdr as the kernel lays it out (musl's splits cmsg_len). */
struct linux_cmsghdr {
	size_t len;
	int level, type;
};

static size_t cmsg_align(size_t len) { return (len + sizeof(long) - 1) & ~(sizeof(long) - 1); }

static int take_files(const struct linux_cmsghdr *c, struct scm_rights **rights)
{
	size_t count = (c->len - cmsg_align(sizeof *c)) / sizeof(int);
	if (count == 0)
		return 0;
	if (!*rights && !(*rights = kzalloc(sizeof **rights)))
		return -ENOMEM;
	struct scm_rights *r = *rights;
	if (count > SCM_MAX_FD - r->count)
		return -EINVAL;
	const int *fds = (const int *)((const uint8_t *)c + cmsg_align(sizeof *c));
	for (size_t i = 0; i < count; i++) {
		int fd;
		memcpy(&fd, &fds[i], sizeof fd);
		struct file *f = current_file(fd);
		if (!f)
			return -EBADF;
		file_get(f);
		r->files[r->count++] = f;
	}
	return 0;
}

int scm_rights_from_control(const void *control, size_t len, struct scm_rights **out)
{
	*out = NULL;
	const uint8_t *base = control;
	int err = 0;
	for (size_t at = 0; !err && len - at >= sizeof(struct linux_cmsghdr);) {
		struct linux_cmsghdr c;
		memcpy(&c, base + at, sizeof c);
		if (c.len < sizeof c || c.len > len - at) {
			err = -EINVAL;
			break;
		}
		if (c.level == SOL_SOCKET) {
			if (c.type == SCM_RIGHTS)
				err = take_files((const struct linux_cmsghdr *)(base + at), out);
			else if (c.type != SCM_CREDENTIALS || c.len != cmsg_align(sizeof c) + 3 * sizeof(int))
				err = -EINVAL; /* SCM_CREDENTIALS carries a struct ucred */
		}
		size_t next = cmsg_align(c.len);
		if (next > len - at)
			break;
		at += next;
	}
	if (err) {
		scm_rights_free(*out);
		*out = NULL;
	}
	return err;
}

void scm_rights_free(struct scm_rights *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->count; i++)
		file_put(r->files[i]);
	kfree(r);
}

void scm_rights_deliver(struct socket_msg *m, size_t room, const struct scm_rights *r)
{
	size_t header = cmsg_align(sizeof(struct linux_cmsghdr));
	size_t fit = room > header ? (room - header) / sizeof(int) : 0;
	bool cloexec = m->flags & MSG_CMSG_CLOEXEC;
	unsigned installed = 0;
	int *fds = (int *)((uint8_t *)m->control + header);
	while (installed < r->count && installed < fit) {
		int fd = fd_install(current_process()->files, r->files[installed], 0, cloexec);
		if (fd < 0)
			break;
		fds[installed++] = fd;
	}
	if (installed) {
		struct linux_cmsghdr c = {
		    .len = header + installed * sizeof(int), .level = SOL_SOCKET, .type = SCM_RIGHTS};
		memcpy(m->control, &c, sizeof c);
		size_t used = cmsg_align(c.len);
		m->control_len = used < room ? used : room;
	}
	if (installed < r->count)
		m->out_flags |= MSG_CTRUNC;
}
