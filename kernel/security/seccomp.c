/* seccomp's filters (see seccomp.h): the checks Linux's bpf_check_classic
 * and seccomp_check_filter make on a classic-BPF program, the interpreter
 * that runs it over struct seccomp_data, and what each action does to the
 * syscall. A thread's filters form a chain, newest first, whose links are
 * shared with the threads that inherited them and counted. */
#include "kernel/security/capability.h"
#include "kernel/security/seccomp.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>

#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/process.h"
#include "libc-glue/kformat.h"

#define NR_READ 0
#define NR_WRITE 1
#define NR_RT_SIGRETURN 15
#define NR_EXIT 60

#define SYS_SECCOMP 1 /* SIGSYS's si_code */
#define MAX_ERRNO 4095
/* Linux caps the instructions a syscall may have to run, over all of a
 * thread's filters, each counting 4 more than its length. */
#define MAX_INSNS_PER_PATH 32768
#define FILTER_FLAGS                                                                                                   \
	(SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW |                        \
	 SECCOMP_FILTER_FLAG_TSYNC_ESRCH)

struct seccomp_filter {
	int refs; /* the threads running it, and the newer filters chained to it */
	bool log; /* SECCOMP_FILTER_FLAG_LOG */
	struct seccomp_filter *prev;
	unsigned len;
	struct sock_filter insns[];
};

static void filter_put(struct seccomp_filter *f)
{
	while (f && --f->refs == 0) {
		struct seccomp_filter *prev = f->prev;
		kfree(f);
		f = prev;
	}
}

static struct seccomp_filter *filter_get(struct seccomp_filter *f)
{
	if (f)
		f->refs++;
	return f;
}

/* The opcodes classic BPF has (Linux's chk_code_allowed); seccomp refuses
 * some of them afterwards, the packet loads. */
static const bool opcode_exists[256] = {
    [BPF_ALU | BPF_ADD | BPF_K] = true,
    [BPF_ALU | BPF_ADD | BPF_X] = true,
    [BPF_ALU | BPF_SUB | BPF_K] = true,
    [BPF_ALU | BPF_SUB | BPF_X] = true,
    [BPF_ALU | BPF_MUL | BPF_K] = true,
    [BPF_ALU | BPF_MUL | BPF_X] = true,
    [BPF_ALU | BPF_DIV | BPF_K] = true,
    [BPF_ALU | BPF_DIV | BPF_X] = true,
    [BPF_ALU | BPF_MOD | BPF_K] = true,
    [BPF_ALU | BPF_MOD | BPF_X] = true,
    [BPF_ALU | BPF_AND | BPF_K] = true,
    [BPF_ALU | BPF_AND | BPF_X] = true,
    [BPF_ALU | BPF_OR | BPF_K] = true,
    [BPF_ALU | BPF_OR | BPF_X] = true,
    [BPF_ALU | BPF_XOR | BPF_K] = true,
    [BPF_ALU | BPF_XOR | BPF_X] = true,
    [BPF_ALU | BPF_LSH | BPF_K] = true,
    [BPF_ALU | BPF_LSH | BPF_X] = true,
    [BPF_ALU | BPF_RSH | BPF_K] = true,
    [BPF_ALU | BPF_RSH | BPF_X] = true,
    [BPF_ALU | BPF_NEG] = true,
    [BPF_LD | BPF_W | BPF_ABS] = true,
    [BPF_LD | BPF_H | BPF_ABS] = true,
    [BPF_LD | BPF_B | BPF_ABS] = true,
    [BPF_LD | BPF_W | BPF_IND] = true,
    [BPF_LD | BPF_H | BPF_IND] = true,
    [BPF_LD | BPF_B | BPF_IND] = true,
    [BPF_LD | BPF_W | BPF_LEN] = true,
    [BPF_LD | BPF_IMM] = true,
    [BPF_LD | BPF_MEM] = true,
    [BPF_LDX | BPF_W | BPF_LEN] = true,
    [BPF_LDX | BPF_B | BPF_MSH] = true,
    [BPF_LDX | BPF_IMM] = true,
    [BPF_LDX | BPF_MEM] = true,
    [BPF_ST] = true,
    [BPF_STX] = true,
    [BPF_MISC | BPF_TAX] = true,
    [BPF_MISC | BPF_TXA] = true,
    [BPF_RET | BPF_K] = true,
    [BPF_RET | BPF_A] = true,
    [BPF_JMP | BPF_JA] = true,
    [BPF_JMP | BPF_JEQ | BPF_K] = true,
    [BPF_JMP | BPF_JEQ | BPF_X] = true,
    [BPF_JMP | BPF_JGE | BPF_K] = true,
    [BPF_JMP | BPF_JGE | BPF_X] = true,
    [BPF_JMP | BPF_JGT | BPF_K] = true,
    [BPF_JMP | BPF_JGT | BPF_X] = true,
    [BPF_JMP | BPF_JSET | BPF_K] = true,
    [BPF_JMP | BPF_JSET | BPF_X] = true,
};

static bool is_conditional_jump(uint16_t code) { return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA; }

static bool uses_memory_word(uint16_t code)
{
	return code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM) || code == BPF_ST || code == BPF_STX;
}

/* One instruction's own limits: constants that would divide by zero or
 * shift too far, scratch words that do not exist, jumps past the end. */
static bool instruction_valid(const struct sock_filter *in, unsigned pc, unsigned len)
{
	uint16_t code = in->code;
	if (code >= sizeof opcode_exists || !opcode_exists[code])
		return false;
	if (code == (BPF_ALU | BPF_DIV | BPF_K) || code == (BPF_ALU | BPF_MOD | BPF_K))
		return in->k != 0;
	if (code == (BPF_ALU | BPF_LSH | BPF_K) || code == (BPF_ALU | BPF_RSH | BPF_K))
		return in->k < 32;
	if (uses_memory_word(code))
		return in->k < BPF_MEMWORDS;
	if (code == (BPF_JMP | BPF_JA))
		return in->k < len - pc - 1;
	if (is_conditional_jump(code))
		return pc + in->jt + 1 < len && pc + in->jf + 1 < len;
	return true;
}

/* Linux's check_load_and_stores: no path may read a scratch word before
 * storing to it. valid[pc] holds the words stored on every path that
 * reaches pc by a jump. */
static bool scratch_reads_stored(const struct sock_filter *insns, unsigned len)
{
	uint16_t *valid = kmalloc(len * sizeof *valid);
	if (!valid)
		return false;
	memset(valid, 0xff, len * sizeof *valid);
	uint16_t stored = 0;
	bool ok = true;
	for (unsigned pc = 0; pc < len && ok; pc++) {
		const struct sock_filter *in = &insns[pc];
		stored &= valid[pc];
		if (in->code == BPF_ST || in->code == BPF_STX) {
			stored |= 1u << in->k;
		} else if (in->code == (BPF_LD | BPF_MEM) || in->code == (BPF_LDX | BPF_MEM)) {
			ok = stored & (1u << in->k);
		} else if (in->code == (BPF_JMP | BPF_JA)) {
			valid[pc + 1 + in->k] &= stored;
			stored = 0xffff;
		} else if (is_conditional_jump(in->code)) {
			valid[pc + 1 + in->jt] &= stored;
			valid[pc + 1 + in->jf] &= stored;
			stored = 0xffff;
		}
	}
	kfree(valid);
	return ok;
}

/* seccomp_check_filter: loads only read aligned words of seccomp_data, and
 * its length becomes a constant. */
static bool seccomp_accepts(struct sock_filter *in)
{
	switch (in->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		return in->k < sizeof(struct seccomp_data) && !(in->k & 3);
	case BPF_LD | BPF_W | BPF_LEN:
		in->code = BPF_LD | BPF_IMM;
		in->k = sizeof(struct seccomp_data);
		return true;
	case BPF_LDX | BPF_W | BPF_LEN:
		in->code = BPF_LDX | BPF_IMM;
		in->k = sizeof(struct seccomp_data);
		return true;
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_B | BPF_IND:
	case BPF_LDX | BPF_B | BPF_MSH:
		return false;
	default:
		return true; /* the rest of what opcode_exists[] lets through */
	}
}

/* 0 or -EINVAL, in Linux's order: every instruction, the last one a
 * return, the scratch words, then seccomp's own rules. */
static long program_check(struct sock_filter *insns, unsigned len)
{
	for (unsigned pc = 0; pc < len; pc++)
		if (!instruction_valid(&insns[pc], pc, len))
			return -EINVAL;
	uint16_t last = insns[len - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return -EINVAL;
	if (!scratch_reads_stored(insns, len))
		return -EINVAL;
	for (unsigned pc = 0; pc < len; pc++)
		if (!seccomp_accepts(&insns[pc]))
			return -EINVAL;
	return 0;
}

static bool jump_taken(uint16_t code, uint32_t a, uint32_t operand)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ:
		return a == operand;
	case BPF_JGT:
		return a > operand;
	case BPF_JGE:
		return a >= operand;
	default: /* BPF_JSET */
		return a & operand;
	}
}

/* A = A op operand; false for a division by zero, which ends the program
 * with 0 as Linux's translation of classic BPF does. */
static bool alu(uint16_t code, uint32_t *a, uint32_t operand)
{
	switch (BPF_OP(code)) {
	case BPF_ADD:
		*a += operand;
		break;
	case BPF_SUB:
		*a -= operand;
		break;
	case BPF_MUL:
		*a *= operand;
		break;
	case BPF_DIV:
		if (!operand)
			return false;
		*a /= operand;
		break;
	case BPF_MOD:
		if (!operand)
			return false;
		*a %= operand;
		break;
	case BPF_AND:
		*a &= operand;
		break;
	case BPF_OR:
		*a |= operand;
		break;
	case BPF_XOR:
		*a ^= operand;
		break;
	case BPF_LSH:
		*a <<= operand & 31;
		break;
	case BPF_RSH:
		*a >>= operand & 31;
		break;
	case BPF_NEG:
		*a = -*a;
		break;
	}
	return true;
}

/* Runs a checked program: every jump goes forward, so it ends. */
static uint32_t program_run(const struct seccomp_filter *f, const struct seccomp_data *data)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
	for (unsigned pc = 0;; pc++) {
		const struct sock_filter *in = &f->insns[pc];
		uint32_t operand = BPF_SRC(in->code) == BPF_X ? x : in->k;
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
			if (BPF_MODE(in->code) == BPF_ABS)
				memcpy(&a, (const char *)data + in->k, sizeof a);
			else
				a = BPF_MODE(in->code) == BPF_MEM ? mem[in->k] : in->k;
			break;
		case BPF_LDX:
			x = BPF_MODE(in->code) == BPF_MEM ? mem[in->k] : in->k;
			break;
		case BPF_ST:
			mem[in->k] = a;
			break;
		case BPF_STX:
			mem[in->k] = x;
			break;
		case BPF_ALU:
			if (!alu(in->code, &a, operand))
				return 0;
			break;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA)
				pc += in->k;
			else
				pc += jump_taken(in->code, a, operand) ? in->jt : in->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(in->code) == BPF_A ? a : in->k;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
}

/* The action's rank: Linux compares the top 16 bits as a signed number,
 * so KILL_PROCESS (0x8000) comes first and ALLOW last. */
static int32_t action_rank(uint32_t ret) { return (int32_t)(ret & SECCOMP_RET_ACTION_FULL); }

/* Every filter's answer; the most restrictive wins, the newest among
 * equals. *match: the filter that gave it. */
static uint32_t filters_run(const struct thread *t, const struct seccomp_data *data,
                            const struct seccomp_filter **match)
{
	uint32_t ret = SECCOMP_RET_ALLOW;
	for (const struct seccomp_filter *f = t->seccomp_filter; f; f = f->prev) {
		uint32_t cur = program_run(f, data);
		if (action_rank(cur) < action_rank(ret)) {
			ret = cur;
			*match = f;
		}
	}
	return ret;
}

bool seccomp_action_known(unsigned action)
{
	switch (action) {
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		return true;
	default:
		return false; /* SECCOMP_RET_USER_NOTIF too: sole has no listener */
	}
}

static struct seccomp_data data_of(const struct trap_frame *f)
{
	return (struct seccomp_data){
	    .nr = (int)f->rax,
	    .arch = AUDIT_ARCH_X86_64,
	    .instruction_pointer = f->rip,
	    .args = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9},
	};
}

/* Ends the calling thread with sig; its process too when it is the last
 * thread or whole is set (Linux's do_exit against do_group_exit). */
static void __attribute__((noreturn)) kill_caller(struct trap_frame *f, int sig, bool whole)
{
	struct process *p = current_process();
	char detail[64];
	ksnprintf(detail, sizeof detail, "syscall %d refused", (int)f->rax);
	if (whole || p->live_threads == 1)
		process_kill_by_signal(p, sig, f, "seccomp", detail, 0);
	thread_exit_killed();
}

/* RET_TRAP: a SIGSYS the handler cannot block or ignore away, telling
 * which call it was and the filter's data. */
static void send_sigsys(const struct trap_frame *f, uint32_t data)
{
	struct signal_info info = {
	    .signo = SIGSYS,
	    .errnum = (int32_t)data,
	    .code = SYS_SECCOMP,
	    .sigsys = {.call_addr = f->rip, .syscall = (int32_t)f->rax, .arch = AUDIT_ARCH_X86_64},
	};
	signal_force(&info);
}

/* Linux logs kills and RET_LOG always, the refusals of a filter installed
 * with SECCOMP_FILTER_FLAG_LOG too, and allowed calls never. */
static bool logged(uint32_t kind, const struct seccomp_filter *match)
{
	switch (kind) {
	case SECCOMP_RET_ALLOW:
		return false;
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_USER_NOTIF:
		return match->log;
	default:
		return true;
	}
}

bool seccomp_refuses(struct trap_frame *f, long *ret)
{
	struct thread *t = current_thread();
	long nr = (long)f->rax;
	if (t->seccomp_mode == SECCOMP_MODE_STRICT) {
		if (nr == NR_READ || nr == NR_WRITE || nr == NR_EXIT || nr == NR_RT_SIGRETURN)
			return false;
		kill_caller(f, SIGKILL, false);
	}
	struct seccomp_data data = data_of(f);
	const struct seccomp_filter *match = NULL;
	uint32_t action = filters_run(t, &data, &match);
	uint32_t kind = action & SECCOMP_RET_ACTION_FULL, value = action & SECCOMP_RET_DATA;
	if (logged(kind, match))
		klog("seccomp: process %d thread %d syscall %ld: filter action %#x", t->proc->pid, t->tid, nr, action);
	switch (kind) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return false;
	case SECCOMP_RET_ERRNO:
		*ret = -(long)(value > MAX_ERRNO ? MAX_ERRNO : value);
		return true;
	case SECCOMP_RET_TRAP:
		send_sigsys(f, value);
		*ret = nr; /* the registers as at the call, for the handler to see */
		return true;
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_USER_NOTIF:
		*ret = -ENOSYS; /* nobody traces or listens */
		return true;
	case SECCOMP_RET_KILL_THREAD:
		kill_caller(f, SIGSYS, false);
	default: /* KILL_PROCESS, and actions Linux does not know */
		kill_caller(f, SIGSYS, true);
	}
}

long seccomp_set_strict(void)
{
	struct thread *t = current_thread();
	if (t->seccomp_mode && t->seccomp_mode != SECCOMP_MODE_STRICT)
		return -EINVAL;
	t->seccomp_mode = SECCOMP_MODE_STRICT;
	return 0;
}

/* Copies and checks a program, Linux's seccomp_prepare_user_filter. */
static long filter_prepare(const struct sock_fprog *user_prog, struct seccomp_filter **out)
{
	struct sock_fprog prog;
	if (copy_from_user(&prog, user_prog, sizeof prog))
		return -EFAULT;
	if (prog.len == 0 || prog.len > BPF_MAXINSNS)
		return -EINVAL;
	const struct process *p = current_process();
	if (!p->no_new_privs && !capable(CAP_SYS_ADMIN))
		return -EACCES;
	struct seccomp_filter *f = kzalloc(sizeof *f + prog.len * sizeof f->insns[0]);
	if (!f)
		return -ENOMEM;
	f->refs = 1;
	f->len = prog.len;
	long err = copy_from_user(f->insns, prog.filter, prog.len * sizeof f->insns[0])
	               ? -EFAULT
	               : program_check(f->insns, f->len);
	if (err) {
		kfree(f);
		return err;
	}
	*out = f;
	return 0;
}

static bool is_ancestor(const struct seccomp_filter *older, const struct seccomp_filter *newer)
{
	if (!older)
		return true;
	for (; newer; newer = newer->prev)
		if (newer == older)
			return true;
	return false;
}

static bool thread_alive(const struct thread *t) { return t->state != THREAD_DEAD && !t->killed; }

/* TSYNC can move a thread onto the caller's filters only when it has
 * none, or an older part of the same chain. 0 or the tid that cannot. */
static int unsyncable_thread(const struct thread *caller)
{
	for (const struct thread *t = caller->proc->threads; t; t = t->next_in_process) {
		if (t == caller || !thread_alive(t) || t->seccomp_mode == SECCOMP_MODE_DISABLED)
			continue;
		if (t->seccomp_mode != SECCOMP_MODE_FILTER || !is_ancestor(t->seccomp_filter, caller->seccomp_filter))
			return t->tid;
	}
	return 0;
}

static void sync_threads(const struct thread *caller)
{
	for (struct thread *t = caller->proc->threads; t; t = t->next_in_process) {
		if (t == caller || !thread_alive(t))
			continue;
		filter_put(t->seccomp_filter);
		t->seccomp_filter = filter_get(caller->seccomp_filter);
		t->seccomp_mode = SECCOMP_MODE_FILTER;
	}
}

static unsigned path_length(const struct seccomp_filter *newest)
{
	unsigned total = 0;
	for (const struct seccomp_filter *f = newest; f; f = f->prev)
		total += f->len + 4;
	return total;
}

long seccomp_set_filter(unsigned flags, const struct sock_fprog *user_prog)
{
	if (flags & ~FILTER_FLAGS)
		return -EINVAL; /* NEW_LISTENER among them: sole has no notifications */
	struct seccomp_filter *f;
	long err = filter_prepare(user_prog, &f);
	if (err)
		return err;
	struct thread *t = current_thread();
	if (t->seccomp_mode == SECCOMP_MODE_STRICT)
		err = -EINVAL;
	else if (path_length(t->seccomp_filter) + f->len > MAX_INSNS_PER_PATH)
		err = -ENOMEM;
	else if ((flags & SECCOMP_FILTER_FLAG_TSYNC) && (err = unsyncable_thread(t)))
		err = (flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH) ? -ESRCH : err;
	if (err) {
		kfree(f);
		return err;
	}
	f->log = flags & SECCOMP_FILTER_FLAG_LOG;
	f->prev = t->seccomp_filter; /* the caller's reference passes to f */
	t->seccomp_filter = f;
	t->seccomp_mode = SECCOMP_MODE_FILTER;
	if (flags & SECCOMP_FILTER_FLAG_TSYNC)
		sync_threads(t);
	return 0;
}

void seccomp_inherit(struct thread *child, const struct thread *parent)
{
	child->seccomp_mode = parent->seccomp_mode;
	child->seccomp_filter = filter_get(parent->seccomp_filter);
}

void seccomp_thread_free(struct thread *t)
{
	filter_put(t->seccomp_filter);
	t->seccomp_filter = NULL;
}

int seccomp_filter_count(const struct thread *t)
{
	int n = 0;
	for (const struct seccomp_filter *f = t->seccomp_filter; f; f = f->prev)
		n++;
	return n;
}
