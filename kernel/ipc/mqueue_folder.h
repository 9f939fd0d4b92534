/* /dev/mqueue (kernel/ipc/mqueue_folder.c). */
#ifndef SOLE_MQUEUE_FOLDER_H
#define SOLE_MQUEUE_FOLDER_H

struct inode;

/* Boot: makes dev/mqueue, listing the named queues. */
void mqueue_folder_populate(struct inode *dev);

#endif
