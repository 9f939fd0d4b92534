/* Paths inside an image folder (sole run --rootfs, an OCI bundle's root):
 * resolved as if the folder were "/", so that an absolute symlink such as
 * /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/... stays in the
 * image and never reaches the host's files. */
#ifndef SOLE_ROOTED_PATH_H
#define SOLE_ROOTED_PATH_H

/* root is always a canonical host path (realpath's), without symlinks.
 *
 * Opens path (absolute or relative to the image's "/") in the folder root,
 * every symlink and ".." kept inside it (openat2's RESOLVE_IN_ROOT). With
 * root NULL, a plain open. Returns the fd, or -1 with errno set. */
int rooted_open(const char *root, const char *path, int flags);

/* path with every symlink followed, as the image sees it ("/usr/lib/..."),
 * or NULL with errno set. With root NULL, realpath(3). */
char *rooted_realpath(const char *root, const char *path);

/* The host's path of the file that path names in the image (root joined
 * to rooted_realpath), or NULL with errno set. With root NULL, realpath(3). */
char *rooted_host_path(const char *root, const char *path);

#endif
