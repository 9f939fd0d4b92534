/* Memory locking's limit, shared by the mlock family and mmap(MAP_LOCKED). */
#ifndef SOLE_SYSCALLS_MLOCK_H
#define SOLE_SYSCALLS_MLOCK_H

#include <stddef.h>

struct addrspace;

/* Whether the caller may lock len more bytes of as (mmap's MAP_LOCKED and
 * brk or mmap under mlockall(MCL_FUTURE)): 0, -EPERM without the right to
 * lock at all, or -EAGAIN past RLIMIT_MEMLOCK, as Linux's mmap answers. */
int mlock_may_add(struct addrspace *as, size_t len);

#endif
