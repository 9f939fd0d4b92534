/* SysV shared memory segments. A segment's pages are an unnamed in-memory
 * file, as MAP_SHARED|MAP_ANONYMOUS memory is: shmat maps it VMA_SHARED,
 * so every attach, in any process and across fork, shares its pages. An
 * attach is a shared area over that file, so the file's count of them is
 * shm_nattch, and exit, exec and munmap detach without telling anyone. */
#ifndef SOLE_SHM_H
#define SOLE_SHM_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/ipc/ipc.h"

struct inode;

/* Mode bits above the permissions, as Linux's (not in the uapi headers). */
#define SHM_DEST 01000   /* removed, but still attached */
#define SHM_LOCKED 02000 /* SHM_LOCK: no effect, since nothing is swapped */
/* SHMMAX (bytes) and SHMALL (pages): linux/shm.h's values, written without
 * ULONG_MAX, whose limits.h would clash with kernel/mm/layout.h. */
#define SHM_LIMIT (~0ul - (1ul << 24))
/* /proc/sys/kernel/{shmmax,shmall,shmmni}: a segment's largest size, the
 * pages of all segments together, and how many segments there may be. */
extern unsigned long shm_max, shm_all, shm_mni;

struct shm_segment {
	struct ipc_object perm;
	struct inode *file;
	size_t size; /* as shmget asked; attaches cover whole pages */
	int64_t atime, dtime, ctime;
	int cpid, lpid;
};

/* shmget: the id, or -errno (EINVAL for a size out of bounds or above an
 * existing segment's, ENOSPC past the limits, and ipc_get's). */
int shm_get(int32_t key, size_t size, int flags);
/* The segment an id or a slot names, NULL when none does. */
struct shm_segment *shm_find(int id);
struct shm_segment *shm_at_slot(int slot);
/* The segment whose pages file holds, for shmdt; NULL for other files. */
struct shm_segment *shm_of_file(const struct inode *file);
unsigned long shm_attaches(const struct shm_segment *s);
/* The name attaches show in /proc/PID/maps, as Linux's "/SYSV<key>". */
const char *shm_map_name(const struct shm_segment *s);
/* Records shmat's and shmdt's time and pid. */
void shm_note_attach(struct shm_segment *s);
void shm_note_detach(struct shm_segment *s);
/* IPC_RMID: gone now when nothing is attached, else marked SHM_DEST and
 * keyless until the last detach. */
void shm_remove(struct shm_segment *s);

/* SHM_INFO's totals. */
struct shm_totals {
	int segments;
	unsigned long pages, resident;
};
struct shm_totals shm_count(void);
int shm_highest_slot(void);

#endif
