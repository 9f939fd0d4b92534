/* /dev/mqueue, as Linux's mqueue file system shows the POSIX message
 * queues (kernel/ipc/mqueue.c): a file per named queue, with the queue's
 * owner and mode, reading as its status line (QSIZE, NOTIFY, SIGNO,
 * NOTIFY_PID), and opening as the queue, which mq_send and mq_receive
 * take; open(O_CREAT) of a new name makes a queue with the default sizes,
 * unlinking one is mq_unlink. Other kinds of file cannot be made here
 * (EPERM). */
#include "kernel/ipc/mqueue_folder.h"

#include <string.h>

#include "kernel/fs/vfs.h"
#include "kernel/ipc/mqueue.h"

static void add_entry(void *dir, const char *name, struct inode *queue)
{
	dentry_insert(dir, name, strlen(name), queue);
}

/* The entries afresh from the queues' names, before each use. */
static void refresh(struct inode *dir)
{
	while (dir->dir.children)
		dentry_remove(dir, dir->dir.children->name, strlen(dir->dir.children->name));
	mq_for_each_named(add_entry, dir);
}

static int remove_entry(struct inode *dir, const char *name)
{
	(void)dir;
	return mq_unlink(name);
}

static int create_entry(struct inode *dir, const char *name, uint32_t mode)
{
	(void)dir;
	return mq_create(name, mode);
}

void mqueue_folder_populate(struct inode *dev)
{
	struct inode *dir = inode_new(S_IFDIR | 01777);
	if (!dir)
		return;
	dir->dir.kernel_entries = true;
	dir->dir.refresh = refresh;
	dir->dir.remove_entry = remove_entry;
	dir->dir.create_entry = create_entry;
	dir_link(dev, "mqueue", 6, dir);
	inode_put(dir);
}
