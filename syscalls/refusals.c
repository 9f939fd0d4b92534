/* Calls sole refuses, with the answer Linux gives where it refuses them
 * too. Those an unprivileged container may not make: mounting, swap, rebooting,
 * loading kernel modules and new kernels, raw I/O ports, process accounting,
 * quotas, the kernel log, ptrace and fanotify. Without the capability each
 * needs, Linux answers EPERM, as it does in a Docker container; sole gives
 * the same answer, and the table marks each of them stub. Also file
 * handles (name_to_handle_at, open_by_handle_at): no file system here can
 * export them, so EOPNOTSUPP, as Linux answers for such a file system. */
#include "kernel/errno.h"

long sys_not_permitted(void) { return -EPERM; }
long sys_no_file_handles(void) { return -EOPNOTSUPP; }
