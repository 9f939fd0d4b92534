/* File seals (kernel/fs/seals.c): what a memfd made with MFD_ALLOW_SEALING
 * refuses once fcntl's F_ADD_SEALS has sealed it, checked where writes,
 * size changes, shared mappings and chmod reach the inode. */
#ifndef SOLE_SEALS_H
#define SOLE_SEALS_H

#include <linux/fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020 /* Linux 6.3: the exec bits are fixed */
#endif

struct inode;

/* F_GET_SEALS: the seals, or -EINVAL for a file that takes none. */
int seals_get(const struct inode *ino);
/* F_ADD_SEALS: -EINVAL (unknown bits, not a memfd), -EPERM (F_SEAL_SEAL)
 * or -EBUSY (F_SEAL_WRITE while a shared mapping may write). */
int seals_add(struct inode *ino, unsigned seals);
/* How many of len bytes at off a write may put: len, fewer under
 * F_SEAL_GROW (up to the file's last page boundary, as Linux writes page
 * by page), or -EPERM. */
long seals_write_len(const struct inode *ino, uint64_t off, size_t len);
/* A change of size to size: 0 or -EPERM (F_SEAL_SHRINK, F_SEAL_GROW). */
int seals_check_resize(const struct inode *ino, uint64_t size);
/* fallocate up to end, or a hole punched: 0 or -EPERM. */
int seals_check_fallocate(const struct inode *ino, bool punch_hole, uint64_t end);
/* A MAP_SHARED mapping: -EPERM if it would write to a write-sealed file;
 * else clears *may_write for such a file, so mprotect cannot add write. */
int seals_check_shared_map(const struct inode *ino, bool writable, bool *may_write);
/* chmod to mode: -EPERM if F_SEAL_EXEC holds and the exec bits change. */
int seals_check_chmod(const struct inode *ino, uint32_t mode);

#endif
