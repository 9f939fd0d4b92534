/* File seals, see seals.h. Only memfds take them, as Linux's shmem files
 * made by memfd_create; the seals live in the inode, so every descriptor
 * and mapping of the file sees the same ones. */
#include "kernel/fs/seals.h"

#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/layout.h"

#define SEALS_ALL (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)
#define SEALS_WRITE (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)

static unsigned seals_of(const struct inode *ino)
{
	return S_ISREG(ino->mode) && ino->file.memfd ? ino->file.seals : 0;
}

int seals_get(const struct inode *ino)
{
	return S_ISREG(ino->mode) && ino->file.memfd ? (int)ino->file.seals : -EINVAL;
}

int seals_add(struct inode *ino, unsigned seals)
{
	if (seals & ~(unsigned)SEALS_ALL)
		return -EINVAL;
	if (!S_ISREG(ino->mode) || !ino->file.memfd)
		return -EINVAL;
	if (ino->file.seals & F_SEAL_SEAL)
		return -EPERM;
	if ((seals & F_SEAL_WRITE) && !(ino->file.seals & F_SEAL_WRITE) && ino->writable_mappings)
		return -EBUSY;
	/* As Linux: sealing exec on an executable file makes it W^X, with
	 * the write seals added unchecked. */
	if ((seals & F_SEAL_EXEC) && (ino->mode & 0111))
		seals |= F_SEAL_SHRINK | F_SEAL_GROW | SEALS_WRITE;
	ino->file.seals |= seals;
	return 0;
}

long seals_write_len(const struct inode *ino, uint64_t off, size_t len)
{
	unsigned seals = seals_of(ino);
	if (!len)
		return 0; /* an empty write changes nothing, so no seal refuses it */
	if (seals & SEALS_WRITE)
		return -EPERM;
	if (!(seals & F_SEAL_GROW) || off + len <= ino->size)
		return (long)len;
	uint64_t boundary = PAGE_ALIGN_DOWN(ino->size);
	return boundary > off ? (long)(boundary - off) : -EPERM;
}

int seals_check_resize(const struct inode *ino, uint64_t size)
{
	unsigned seals = seals_of(ino);
	if ((size < ino->size && (seals & F_SEAL_SHRINK)) || (size > ino->size && (seals & F_SEAL_GROW)))
		return -EPERM;
	return 0;
}

int seals_check_fallocate(const struct inode *ino, bool punch_hole, uint64_t end)
{
	unsigned seals = seals_of(ino);
	if (punch_hole && (seals & SEALS_WRITE))
		return -EPERM;
	return end > ino->size && (seals & F_SEAL_GROW) ? -EPERM : 0;
}

int seals_check_shared_map(const struct inode *ino, bool writable, bool *may_write)
{
	if (!(seals_of(ino) & SEALS_WRITE))
		return 0;
	if (writable)
		return -EPERM;
	*may_write = false;
	return 0;
}

int seals_check_chmod(const struct inode *ino, uint32_t mode)
{
	return (seals_of(ino) & F_SEAL_EXEC) && ((ino->mode ^ mode) & 0111) ? -EPERM : 0;
}
