/* execve and execveat: copying the path, argv and envp into the kernel
 * (every bad pointer gives EFAULT, every oversize E2BIG, before anything
 * changes), finding the file, then kernel/proc/exec.c replaces the image.
 * A program missing from the VM is noted for sole's hint, as a missing
 * file is. */
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/missing.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/exec.h"
#include "libc-glue/kformat.h"
#include "syscalls/fs_common.h"

#define SHORT_STRING 256

/* Copies one string of the app's argv or envp, however long (up to
 * EXEC_STRING_MAX): a small buffer first, a larger one when it is cut. */
static int copy_string(struct exec_args *a, bool to_env, const char *user)
{
	for (size_t size = SHORT_STRING;; size *= 2) {
		if (size > EXEC_STRING_MAX)
			return -E2BIG;
		char *buf = kmalloc(size);
		if (!buf)
			return -ENOMEM;
		long len = strncpy_from_user(buf, user, size);
		int err = len == -ENAMETOOLONG ? 1 : len < 0 ? (int)len : exec_args_add(a, to_env, buf, (size_t)len);
		kfree(buf);
		if (err <= 0)
			return err;
	}
}

/* A NULL-terminated array of the app's strings; a NULL array is empty. */
static int copy_vector(struct exec_args *a, bool to_env, const char *const *user)
{
	for (size_t i = 0; user; i++) {
		const char *s;
		if (copy_from_user(&s, &user[i], sizeof s))
			return -EFAULT;
		if (!s)
			return 0;
		int err = copy_string(a, to_env, s);
		if (err)
			return err;
	}
	return 0;
}

static long do_exec(int dirfd, const char *user_path, const char *const *argv, const char *const *envp, int flags)
{
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	struct user_path *p = kmalloc(sizeof *p);
	if (!p)
		return -ENOMEM;
	struct exec_args args = {0};
	int err = user_path_get(user_path, p, flags & AT_EMPTY_PATH);
	if (!err)
		err = copy_vector(&args, false, argv);
	if (!err && args.argc == 0)
		err = exec_args_add(&args, false, "", 0); /* Linux 5.18 on: an empty argv gets "" as argv[0] */
	if (!err)
		err = copy_vector(&args, true, envp);
	struct inode *file = NULL;
	if (!err)
		err = inode_at(dirfd, user_path, flags, &file);
	if (err == -ENOENT && p->name[0]) {
		struct inode *start;
		if (!dirfd_start(dirfd, p->name, &start))
			missing_note(start, p->name, true);
	}
	if (!err && S_ISLNK(file->mode))
		err = -ELOOP; /* AT_SYMLINK_NOFOLLOW named a symlink */
	if (!err && !p->name[0])
		ksnprintf(p->name, sizeof p->name, "/dev/fd/%d", dirfd); /* fexecve, as Linux names it */
	if (!err)
		err = (int)process_exec(file, p->name, &args);
	exec_args_free(&args);
	kfree(p);
	return err;
}

long sys_execve(const char *path, const char *const *argv, const char *const *envp)
{
	return do_exec(AT_FDCWD, path, argv, envp, 0);
}

long sys_execveat(int dirfd, const char *path, const char *const *argv, const char *const *envp, int flags)
{
	return do_exec(dirfd, path, argv, envp, flags);
}
