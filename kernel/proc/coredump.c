/* Core files, see coredump.h. Linux's do_coredump and elf_core_dump: the
 * file is an ELF header, one PT_NOTE (a PRSTATUS per thread, the dying one
 * first, then PRPSINFO, AUXV and FILE) and a PT_LOAD per area, whose bytes
 * follow from the next page on. Pages never touched stay holes; only the
 * bytes written count against RLIMIT_CORE, and the dump stops at the first
 * write that would pass it, leaving a truncated file as Linux does. */
#include "kernel/proc/coredump.h"

#include <elf.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"
#include "kernel/strbuf.h"
#include "libc-glue/kformat.h"

#define CORENAME_MAX_SIZE 128 /* Linux's bound on core_pattern */
#define PRARGSZ 80            /* prpsinfo's argument bytes */

static char core_pattern[CORENAME_MAX_SIZE] = "core";
unsigned long core_uses_pid;

/* Linux's struct user_regs_struct: gdb reads the registers in this order. */
struct user_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi, orig_rax;
	uint64_t rip, cs, eflags, rsp, ss, fs_base, gs_base, ds, es, fs, gs;
};

struct core_timeval {
	int64_t sec, usec;
};

/* NT_PRSTATUS: one thread's state (Linux's struct elf_prstatus). */
struct prstatus {
	int32_t si_signo, si_code, si_errno;
	int16_t cursig, pad0;
	uint64_t sigpend, sighold;
	int32_t pid, ppid, pgrp, sid;
	struct core_timeval utime, stime, cutime, cstime;
	struct user_regs regs;
	int32_t fpvalid, pad1;
};
_Static_assert(sizeof(struct prstatus) == 336, "Linux's elf_prstatus on x86_64");

/* NT_PRPSINFO: the process (Linux's struct elf_prpsinfo). */
struct prpsinfo {
	char state, sname, zomb, nice;
	uint32_t pad;
	uint64_t flag;
	uint32_t uid, gid;
	int32_t pid, ppid, pgrp, sid;
	char fname[16];
	char psargs[PRARGSZ];
};
_Static_assert(sizeof(struct prpsinfo) == 136, "Linux's elf_prpsinfo on x86_64");

struct core_thread {
	int tid;
	uint64_t sigpend, sighold;
	struct user_regs regs;
};

struct core_dump {
	struct process *p;
	int sig;
	uint64_t limit;
	int thread_count;
	struct core_thread threads[]; /* the dying thread first */
};

/* An area as the core holds it: dump_bytes of it from its start. */
struct core_area {
	uintptr_t start, end;
	uint32_t prot;
	struct inode *file;
	uint64_t file_offset;
	const char *name;
	uint64_t dump_bytes;
};

/* Where the bytes go: pos is the next write's offset, written what
 * RLIMIT_CORE counts (holes are free), end where the last write ended. */
struct core_out {
	struct inode *file;
	uint64_t pos, written, end, limit;
	bool stopped;
};

static struct user_regs regs_of(const struct trap_frame *f, uint64_t fs_base, uint64_t gs_base)
{
	bool in_syscall = f->vector == SYSCALL_VECTOR;
	return (struct user_regs){.r15 = f->r15,
	                          .r14 = f->r14,
	                          .r13 = f->r13,
	                          .r12 = f->r12,
	                          .rbp = f->rbp,
	                          .rbx = f->rbx,
	                          .r11 = f->r11,
	                          .r10 = f->r10,
	                          .r9 = f->r9,
	                          .r8 = f->r8,
	                          .rax = f->rax,
	                          .rcx = f->rcx,
	                          .rdx = f->rdx,
	                          .rsi = f->rsi,
	                          .rdi = f->rdi,
	                          .orig_rax = in_syscall ? f->error : ~0ull,
	                          .rip = f->rip,
	                          .cs = f->cs,
	                          .eflags = f->rflags,
	                          .rsp = f->rsp,
	                          .ss = f->ss,
	                          .fs_base = fs_base,
	                          .gs_base = gs_base};
}

static void take_thread(struct core_thread *c, const struct thread *t, const struct trap_frame *f, uint64_t gs_base)
{
	c->tid = t->tid;
	c->sigpend = t->signals.pending.set;
	c->sighold = t->signal_mask;
	c->regs = regs_of(f, t->fs_base, gs_base);
}

struct core_dump *coredump_begin(struct process *p, int sig, const struct trap_frame *f)
{
	uint64_t limit = p->rlimits[RLIMIT_CORE].rlim_cur;
	if (!p->dumpable || limit < PAGE_SIZE || core_pattern[0] == '|' || !core_pattern[0] || !p->as || !p->fs)
		return NULL; /* a pipe would need a helper program, which sole has not */
	int count = 0;
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		count += t->state != THREAD_DEAD;
	struct core_dump *cd = kzalloc(sizeof *cd + (size_t)count * sizeof cd->threads[0]);
	if (!cd)
		return NULL;
	*cd = (struct core_dump){.p = p, .sig = sig, .limit = limit, .thread_count = 1};
	struct thread *self = current_thread();
	/* In the kernel, the app's GS base is the one swapgs put aside. */
	take_thread(&cd->threads[0], self, f, rdmsr(MSR_KERNEL_GS_BASE));
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		if (t != self && t->state != THREAD_DEAD) /* off the CPU: its frame tops its kernel stack */
			take_thread(&cd->threads[cd->thread_count++], t, syscall_frame(t->kernel_stack_top),
			            t->gs_base);
	return cd;
}

/* The dying thread's command name (comm), as %e and prpsinfo give it. */
static const char *command_name(const struct process *p)
{
	const struct thread *self = current_thread();
	const char *slash = strrchr(p->exe_path, '/');
	return self->comm[0] ? self->comm : slash ? slash + 1 : p->exe_path;
}

/* The file's name by core_pattern: %p the pid, %i the tid, %e the
 * command, %s the signal, %u and %g the real ids, %% a percent; and
 * ".PID" with core_uses_pid when the pattern names no pid. */
static void core_name(const struct core_dump *cd, char *out, size_t size)
{
	const struct process *p = cd->p;
	size_t n = 0;
	bool has_pid = false;
	for (const char *c = core_pattern; *c && n + 1 < size; c++) {
		if (*c != '%') {
			out[n++] = *c;
			continue;
		}
		char *at = out + n;
		size_t room = size - n;
		switch (*++c) {
		case 'p':
		case 'P':
			has_pid = true;
			ksnprintf(at, room, "%d", p->pid);
			break;
		case 'i':
		case 'I':
			ksnprintf(at, room, "%d", cd->threads[0].tid);
			break;
		case 'e':
			ksnprintf(at, room, "%.15s", command_name(p));
			break;
		case 's':
			ksnprintf(at, room, "%d", cd->sig);
			break;
		case 'u':
			ksnprintf(at, room, "%u", p->cred.ruid);
			break;
		case 'g':
			ksnprintf(at, room, "%u", p->cred.rgid);
			break;
		case '%':
			ksnprintf(at, room, "%%");
			break;
		case 0: /* a lone '%' ends the pattern */
			c--;
			*at = 0;
			break;
		default:
			*at = 0;
			break;
		}
		n += strlen(at);
	}
	out[n] = 0;
	if (core_uses_pid && !has_pid)
		ksnprintf(out + n, size - n, ".%d", p->pid);
}

/* Linux's checks on a core file that exists: a regular file with one
 * link, owned by the dumper's fsuid and writable by it; it is emptied. */
static int reuse_core_file(struct process *p, struct inode *ino)
{
	if (S_ISLNK(ino->mode))
		return -ELOOP; /* opened with O_NOFOLLOW */
	if (!S_ISREG(ino->mode) || ino->nlink != 1 || ino->uid != p->cred.fsuid)
		return -EPERM;
	int err = inode_permission(&p->cred, ino, MAY_WRITE);
	if (!err && inode_read_only(ino))
		err = -EROFS;
	return err ? err : inode_truncate(ino, 0);
}

/* Opens or makes the core file at path, from p's cwd and with its
 * credentials; a new one has mode 0600 less the umask. Returns a held
 * reference in *out. */
static int open_core_file(struct process *p, const char *path, struct inode **out)
{
	struct lookup_context ctx = {.root = p->fs->root, .cred = &p->cred};
	struct inode *parent;
	const char *name;
	size_t len;
	int err = vfs_lookup_parent(ctx, p->fs->cwd, path, &parent, &name, &len);
	if (err)
		return err;
	if (!len || is_dot_or_dotdot(name, len))
		return -EISDIR;
	struct inode *ino = dir_lookup(parent, name, len);
	if (ino) {
		err = reuse_core_file(p, ino);
		if (!err)
			inode_get(ino);
	} else if (!(err = may_create(&p->cred, parent))) {
		ino = inode_new(S_IFREG | (0600 & ~p->fs->umask));
		if (!ino)
			return -ENOMEM;
		inode_init_owner(&p->cred, parent, ino);
		err = dir_link(parent, name, len, ino);
		if (err)
			inode_put(ino);
	}
	if (!err)
		*out = ino;
	return err;
}

/* Linux's dump_emit: false once a write fails or would pass the limit,
 * which ends the dump. */
static bool emit(struct core_out *o, const void *data, size_t len)
{
	if (o->stopped || len > o->limit - o->written ||
	    inode_write_buf(o->file, o->pos, kernel_buf(data), len) != (long)len) {
		o->stopped = true;
		return false;
	}
	o->pos += len;
	o->written += len;
	o->end = o->pos;
	return true;
}

/* How much of an area the default coredump_filter (0x33) keeps, as Linux's
 * vma_dump_size: anonymous memory, private or shared, and the vDSO whole;
 * shared file mappings and [vvar] not at all. Linux keeps a private file
 * mapping whole once a page of it was copied (relocations, RELRO), else
 * only an ELF header at its start; sole does not tell copied pages from
 * the file's, so it keeps them all, which gdb reads the same. */
static uint64_t dump_bytes(const struct vma *v)
{
	uint64_t whole = v->end - v->start;
	if (v->name && !strcmp(v->name, "[vvar]"))
		return 0;
	if (v->file && (v->flags & VMA_SHARED))
		return v->file->nlink == 0 ? whole : 0; /* nlink 0: shared anonymous memory */
	return whole;
}

/* The areas, at most what e_phnum can count beside the PT_NOTE. */
static struct core_area *take_areas(struct addrspace *as, int *count)
{
	size_t n = as->vmas.count < PN_XNUM - 1 ? as->vmas.count : PN_XNUM - 1;
	struct core_area *areas = kzalloc((n ? n : 1) * sizeof *areas);
	if (!areas)
		return NULL;
	size_t i = 0;
	for (struct vma *v = as->vmas.head; v && i < n; v = v->next, i++)
		areas[i] =
		    (struct core_area){v->start, v->end, v->prot, v->file, v->file_offset, v->name, dump_bytes(v)};
	*count = (int)i;
	return areas;
}

static bool has_file_name(const struct core_area *a) { return a->file && a->name && a->name[0] != '['; }

/* NT_FILE: the file mappings as start, end and offset in pages, then
 * their names, NUL-terminated. */
static void *file_note(const struct core_area *areas, int count, size_t *size)
{
	uint64_t files = 0;
	size_t names = 0;
	for (int i = 0; i < count; i++)
		if (has_file_name(&areas[i])) {
			files++;
			names += strlen(areas[i].name) + 1;
		}
	*size = 16 + files * 24 + names;
	uint64_t *words = kzalloc(*size);
	if (!words)
		return NULL;
	words[0] = files;
	words[1] = PAGE_SIZE;
	uint64_t *entry = words + 2;
	char *name = (char *)(entry + files * 3);
	for (int i = 0; i < count; i++) {
		const struct core_area *a = &areas[i];
		if (!has_file_name(a))
			continue;
		*entry++ = a->start;
		*entry++ = a->end;
		*entry++ = a->file_offset / PAGE_SIZE;
		size_t len = strlen(a->name) + 1;
		memcpy(name, a->name, len);
		name += len;
	}
	return words;
}

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

/* A note's size with the name "CORE". */
static size_t note_size(size_t desc) { return sizeof(Elf64_Nhdr) + 8 + align4(desc); }

static uint8_t *note_put(uint8_t *at, uint32_t type, const void *desc, size_t size)
{
	Elf64_Nhdr h = {.n_namesz = 5, .n_descsz = (Elf64_Word)size, .n_type = type};
	memcpy(at, &h, sizeof h);
	memcpy(at + sizeof h, "CORE\0\0\0", 8);
	memcpy(at + sizeof h + 8, desc, size);
	return at + note_size(size);
}

static struct prstatus prstatus_of(const struct core_dump *cd, const struct core_thread *t)
{
	const struct process *p = cd->p;
	return (struct prstatus){.si_signo = cd->sig,
	                         .cursig = (int16_t)cd->sig,
	                         .sigpend = t->sigpend,
	                         .sighold = t->sighold,
	                         .pid = t->tid,
	                         .ppid = process_ppid(p),
	                         .pgrp = p->pgid,
	                         .sid = p->sid,
	                         .regs = t->regs};
}

static struct prpsinfo prpsinfo_of(const struct core_dump *cd)
{
	struct process *p = cd->p;
	const struct thread *self = current_thread();
	struct prpsinfo info = {.sname = 'R',
	                        .nice = (char)self->sched.nice,
	                        .uid = p->cred.ruid,
	                        .gid = p->cred.rgid,
	                        .pid = p->pid,
	                        .ppid = process_ppid(p),
	                        .pgrp = p->pgid,
	                        .sid = p->sid};
	ksnprintf(info.fname, sizeof info.fname, "%s", command_name(p));
	size_t len = p->arg_end - p->arg_start < PRARGSZ - 1 ? p->arg_end - p->arg_start : PRARGSZ - 1;
	if (as_read(p->as, p->arg_start, info.psargs, len))
		len = 0;
	for (size_t i = 0; i < len; i++)
		if (!info.psargs[i])
			info.psargs[i] = ' ';
	while (len && info.psargs[len - 1] == ' ')
		info.psargs[--len] = 0;
	return info;
}

/* The PT_NOTE's contents; NULL when out of memory. */
static uint8_t *notes(const struct core_dump *cd, const struct core_area *areas, int count, size_t *size)
{
	size_t file_size;
	void *files = file_note(areas, count, &file_size);
	if (!files)
		return NULL;
	size_t auxv_size = cd->p->auxv_words * sizeof(uint64_t);
	*size = (size_t)cd->thread_count * note_size(sizeof(struct prstatus)) + note_size(sizeof(struct prpsinfo)) +
	        note_size(auxv_size) + note_size(file_size);
	uint8_t *buf = kzalloc(*size);
	if (buf) {
		struct prstatus status = prstatus_of(cd, &cd->threads[0]);
		struct prpsinfo info = prpsinfo_of(cd);
		uint8_t *at = note_put(buf, NT_PRSTATUS, &status, sizeof status);
		at = note_put(at, NT_PRPSINFO, &info, sizeof info);
		at = note_put(at, NT_AUXV, cd->p->auxv, auxv_size);
		at = note_put(at, NT_FILE, files, file_size);
		for (int i = 1; i < cd->thread_count; i++) {
			status = prstatus_of(cd, &cd->threads[i]);
			at = note_put(at, NT_PRSTATUS, &status, sizeof status);
		}
	}
	kfree(files);
	return buf;
}

static uint32_t segment_flags(uint32_t prot)
{
	return (prot & VMA_READ ? PF_R : 0) | (prot & VMA_WRITE ? PF_W : 0) | (prot & VMA_EXEC ? PF_X : 0);
}

/* The ELF header and program headers; data_at is where the first area's
 * bytes go, each area's following the one before. */
static void *headers(const struct core_area *areas, int count, size_t note_bytes, size_t *size, uint64_t *data_at)
{
	*size = sizeof(Elf64_Ehdr) + (size_t)(count + 1) * sizeof(Elf64_Phdr);
	uint8_t *buf = kzalloc(*size);
	if (!buf)
		return NULL;
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof *eh;
	eh->e_ehsize = sizeof *eh;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (Elf64_Half)(count + 1);
	Elf64_Phdr *ph = (Elf64_Phdr *)(eh + 1);
	ph[0] = (Elf64_Phdr){.p_type = PT_NOTE, .p_offset = *size, .p_filesz = note_bytes};
	uint64_t offset = PAGE_ALIGN_UP(*size + note_bytes);
	*data_at = offset;
	for (int i = 0; i < count; i++) {
		const struct core_area *a = &areas[i];
		ph[i + 1] = (Elf64_Phdr){.p_type = PT_LOAD,
		                         .p_flags = segment_flags(a->prot),
		                         .p_offset = offset,
		                         .p_vaddr = a->start,
		                         .p_filesz = a->dump_bytes,
		                         .p_memsz = a->end - a->start,
		                         .p_align = PAGE_SIZE};
		offset += a->dump_bytes;
	}
	return buf;
}

/* Linux's dump_user_range: pages in memory are written, the others left
 * as holes. */
static void write_area(struct core_out *o, struct addrspace *as, const struct core_area *a, uint8_t *page)
{
	for (uintptr_t addr = a->start; addr < a->start + a->dump_bytes && !o->stopped; addr += PAGE_SIZE) {
		if (as_resident(as, addr) && !as_read(as, addr, page, PAGE_SIZE))
			emit(o, page, PAGE_SIZE);
		else
			o->pos += PAGE_SIZE;
	}
}

/* Everything after the file is open: false when memory ran short before
 * the first byte. */
static bool write_core(const struct core_dump *cd, struct core_out *o)
{
	struct addrspace *as = cd->p->as;
	int count = 0;
	size_t note_bytes = 0, header_bytes = 0;
	uint64_t data_at = 0;
	struct core_area *areas = take_areas(as, &count);
	uint8_t *note = areas ? notes(cd, areas, count, &note_bytes) : NULL;
	uint8_t *header = note ? headers(areas, count, note_bytes, &header_bytes, &data_at) : NULL;
	uint8_t *page = header ? kmalloc(PAGE_SIZE) : NULL;
	if (page && emit(o, header, header_bytes) && emit(o, note, note_bytes)) {
		o->pos = data_at;
		for (int i = 0; i < count && !o->stopped; i++)
			write_area(o, as, &areas[i], page);
		if (!o->stopped && o->pos > o->end) { /* a hole at the end: one byte gives the file its size */
			o->pos--;
			emit(o, "", 1);
		}
	}
	kfree(page);
	kfree(header);
	kfree(note);
	kfree(areas);
	return page != NULL;
}

bool coredump_write(struct core_dump *cd)
{
	char path[CORENAME_MAX_SIZE * 2];
	core_name(cd, path, sizeof path);
	struct core_out o = {.limit = cd->limit};
	bool dumped = !open_core_file(cd->p, path, &o.file);
	if (dumped) {
		dumped = write_core(cd, &o);
		inode_put(o.file);
	}
	kfree(cd);
	return dumped;
}

void coredump_pattern_show(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "%s\n", core_pattern);
}

/* As Linux's proc_dostring: the text up to a newline, cut to the bound. */
int coredump_pattern_store(const struct inode *ino, const char *text)
{
	(void)ino;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	size_t len = 0;
	while (text[len] && text[len] != '\n' && len < CORENAME_MAX_SIZE - 1)
		len++;
	memcpy(core_pattern, text, len);
	core_pattern[len] = 0;
	return 0;
}
