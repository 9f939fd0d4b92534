/* Kernel-made folders and files, see synthetic_tree.h. */
#include "kernel/fs/synthetic_tree.h"

#include <string.h>

#include "kernel/fs/vfs.h"

struct inode *synthetic_dir(struct inode *parent, const char *name, uint32_t mode)
{
	struct inode *dir = dir_lookup(parent, name, strlen(name)); /* no refresh: it may be running */
	if (!dir) {
		if (!(dir = inode_new(S_IFDIR | mode)))
			return NULL;
		dir_link(parent, name, strlen(name), dir);
		inode_put(dir);
	}
	dir->dir.kernel_entries = true; /* the app may not add or remove names (the initrd's /proc too) */
	return dir;
}

void synthetic_file(struct inode *dir, const char *name, generator generate)
{
	struct inode *file = inode_new(S_IFREG | 0444);
	if (!file)
		return;
	file->file.generate = generate;
	file->file.proc_pid = dir->dir.proc_pid;
	dir_link(dir, name, strlen(name), file);
	inode_put(file);
}
