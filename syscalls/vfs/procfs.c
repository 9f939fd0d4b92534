/* /proc, as far as the foundation needs it: /proc/self/exe, and
 * /proc/self as a link to the one process (pid 1). */
#include <string.h>

#include "kernel/mm/heap.h"
#include "syscalls/vfs/vfs.h"

static struct inode *make_dir(struct inode *parent, const char *name)
{
	struct inode *dir;
	if (!vfs_lookup(parent, name, LOOKUP_DIRECTORY, &dir))
		return dir;
	dir = inode_new(S_IFDIR | 0555);
	if (!dir)
		return NULL;
	dir_link(parent, name, strlen(name), dir);
	inode_put(dir);
	return dir;
}

static void make_link(struct inode *dir, const char *name, const char *target)
{
	struct inode *link = inode_new(S_IFLNK | 0777);
	if (!link)
		return;
	link->link_target = kstrdup(target);
	link->size = strlen(target);
	dir_link(dir, name, strlen(name), link);
	inode_put(link);
}

void procfs_populate(const char *exe_path)
{
	struct inode *proc = make_dir(vfs_root(), "proc");
	struct inode *pid1 = proc ? make_dir(proc, "1") : NULL;
	if (!pid1)
		return;
	make_link(pid1, "exe", exe_path);
	make_link(proc, "self", "1");
}
