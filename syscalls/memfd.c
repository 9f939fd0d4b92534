/* memfd_create: a regular file that lives only as long as its descriptors,
 * sealable (kernel/fs/seals.h) when asked for. */
#include <linux/fcntl.h>
#include <linux/memfd.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/seals.h"
#include "kernel/mm/uaccess.h"
#include "libc-glue/kformat.h"
#include "syscalls/fs_common.h"

#define MEMFD_NAME_MAX 249 /* NAME_MAX minus the "memfd:" prefix */
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U /* Linux 6.3: not executable, and F_SEAL_EXEC */
#define MFD_EXEC 0x0010U
#endif

long sys_memfd_create(const char *user_name, unsigned flags)
{
	if (flags & ~(unsigned)(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC))
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	char name[MEMFD_NAME_MAX + 1];
	long n = strncpy_from_user(name, user_name, sizeof name);
	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	struct inode *ino = inode_new(S_IFREG | 0777);
	if (!ino)
		return -ENOMEM;
	ino->nlink = 0; /* in no directory */
	ino->file.memfd = true;
	/* Without MFD_ALLOW_SEALING the file is sealed against seals; NOEXEC_SEAL
	 * allows them too, and fixes the exec bits off. */
	ino->file.seals = flags & (MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL) ? 0 : F_SEAL_SEAL;
	if (flags & MFD_NOEXEC_SEAL) {
		ino->mode &= ~0111u;
		ino->file.seals |= F_SEAL_EXEC;
	}
	char path[sizeof name + 16];
	ksnprintf(path, sizeof path, "/memfd:%s (deleted)", name);
	struct file *f = file_open_inode(ino, O_RDWR | O_LARGEFILE, path);
	inode_put(ino); /* the file holds it now */
	if (!f)
		return -ENOMEM;
	long fd = fd_install(current_process()->files, f, 0, flags & MFD_CLOEXEC);
	file_put(f);
	return fd;
}
