/* execve, see exec.h. The new image is built in a fresh address space
 * while the old one stays intact, so every error reaches the caller; only
 * then does the point of no return come: the process's other threads die,
 * the caller's robust and PI locks are released as at exit, the old
 * address space goes (a vfork parent may go on), close-on-exec
 * descriptors close, caught signals return to their default, the
 * capability sets are recomputed, and the thread leaves for the new
 * program's entry. */
#include "kernel/proc/exec.h"

#include <linux/fcntl.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/intern.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
#include "kernel/security/capability.h"
#include "loader/load.h"
#include "loader/script.h"

#define SCRIPT_DEPTH_MAX 4 /* Linux's BINPRM_MAX_RECURSION: interpreters of interpreters */
#define ELF_MAGIC                                                                                                      \
	"\x7f"                                                                                                         \
	"ELF"

int exec_args_add(struct exec_args *a, bool to_env, const char *s, size_t len)
{
	size_t cost = len + 1 + sizeof(char *);
	if (len + 1 > EXEC_STRING_MAX || a->bytes + cost > EXEC_ARGS_MAX)
		return -E2BIG;
	char ***list = to_env ? &a->envp : &a->argv;
	int *count = to_env ? &a->envc : &a->argc;
	char **grown = kmalloc((size_t)(*count + 2) * sizeof(char *));
	char *copy = kmalloc(len + 1);
	if (!grown || !copy) {
		kfree(grown);
		kfree(copy);
		return -ENOMEM;
	}
	memcpy(copy, s, len);
	copy[len] = 0;
	if (*count)
		memcpy(grown, *list, (size_t)*count * sizeof(char *));
	grown[(*count)++] = copy;
	grown[*count] = NULL;
	kfree(*list);
	*list = grown;
	a->bytes += cost;
	return 0;
}

void exec_args_free(struct exec_args *a)
{
	for (int i = 0; i < a->argc; i++)
		kfree(a->argv[i]);
	for (int i = 0; i < a->envc; i++)
		kfree(a->envp[i]);
	kfree(a->argv);
	kfree(a->envp);
	*a = (struct exec_args){0};
}

/* Puts the interpreter line's words before argv, replacing argv[0] with the
 * script's path, as Linux does: interpreter [argument] path argv[1..]. */
static int prepend_interpreter(struct exec_args *a, const struct script_line *line, const char *path)
{
	struct exec_args fresh = {.envp = a->envp, .envc = a->envc, .bytes = a->bytes};
	int err = exec_args_add(&fresh, false, line->interpreter, strlen(line->interpreter));
	if (!err && line->has_argument)
		err = exec_args_add(&fresh, false, line->argument, strlen(line->argument));
	if (!err)
		err = exec_args_add(&fresh, false, path, strlen(path));
	for (int i = 1; i < a->argc && !err; i++)
		err = exec_args_add(&fresh, false, a->argv[i], strlen(a->argv[i]));
	fresh.envp = NULL;
	fresh.envc = 0;
	if (err) {
		exec_args_free(&fresh);
		return err;
	}
	for (int i = 0; i < a->argc; i++)
		kfree(a->argv[i]);
	kfree(a->argv);
	a->argv = fresh.argv;
	a->argc = fresh.argc;
	a->bytes = fresh.bytes;
	return 0;
}

/* Linux's checks before it reads a byte: a regular file the caller may
 * execute (root may run any file that has an execute bit), and that no
 * open file may write to (deny_write_access: ETXTBSY). */
static int check_runnable(const struct inode *file)
{
	if (!S_ISREG(file->mode))
		return -EACCES;
	int err = inode_permission(current_cred(), file, MAY_EXEC);
	if (!err && file->open_writers)
		err = -ETXTBSY;
	return err;
}

/* Follows "#!" lines down to an ELF: *file and *path end at the program to
 * load, and argv names the interpreters. */
static int resolve_program(struct inode **file, const char **path, struct exec_args *args, char *path_store)
{
	for (int depth = 0;; depth++) {
		int err = check_runnable(*file);
		if (err)
			return err;
		char head[SCRIPT_LINE_MAX];
		long got = inode_read(*file, 0, head, sizeof head);
		if (got < 0)
			return (int)got;
		if (got >= 4 && memcmp(head, ELF_MAGIC, 4) == 0)
			return 0;
		if (!script_is_script(head, (size_t)got))
			return -ENOEXEC;
		if (depth == SCRIPT_DEPTH_MAX)
			return -ELOOP;
		struct script_line line;
		if (script_parse(head, (size_t)got, &line))
			return -ENOEXEC;
		err = prepend_interpreter(args, &line, *path);
		if (!err)
			err = lookup_at(AT_FDCWD, line.interpreter, LOOKUP_FOLLOW, file);
		if (err)
			return err;
		strcpy(path_store, line.interpreter);
		*path = path_store;
	}
}

/* Builds the new image in a fresh address space, current meanwhile (the
 * loader writes the stack through the app's addresses); the old one comes
 * back afterwards, untouched, and *fresh holds the new one. */
static int build_image(struct process *p, struct inode *file, const char *exe, const char *execfn,
                       const struct exec_args *args, struct addrspace **fresh, uint64_t *entry, uint64_t *sp)
{
	struct addrspace *old = p->as;
	*fresh = addrspace_create();
	if (!*fresh)
		return -ENOMEM;
	p->as = *fresh;
	addrspace_activate(*fresh);
	struct loaded_image image;
	const char *error = "";
	int err = load_elf(p, file, exe, &image, &error);
	if (!err) {
		*sp = build_initial_stack(p, &image, execfn, (const char *const *)args->argv, args->argc,
		                          (const char *const *)args->envp, args->envc);
		err = *sp ? 0 : -ENOMEM;
	}
	*entry = image.start;
	p->as = old;
	addrspace_activate(old);
	if (err)
		addrspace_put(*fresh);
	return err;
}

/* Linux's de_thread: the other threads die before the new program runs.
 * False when the caller itself was told to die meanwhile. */
static bool kill_other_threads(struct process *p)
{
	struct thread *self = current_thread();
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		if (t != self && t->state != THREAD_DEAD)
			thread_kill(t);
	p->exec_waiter = self;
	while (p->live_threads > 1 && !self->killed)
		sched_block(0);
	p->exec_waiter = NULL;
	return !self->killed;
}

/* Shared parts that the new program must have to itself (clone's
 * CLONE_FILES and CLONE_SIGHAND), as Linux unshares them at exec. */
static void unshare_for_exec(struct process *p)
{
	if (p->files->refs > 1) {
		struct fd_table *own = fd_table_dup(p->files);
		if (own) {
			fd_table_put(p->files);
			p->files = own;
		}
	}
	if (p->sighand->refs > 1) {
		struct signal_handlers *own = signal_handlers_copy(p->sighand);
		if (own) {
			signal_handlers_put(p->sighand);
			p->sighand = own;
		}
	}
}

/* Caught signals go back to SIG_DFL; ignored ones stay ignored. */
static void reset_handlers(struct signal_handlers *h)
{
	for (int sig = 1; sig <= NSIG; sig++) {
		struct k_sigaction *a = &h->action[sig - 1];
		if (a->handler != SIG_IGN)
			*a = (struct k_sigaction){0};
		else
			a->flags = 0;
	}
}

static void reset_thread(struct thread *t, const char *exe)
{
	t->altstack_sp = t->altstack_size = 0;
	t->altstack_flags = 0;
	t->rseq_area = 0;
	t->fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	const char *slash = strrchr(exe, '/');
	strncpy(t->comm, slash ? slash + 1 : exe, sizeof t->comm - 1);
	t->comm[sizeof t->comm - 1] = 0;
	/* A fresh FPU: x87 and SSE state as at process start. */
	uint32_t mxcsr = 0x1f80;
	__asm__ volatile("fninit; ldmxcsr %0" ::"m"(mxcsr));
}

static void enter_program(struct thread *t, uint64_t entry, uint64_t sp)
{
	struct trap_frame *f = syscall_frame(t->kernel_stack_top);
	memset(f, 0, sizeof *f);
	f->rip = entry;
	f->cs = USER_CS;
	f->ss = USER_DS;
	f->rsp = sp;
	f->rflags = RFLAGS_IF | 0x2;
}

/* The path /proc/PID/exe shows. Linux names the file exec opened, so a
 * symlink in the last component (/proc/self/exe itself, for a program that
 * runs itself again) is followed, up to 40 links as a lookup would. */
static long program_real_path(struct fs_context *fs, const char *path, char *out, size_t size)
{
	long len = vfs_absolute_path(fs->root, fs->cwd, path, out, size);
	for (int links = 0; len >= 0 && links < 40; links++) {
		struct inode *link, *dir;
		const char *name;
		size_t name_len;
		if (vfs_lookup(current_lookup(), fs->root, out, 0, &link) || !S_ISLNK(link->mode) ||
		    vfs_lookup_parent(current_lookup(), fs->root, out, &dir, &name, &name_len))
			break;
		len = vfs_absolute_path(fs->root, dir, link->link_target, out, size);
	}
	return len;
}

long process_exec(struct inode *file, const char *path, struct exec_args *args)
{
	struct process *p = current_process();
	struct thread *t = current_thread();
	static char interpreter_path[SCRIPT_LINE_MAX];
	const char *program_path = path;
	int err = resolve_program(&file, &program_path, args, interpreter_path);
	char exe[4096];
	long len = err ? 0 : program_real_path(p->fs, program_path, exe, sizeof exe);
	if (!err && len < 0)
		err = (int)len;
	const char *exe_interned = err ? NULL : intern(exe);
	if (!err && !exe_interned)
		err = -ENOMEM;
	uint64_t entry = 0, sp = 0;
	struct addrspace *fresh = NULL;
	if (!err)
		err = build_image(p, file, exe_interned, path, args, &fresh, &entry, &sp);
	if (err)
		return err;
	/* The point of no return. The other threads die first, in the old
	 * image (their clear_child_tid words are there), as Linux's de_thread. */
	if (!kill_other_threads(p)) {
		addrspace_put(fresh);
		thread_exit_killed(); /* the process is ending anyway */
	}
	thread_release_futexes(t);
	struct addrspace *old = p->as;
	p->as = fresh;
	addrspace_activate(fresh);
	addrspace_put(old);
	process_release_vfork_parent(p);
	unshare_for_exec(p);
	fd_table_close_on_exec(p->files);
	reset_handlers(p->sighand);
	process_exec_hooks_run(p);
	p->exe_path = exe_interned;
	p->did_exec = true;
	capabilities_exec(&p->cred);
	reset_thread(t, path); /* the name is the one exec was given, as Linux's bprm->filename */
	enter_program(t, entry, sp);
	return 0;
}
