/* File offsets passed by pointer, see file_offset.h. */
#include "syscalls/file_offset.h"

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"

int position_from_user(const long *user_off, const struct file *f, uint64_t *pos)
{
	if (!user_off) {
		*pos = f->pos;
		return 0;
	}
	long off;
	if (copy_from_user(&off, user_off, sizeof off))
		return -EFAULT;
	if (off < 0)
		return -EINVAL;
	*pos = (uint64_t)off;
	return 0;
}

int position_to_user(long *user_off, struct file *f, uint64_t pos)
{
	if (!user_off) {
		f->pos = pos;
		return 0;
	}
	long off = (long)pos;
	return copy_to_user(user_off, &off, sizeof off) ? -EFAULT : 0;
}
