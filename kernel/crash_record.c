/* Writes crash records, see crash_record.h and docs/crash-record.md. */
#include "kernel/crash_record.h"

#include <stdarg.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/console.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "libc-glue/kformat.h"

#define MAX_FRAMES 32
/* The top of the faulting thread's stack that the record carries, so the
 * host can unwind frames that keep no frame pointer. */
#define STACK_RECORD_BYTES (16 * 1024)
#define STACK_LINE_BYTES 64

static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof buf - 1 ? (size_t)n : sizeof buf - 2;
	buf[len++] = '\n';
	console_write(WIRE_CRASH, buf, len);
}

static void registers(const struct trap_frame *f)
{
	static const char *const names[] = {"r15", "r14", "r13", "r12", "r11", "r10", "r9", "r8",
	                                    "rbp", "rdi", "rsi", "rdx", "rcx", "rbx", "rax"};
	const uint64_t *gpr = &f->r15;
	line("reg rip 0x%llx", (unsigned long long)f->rip);
	line("reg rsp 0x%llx", (unsigned long long)f->rsp);
	for (int i = 14; i >= 0; i--)
		line("reg %s 0x%llx", names[i], (unsigned long long)gpr[i]);
	line("reg rflags 0x%llx", (unsigned long long)f->rflags);
	line("reg cs 0x%llx", (unsigned long long)f->cs);
	line("reg ss 0x%llx", (unsigned long long)f->ss);
	line("reg fs_base 0x%llx", (unsigned long long)rdmsr(MSR_FS_BASE));
	line("reg cr2 0x%llx", (unsigned long long)read_cr2());
}

/* Kernel frames by the frame-pointer chain; the kernel keeps rbp. */
static void kernel_backtrace(uint64_t rbp)
{
	for (int i = 0; i < MAX_FRAMES; i++) {
		if (rbp < KERNEL_VMA && rbp < PHYS_MAP_BASE)
			break;
		if (rbp & 7)
			break;
		const uint64_t *fp = (const uint64_t *)rbp;
		uint64_t ret = fp[1];
		if (ret < KERNEL_VMA)
			break;
		line("frame 0x%llx", (unsigned long long)ret);
		if (fp[0] <= rbp)
			break;
		rbp = fp[0];
	}
}

static void maps(const struct addrspace *as)
{
	for (const struct vma *v = as->vmas.head; v; v = v->next)
		line("map 0x%llx 0x%llx %c%c%c 0x%llx %s", (unsigned long long)v->start, (unsigned long long)v->end,
		     v->prot & VMA_READ ? 'r' : '-', v->prot & VMA_WRITE ? 'w' : '-', v->prot & VMA_EXEC ? 'x' : '-',
		     (unsigned long long)(v->file ? v->file_offset : 0), v->name ? v->name : "");
}

static bool all_zero(const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bytes[i])
			return false;
	return true;
}

/* The stack area holding rsp, or the one just above it when rsp already
 * left it (a stack overflow moves rsp below the area). */
static const struct vma *stack_area(const struct addrspace *as, uint64_t rsp)
{
	const struct vma *v = vma_find(&as->vmas, rsp);
	if (v)
		return v;
	for (v = as->vmas.head; v; v = v->next)
		if (v->start > rsp && v->start - rsp <= STACK_RECORD_BYTES)
			return v;
	return NULL;
}

/* "stack ADDR HEX" for each 64-byte chunk that is not all zeros, then
 * "stack-range START END": the host reads the chunks left out as zeros. */
static void user_stack(const struct addrspace *as, uint64_t rsp)
{
	static const char hex[] = "0123456789abcdef";
	const struct vma *v = stack_area(as, rsp);
	if (!v)
		return;
	uint64_t start = (rsp > v->start ? rsp : v->start) & ~7ull;
	uint64_t end = v->end - start > STACK_RECORD_BYTES ? start + STACK_RECORD_BYTES : v->end;
	uint8_t bytes[STACK_LINE_BYTES];
	char text[2 * STACK_LINE_BYTES + 1];
	for (uint64_t at = start; at < end; at += STACK_LINE_BYTES) {
		size_t n = end - at < STACK_LINE_BYTES ? end - at : STACK_LINE_BYTES;
		if (copy_from_user(bytes, (const void *)at, n)) {
			end = at;
			break;
		}
		if (all_zero(bytes, n))
			continue;
		for (size_t i = 0; i < n; i++) {
			text[2 * i] = hex[bytes[i] >> 4];
			text[2 * i + 1] = hex[bytes[i] & 15];
		}
		text[2 * n] = 0;
		line("stack 0x%llx %s", (unsigned long long)at, text);
	}
	line("stack-range 0x%llx 0x%llx", (unsigned long long)start, (unsigned long long)end);
}

void crash_record_user_fault(struct process *p, int sig, const struct trap_frame *f, const char *cause,
                             const char *detail, uint64_t addr)
{
	bool by_syscall = f->vector == SYSCALL_VECTOR;
	line("crash 1");
	line("kind %s", by_syscall ? "user-signal" : "user-fault");
	line("signal %d", sig);
	line("pid %d", p->pid);
	line("exe %s", p->exe_path);
	line("cause %s", cause);
	line("detail %s", detail);
	if (!by_syscall) {
		line("addr 0x%llx", (unsigned long long)addr);
		line("error 0x%llx", (unsigned long long)f->error);
	}
	registers(f);
	maps(p->as);
	user_stack(p->as, f->rsp);
	line("end");
}

void crash_record_kernel_panic(const struct trap_frame *f, const char *detail, uint64_t rbp)
{
	line("crash 1");
	line("kind kernel-panic");
	line("cause %s", f ? "exception" : "panic");
	line("detail %s", detail);
	if (f) {
		line("error 0x%llx", (unsigned long long)f->error);
		registers(f);
		line("frame 0x%llx", (unsigned long long)f->rip);
		rbp = f->rbp;
	} else {
		line("frame 0x%llx", (unsigned long long)__builtin_return_address(0)); /* in panic() */
	}
	kernel_backtrace(rbp);
	line("end");
}
