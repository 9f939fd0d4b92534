/* Folders and files the kernel makes and fills itself, as /proc's and
 * /sys's: a file's text comes from its generator each time it is opened. */
#ifndef SOLE_SYNTHETIC_TREE_H
#define SOLE_SYNTHETIC_TREE_H

#include <stdint.h>

struct inode;
struct strbuf;

typedef void (*generator)(const struct inode *ino, struct strbuf *out);

/* The folder name in parent, made if missing (with mode), whose names the
 * app may not add or remove; NULL when out of memory. */
struct inode *synthetic_dir(struct inode *parent, const char *name, uint32_t mode);
/* A read-only file name in dir, filled by generate; it belongs to the
 * process dir belongs to, if any. */
void synthetic_file(struct inode *dir, const char *name, generator generate);

#endif
