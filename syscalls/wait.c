/* Waiting for child processes: the app is sole's only process and cannot
 * start another, so it never has a child, and both calls answer ECHILD as
 * Linux does for a process without children. */
#include "kernel/errno.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define WALL_FLAGS 0xe0000000u /* __WNOTHREAD, __WALL, __WCLONE */
#define P_ALL 0
#define P_PIDFD 3

long sys_wait4(int pid, int *status, int options, void *rusage)
{
	(void)pid, (void)status, (void)rusage;
	if ((unsigned)options & ~(WNOHANG | WUNTRACED | WCONTINUED | WALL_FLAGS))
		return -EINVAL;
	return -ECHILD;
}

long sys_waitid(int idtype, int id, void *info, int options, void *rusage)
{
	(void)id, (void)info, (void)rusage;
	if (idtype < P_ALL || idtype > P_PIDFD)
		return -EINVAL;
	if ((unsigned)options & ~(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WALL_FLAGS))
		return -EINVAL;
	if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
		return -EINVAL;
	return -ECHILD;
}
