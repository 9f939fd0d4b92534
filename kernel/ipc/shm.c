/* The table of SysV shared memory segments (see shm.h). A removed segment
 * that is still attached stays in the table, keyless, until its last
 * detach; since detaching happens in the address-space code, which knows
 * nothing of segments, each entry point here first sweeps away the ones
 * whose last attach has gone, so no caller ever sees one, and a process's
 * exit lets go of those only it still holds. */
#include "kernel/ipc/shm.h"

#include <linux/shm.h>

#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/intern.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/process.h"
#include "libc-glue/kformat.h"

static unsigned long total_pages; /* of every segment, SHMALL's measure */

static size_t pages_of(const struct shm_segment *s) { return PAGE_ALIGN_UP(s->size) / PAGE_SIZE; }

static void destroy(struct ipc_object *o)
{
	struct shm_segment *s = (struct shm_segment *)o;
	total_pages -= pages_of(s);
	inode_put(s->file);
	kfree(s);
}

unsigned long shm_max = SHM_LIMIT, shm_all = SHM_LIMIT, shm_mni = SHMMNI;
static struct ipc_table segments = {.limit = &shm_mni, .highest = -1, .destroy = destroy};
static int removed_attached; /* segments marked SHM_DEST: the sweep has work */

unsigned long shm_attaches(const struct shm_segment *s) { return (unsigned long)s->file->shared_mappings; }

static void forget_removed(struct shm_segment *s)
{
	removed_attached--;
	ipc_remove(&segments, &s->perm);
}

static void sweep(void)
{
	for (int i = 0; removed_attached && i <= segments.highest; i++) {
		struct shm_segment *s = (struct shm_segment *)ipc_at_slot(&segments, i);
		if (s && (s->perm.mode & SHM_DEST) && shm_attaches(s) == 0)
			forget_removed(s);
	}
}

static struct ipc_object *create(const void *arg, int *err)
{
	size_t size = *(const size_t *)arg;
	size_t pages = PAGE_ALIGN_UP(size) / PAGE_SIZE;
	*err = -EINVAL;
	if (size < SHMMIN || size > shm_max)
		return NULL;
	*err = -ENOSPC;
	if (PAGE_ALIGN_UP(size) < size || total_pages + pages < total_pages || total_pages + pages > shm_all)
		return NULL;
	*err = -ENOMEM;
	struct shm_segment *s = kzalloc(sizeof *s);
	if (!s)
		return NULL;
	s->file = inode_new(S_IFREG | 0600);
	if (!s->file) {
		kfree(s);
		return NULL;
	}
	s->file->nlink = 0;
	s->file->size = pages * PAGE_SIZE;
	s->size = size;
	s->ctime = ipc_now();
	s->cpid = current_process()->pid;
	total_pages += pages;
	return &s->perm;
}

static int check_size(const struct ipc_object *o, const void *arg)
{
	return ((const struct shm_segment *)o)->size < *(const size_t *)arg ? -EINVAL : 0;
}

int shm_get(int32_t key, size_t size, int flags)
{
	sweep();
	return ipc_get(&segments, key, flags, create, check_size, &size);
}

struct shm_segment *shm_find(int id)
{
	sweep();
	return (struct shm_segment *)ipc_find(&segments, id);
}

struct shm_segment *shm_at_slot(int slot)
{
	sweep();
	return (struct shm_segment *)ipc_at_slot(&segments, slot);
}

struct shm_segment *shm_of_file(const struct inode *file)
{
	for (int i = 0; i <= segments.highest; i++) {
		struct shm_segment *s = (struct shm_segment *)ipc_at_slot(&segments, i);
		if (s && s->file == file)
			return s;
	}
	return NULL;
}

const char *shm_map_name(const struct shm_segment *s)
{
	char name[32];
	ksnprintf(name, sizeof name, "/SYSV%08x", (uint32_t)s->perm.key);
	return intern(name);
}

void shm_note_attach(struct shm_segment *s)
{
	s->atime = ipc_now();
	s->lpid = current_process()->pid;
}

void shm_note_detach(struct shm_segment *s)
{
	s->dtime = ipc_now();
	s->lpid = current_process()->pid;
}

void shm_remove(struct shm_segment *s)
{
	if (shm_attaches(s) == 0) {
		ipc_remove(&segments, &s->perm);
		return;
	}
	if (s->perm.mode & SHM_DEST)
		return; /* removed before: Linux lets IPC_RMID come again */
	s->perm.mode |= SHM_DEST;
	ipc_forget_key(&segments, &s->perm);
	removed_attached++;
}

struct shm_totals shm_count(void)
{
	sweep();
	struct shm_totals t = {.segments = segments.in_use, .pages = total_pages};
	for (int i = 0; i <= segments.highest; i++) {
		struct shm_segment *s = (struct shm_segment *)ipc_at_slot(&segments, i);
		for (size_t p = 0; s && p < s->file->file.npages; p++)
			t.resident += s->file->file.pages[p] != NULL;
	}
	return t;
}

int shm_highest_slot(void)
{
	sweep();
	return ipc_highest_slot(&segments);
}

/* How many of as's areas map s: the attaches that go with it. */
static unsigned long attaches_in(const struct addrspace *as, const struct shm_segment *s)
{
	unsigned long n = 0;
	for (const struct vma *v = as->vmas.head; v; v = v->next)
		n += v->file == s->file && (v->flags & VMA_SHARED);
	return n;
}

/* A process that ends detaches what its address space maps, if no other
 * process shares that space (vfork): the times and pid say so, as Linux's
 * shm_close, and a removed segment only it held leaves the table now. */
static void detach_at_exit(struct process *p)
{
	if (!p->as || p->as->refs != 1 || segments.in_use == 0)
		return;
	for (const struct vma *v = p->as->vmas.head; v; v = v->next) {
		struct shm_segment *s = v->file && (v->flags & VMA_SHARED) ? shm_of_file(v->file) : NULL;
		if (!s)
			continue;
		s->dtime = ipc_now();
		s->lpid = p->pid;
		if ((s->perm.mode & SHM_DEST) && attaches_in(p->as, s) == shm_attaches(s))
			forget_removed(s); /* its areas hold the file until they go */
	}
}
PROCESS_EXIT_HOOK(detach_at_exit);

/* exec dropped the old address space before the hooks run. */
static void sweep_after_exec(struct process *p)
{
	(void)p;
	sweep();
}
PROCESS_EXEC_HOOK(sweep_after_exec);
