/* The file system types sole's kernel has, in the order /proc/filesystems
 * and the sysfs(2) syscall number them: the in-memory tree (tmpfs), /proc,
 * and volumes (9p). */
#ifndef SOLE_FS_TYPES_H
#define SOLE_FS_TYPES_H

extern const char *const fs_type_names[];
extern const int fs_type_count;

#endif
