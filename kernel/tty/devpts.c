/* /dev/pts, see devpts.h. The folder lives in the tree as devfs's other
 * nodes do; a node's number is all its driver needs to find the pty. */
#include "kernel/tty/devpts.h"

#include <string.h>

#include "kernel/fs/vfs.h"
#include "kernel/proc/process.h"
#include "libc-glue/kformat.h"

#define TTY_GROUP 5 /* Debian's tty group, devpts's gid= mount option */
#define SLAVE_MODE 0620

static struct inode *pts_dir;

void devpts_init(struct inode *dev)
{
	pts_dir = dir_lookup(dev, "pts", 3);
	if (pts_dir)
		return;
	pts_dir = inode_new(S_IFDIR | 0755);
	if (!pts_dir)
		return;
	dir_link(dev, "pts", 3, pts_dir);
	inode_put(pts_dir);
}

uint32_t devpts_rdev(int index)
{
	uint32_t minor = (uint32_t)index;
	return (minor & 0xff) | (PTS_MAJOR << 8) | ((minor & ~0xffu) << 12);
}

struct inode *devpts_add(int index, const struct chardev *driver)
{
	struct inode *node = pts_dir ? inode_new(S_IFCHR | SLAVE_MODE) : NULL;
	if (!node)
		return NULL;
	node->dev = driver;
	node->rdev = devpts_rdev(index);
	node->uid = current_process()->cred.fsuid;
	node->gid = TTY_GROUP;
	char name[16];
	ksnprintf(name, sizeof name, "%d", index);
	if (dir_link(pts_dir, name, strlen(name), node)) {
		inode_put(node);
		return NULL;
	}
	return node; /* the creation's reference stays the caller's */
}

void devpts_remove(struct inode *node, int index)
{
	char name[16];
	ksnprintf(name, sizeof name, "%d", index);
	dir_unlink(pts_dir, name, strlen(name));
	inode_put(node);
}
