/* execve's work (kernel/proc/exec.c): the calling process's image is
 * replaced by a new program, an ELF (static, static-PIE, non-PIE or dynamic
 * through its interpreter) or a "#!" script. */
#ifndef SOLE_EXEC_H
#define SOLE_EXEC_H

#include <stdbool.h>
#include <stddef.h>

struct inode;

/* argv and envp, copied into the kernel before anything else happens.
 * Each string is allocated on its own; bytes counts what they and their
 * pointers take on the new stack, against Linux's limit. */
struct exec_args {
	char **argv, **envp;
	int argc, envc;
	size_t bytes;
};

#define EXEC_ARGS_MAX (2u << 20)      /* a quarter of the 8 MiB stack limit, as Linux allows */
#define EXEC_STRING_MAX (32u * 4096u) /* MAX_ARG_STRLEN */

/* Appends a copy of s (len bytes) to argv or envp: 0, -E2BIG or -ENOMEM. */
int exec_args_add(struct exec_args *a, bool to_env, const char *s, size_t len);
void exec_args_free(struct exec_args *a);

/* Runs file, found at path (as the app named it), in the calling process.
 * Every error (EACCES, ENOEXEC, ENOENT for a missing interpreter, ELOOP,
 * E2BIG, ENOMEM) comes back before the old image is touched; success
 * returns 0 to a caller that then leaves for the new program's entry. */
long process_exec(struct inode *file, const char *path, struct exec_args *args);

#endif
