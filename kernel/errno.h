/* Linux errno values, from the kernel's own uapi headers. Kernel functions
 * return -errno on failure, as Linux does. */
#ifndef SOLE_ERRNO_H
#define SOLE_ERRNO_H
#include <asm-generic/errno.h>
#endif
