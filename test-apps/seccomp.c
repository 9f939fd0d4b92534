/* seccomp: strict mode, filters and their actions (ERRNO, TRAP, KILL_*,
 * TRACE and LOG), the BPF interpreter's arithmetic and scratch memory,
 * stacked filters, inheritance by fork and across exec, TSYNC, and the
 * checks on programs and callers. Filters cannot be removed, so every
 * experiment runs in a forked child. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "common.h"

/* <linux/filter.h>'s and <linux/seccomp.h>'s values: musl-gcc's include
 * path has no linux/. */
struct sock_filter {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};
struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};
enum {
	LD_W_ABS = 0x20,
	LD_B_ABS = 0x30,
	LD_IMM = 0x00,
	LDX_MEM = 0x61,
	LD_MEM = 0x60,
	ST = 0x02,
	ADD_X = 0x0c,
	LSH_K = 0x64,
	DIV_K = 0x34,
	DIV_X = 0x3c,
	LDX_IMM = 0x01,
	JEQ_K = 0x15,
	JSET_K = 0x45,
	JA = 0x05,
	RET_K = 0x06,
	RET_A = 0x16,
};
#define STMT(code, k)                                                                                                  \
	{                                                                                                              \
		(code), 0, 0, (k)                                                                                      \
	}
#define JUMP(code, k, jt, jf)                                                                                          \
	{                                                                                                              \
		(code), (jt), (jf), (k)                                                                                \
	}
#define OFF_NR 0
#define OFF_ARCH 4
#define OFF_ARG0 16
#define AUDIT_ARCH_X86_64 0xc000003eu
#define SET_MODE_STRICT 0
#define SET_MODE_FILTER 1
#define GET_ACTION_AVAIL 2
#define FLAG_TSYNC 1u
#define RET_KILL_PROCESS 0x80000000u
#define RET_KILL_THREAD 0x00000000u
#define RET_TRAP 0x00030000u
#define RET_ERRNO 0x00050000u
#define RET_TRACE 0x7ff00000u
#define RET_LOG 0x7ffc0000u
#define RET_ALLOW 0x7fff0000u
#define SYS_SECCOMP 1

static long seccomp(unsigned op, unsigned flags, void *args) { return syscall(SYS_seccomp, op, flags, args); }

/* A filter that answers action to syscall nr and allows everything else,
 * on x86_64 only. */
static long install(long nr, uint32_t action, unsigned flags)
{
	struct sock_filter insns[] = {
	    STMT(LD_W_ABS, OFF_ARCH), JUMP(JEQ_K, AUDIT_ARCH_X86_64, 1, 0), STMT(RET_K, RET_KILL_PROCESS),
	    STMT(LD_W_ABS, OFF_NR),   JUMP(JEQ_K, (uint32_t)nr, 0, 1),      STMT(RET_K, action),
	    STMT(RET_K, RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof insns / sizeof insns[0], insns};
	return seccomp(SET_MODE_FILTER, flags, &prog);
}

static void print_result(const char *label, long ret)
{
	if (ret < 0)
		printf("%s: -1 errno %d\n", label, errno);
	else
		printf("%s: %ld\n", label, ret);
}

/* /proc/self/status's Seccomp lines. */
static void print_status(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	require(f != NULL, "open /proc/self/status");
	char line[256];
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "Seccomp", 7))
			fputs(line, stdout);
	fclose(f);
}

/* Runs fn in a child and prints how it ended. */
static void experiment(const char *name, void (*fn)(void))
{
	printf("== %s\n", name);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		fn();
		fflush(stdout);
		exit(0);
	}
	printf("%s: child ended with %d\n", name, wait_code(pid));
}

static void raw_write(const char *s) { syscall(SYS_write, 1, s, strlen(s)); }

static void strict_write_then_getpid(void)
{
	fflush(stdout);
	require(seccomp(SET_MODE_STRICT, 0, NULL) == 0, "strict");
	raw_write("strict: write works\n");
	syscall(SYS_getpid);
	raw_write("strict: getpid was allowed\n");
}

static void strict_by_prctl_then_exit(void)
{
	fflush(stdout);
	require(prctl(PR_SET_SECCOMP, 1, 0, 0, 0) == 0, "prctl strict");
	raw_write("prctl strict: write works\n");
	syscall(SYS_exit, 7); /* exit, not exit_group */
}

static void errno_filter(void)
{
	print_result("PR_GET_SECCOMP before", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	print_result("install", install(SYS_getppid, RET_ERRNO | EPERM, 0));
	print_result("getppid", syscall(SYS_getppid));
	printf("getpid works: %d\n", syscall(SYS_getpid) == getpid());
	print_result("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	print_result("strict now", seccomp(SET_MODE_STRICT, 0, NULL));
	print_status();
}

static void big_errno(void)
{
	install(SYS_getppid, RET_ERRNO | 0xffff, 0);
	print_result("getppid with errno 0xffff", syscall(SYS_getppid));
}

static volatile int trap_signo, trap_code, trap_errno, trap_syscall, trap_addr_set;
static volatile uint32_t trap_arch;

static void on_sigsys(int sig, siginfo_t *info, void *context)
{
	(void)sig, (void)context;
	const char *raw = (const char *)info;
	uint64_t call_addr;
	int32_t nr;
	memcpy(&call_addr, raw + 16, sizeof call_addr); /* the union's _sigsys */
	memcpy(&nr, raw + 24, sizeof nr);
	trap_signo = info->si_signo;
	trap_code = info->si_code;
	trap_errno = info->si_errno;
	trap_syscall = nr;
	memcpy((void *)&trap_arch, raw + 28, sizeof trap_arch);
	trap_addr_set = call_addr != 0;
}

static void trap(void)
{
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	sigaction(SIGSYS, &sa, NULL);
	install(SYS_getppid, RET_TRAP | 42, 0);
	long ret = syscall(SYS_getppid);
	printf("after the handler, getppid returned the call's number: %d\n", ret == SYS_getppid);
	printf("signo %d code %d (SYS_SECCOMP %d) errno %d syscall %d (getppid %d) arch %#x call_addr set %d\n",
	       trap_signo, trap_code, SYS_SECCOMP, trap_errno, trap_syscall, SYS_getppid, trap_arch, trap_addr_set);
}

static void trap_blocked(void)
{
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	sigaction(SIGSYS, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_BLOCK, &set, NULL);
	install(SYS_getppid, RET_TRAP, 0);
	fflush(stdout);
	syscall(SYS_getppid);
	printf("blocked trap: still running\n");
}

static void kill_process(void)
{
	install(SYS_getppid, RET_KILL_PROCESS, 0);
	fflush(stdout);
	syscall(SYS_getppid);
	printf("kill_process: still running\n");
}

static void kill_thread(void)
{
	install(SYS_getppid, RET_KILL_THREAD, 0);
	fflush(stdout);
	syscall(SYS_getppid);
	printf("kill_thread: still running\n");
}

static void trace_and_log(void)
{
	install(SYS_getppid, RET_TRACE, 0);
	print_result("getppid under RET_TRACE", syscall(SYS_getppid));
	install(SYS_getpid, RET_LOG, 0);
	printf("getpid under RET_LOG works: %d\n", syscall(SYS_getpid) == getpid());
}

static void stacked(void)
{
	install(SYS_getppid, RET_ERRNO | EPERM, 0);
	install(SYS_gettid, RET_ERRNO | EACCES, 0);
	print_result("getppid (first filter)", syscall(SYS_getppid));
	print_result("gettid (second filter)", syscall(SYS_gettid));
	install(SYS_getppid, RET_ERRNO | E2BIG, 0);
	print_result("getppid (two errnos: the newest wins)", syscall(SYS_getppid));
	install(SYS_getppid, RET_TRAP, 0);
	install(SYS_getppid, RET_KILL_PROCESS, 0);
	print_status();
	fflush(stdout);
	syscall(SYS_getppid); /* KILL_PROCESS outranks the rest */
	printf("stacked: still running\n");
}

/* A program that uses scratch memory, arithmetic and JSET: getpriority
 * gets errno 33 when (7 + which) << 1 == 20, errno 34 when who has bit 8. */
static void interpreter(void)
{
	struct sock_filter insns[] = {
	    STMT(LD_W_ABS, OFF_NR),
	    JUMP(JEQ_K, SYS_getpriority, 0, 10),
	    STMT(LD_W_ABS, OFF_ARG0),
	    STMT(ST, 0),
	    STMT(LD_IMM, 7),
	    STMT(LDX_MEM, 0),
	    STMT(ADD_X, 0),
	    STMT(LSH_K, 1),
	    JUMP(JEQ_K, 20, 0, 1),
	    STMT(RET_K, RET_ERRNO | 33),
	    STMT(LD_W_ABS, OFF_ARG0 + 8),
	    JUMP(JSET_K, 0x100, 1, 0),
	    STMT(RET_K, RET_ALLOW),
	    STMT(LD_IMM, RET_ERRNO | 34),
	    STMT(RET_A, 0),
	};
	struct sock_fprog prog = {sizeof insns / sizeof insns[0], insns};
	print_result("install", seccomp(SET_MODE_FILTER, 0, &prog));
	print_result("getpriority(3, 0)", syscall(SYS_getpriority, 3, 0));
	print_result("getpriority(0, 0x100)", syscall(SYS_getpriority, 0, 0x100));
	printf("getpriority(0, 0) allowed: %d\n", syscall(SYS_getpriority, 0, 0) >= 0);
}

/* Division by a zero X ends the program with 0: KILL_THREAD. */
static void divide_by_zero(void)
{
	struct sock_filter insns[] = {
	    STMT(LDX_IMM, 0),
	    STMT(LD_IMM, 5),
	    STMT(DIV_X, 0),
	    STMT(RET_K, RET_ALLOW),
	};
	struct sock_fprog prog = {4, insns};
	fflush(stdout);
	seccomp(SET_MODE_FILTER, 0, &prog); /* the next call, whatever it is, ends the thread */
	raw_write("divide by zero: still running\n");
}

static char self_exe_arg[] = "exec-check";

static void inherited(void)
{
	install(SYS_getppid, RET_ERRNO | EPERM, 0);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		pid_t grandchild = fork_flushed();
		if (grandchild == 0) {
			print_result("grandchild getppid", syscall(SYS_getppid));
			print_status();
			exit(0);
		}
		printf("grandchild ended with %d\n", wait_code(grandchild));
		exit(0);
	}
	printf("child ended with %d\n", wait_code(pid));
	pid = fork_flushed();
	if (pid == 0) {
		char *argv[] = {"seccomp", self_exe_arg, NULL};
		execv("/proc/self/exe", argv);
		printf("execv: %s\n", errno_name(errno));
		exit(1);
	}
	printf("exec'd child ended with %d\n", wait_code(pid));
}

static int after_exec(void)
{
	print_result("after exec getppid", syscall(SYS_getppid));
	print_result("after exec PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	print_status();
	return 0;
}

static void not_root(void)
{
	struct sock_filter allow = STMT(RET_K, RET_ALLOW);
	struct sock_fprog prog = {1, &allow};
	require(setgid(65534) == 0 && setuid(65534) == 0, "become nobody");
	print_result("no_new_privs set, not root", seccomp(SET_MODE_FILTER, 0, &prog));
}

static void not_root_no_nnp(void)
{
	struct sock_filter allow = STMT(RET_K, RET_ALLOW);
	struct sock_fprog prog = {1, &allow};
	require(setgid(65534) == 0 && setuid(65534) == 0, "become nobody");
	print_result("without no_new_privs, not root", seccomp(SET_MODE_FILTER, 0, &prog));
	print_result("prctl PR_SET_SECCOMP too", prctl(PR_SET_SECCOMP, 2, &prog, 0, 0));
	fflush(stdout);
	long r = seccomp(SET_MODE_STRICT, 0, NULL);
	raw_write(r == 0 ? "strict mode needs nothing: OK\n" : "strict mode: failed\n");
	syscall(SYS_exit, 0);
}

static void check_program(const char *label, struct sock_filter *insns, unsigned short len)
{
	struct sock_fprog prog = {len, insns};
	print_result(label, seccomp(SET_MODE_FILTER, 0, &prog));
}

static void bad_programs(void)
{
	struct sock_filter ok = STMT(RET_K, RET_ALLOW);
	check_program("empty", &ok, 0);
	check_program("too long", &ok, 4097);
	struct sock_filter bad_opcode[] = {STMT(0xff, 0), STMT(RET_K, RET_ALLOW)};
	check_program("unknown opcode", bad_opcode, 2);
	struct sock_filter packet_load[] = {STMT(LD_B_ABS, 0), STMT(RET_K, RET_ALLOW)};
	check_program("byte load", packet_load, 2);
	struct sock_filter misaligned[] = {STMT(LD_W_ABS, 2), STMT(RET_K, RET_ALLOW)};
	check_program("misaligned load", misaligned, 2);
	struct sock_filter beyond[] = {STMT(LD_W_ABS, 64), STMT(RET_K, RET_ALLOW)};
	check_program("load past seccomp_data", beyond, 2);
	struct sock_filter far_jump[] = {JUMP(JEQ_K, 0, 0, 5), STMT(RET_K, RET_ALLOW)};
	check_program("jump out of range", far_jump, 2);
	struct sock_filter far_ja[] = {STMT(JA, 1), STMT(RET_K, RET_ALLOW)};
	check_program("ja out of range", far_ja, 2);
	struct sock_filter no_ret[] = {STMT(RET_K, RET_ALLOW), STMT(LD_IMM, 0)};
	check_program("last not a return", no_ret, 2);
	struct sock_filter unstored[] = {STMT(LD_MEM, 3), STMT(RET_K, RET_ALLOW)};
	check_program("scratch read before store", unstored, 2);
	struct sock_filter div_zero[] = {STMT(DIV_K, 0), STMT(RET_K, RET_ALLOW)};
	check_program("division by constant 0", div_zero, 2);
	struct sock_filter far_shift[] = {STMT(LSH_K, 32), STMT(RET_K, RET_ALLOW)};
	check_program("shift by 32", far_shift, 2);
	print_result("bad fprog pointer", seccomp(SET_MODE_FILTER, 0, (void *)8));
	struct sock_fprog bad_insns = {1, (struct sock_filter *)8};
	print_result("bad filter pointer", seccomp(SET_MODE_FILTER, 0, &bad_insns));
	struct sock_fprog prog = {1, &ok};
	print_result("unknown flag", seccomp(SET_MODE_FILTER, 1u << 20, &prog));
	print_result("unknown operation", seccomp(99, 0, &prog));
	print_result("strict with flags", seccomp(SET_MODE_STRICT, 1, NULL));
	print_result("strict with args", seccomp(SET_MODE_STRICT, 0, &prog));
	print_result("prctl mode 3", prctl(PR_SET_SECCOMP, 3, 0, 0, 0));
	uint32_t action = RET_ALLOW;
	print_result("action ALLOW available", seccomp(GET_ACTION_AVAIL, 0, &action));
	action = RET_KILL_PROCESS;
	print_result("action KILL_PROCESS available", seccomp(GET_ACTION_AVAIL, 0, &action));
	action = 0x12340000;
	print_result("action 0x12340000 available", seccomp(GET_ACTION_AVAIL, 0, &action));
	print_result("PR_GET_SECCOMP still", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
}

static int to_thread[2], from_thread[2];
static volatile long thread_tid;

/* Reports its tid, then on each command byte: 'g' calls getppid and
 * reports errno, 'f' installs its own filter, 'q' ends. */
static void *worker(void *arg)
{
	(void)arg;
	thread_tid = syscall(SYS_gettid);
	char c = 'r';
	write(from_thread[1], &c, 1);
	while (read(to_thread[0], &c, 1) == 1 && c != 'q') {
		long r = c == 'g' ? syscall(SYS_getppid) : install(SYS_getpid, RET_ERRNO | EPERM, 0);
		char answer = r < 0 ? (char)errno : 0;
		write(from_thread[1], &answer, 1);
	}
	return NULL;
}

static int ask(char command)
{
	char answer;
	write(to_thread[1], &command, 1);
	require(read(from_thread[0], &answer, 1) == 1, "thread answer");
	return answer;
}

static void tsync(void)
{
	require(pipe(to_thread) == 0 && pipe(from_thread) == 0, "pipes");
	pthread_t t;
	require(pthread_create(&t, NULL, worker, NULL) == 0, "pthread_create");
	char c;
	require(read(from_thread[0], &c, 1) == 1, "thread ready");
	printf("thread getppid errno before: %d\n", ask('g'));
	print_result("TSYNC install", install(SYS_getppid, RET_ERRNO | EPERM, FLAG_TSYNC));
	printf("thread getppid errno after TSYNC: %d\n", ask('g'));
	printf("thread's own filter errno: %d\n", ask('f'));
	long r = install(SYS_gettid, RET_ERRNO | EPERM, FLAG_TSYNC);
	printf("TSYNC with a diverged thread returns its tid: %d\n", r == thread_tid);
	char quit = 'q';
	write(to_thread[1], &quit, 1);
	pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], self_exe_arg))
		return after_exec();
	setvbuf(stdout, NULL, _IOFBF, 4096);
	experiment("strict", strict_write_then_getpid);
	experiment("strict by prctl", strict_by_prctl_then_exit);
	experiment("errno", errno_filter);
	experiment("errno capped", big_errno);
	experiment("trap", trap);
	experiment("trap while blocked", trap_blocked);
	experiment("kill process", kill_process);
	experiment("kill thread", kill_thread);
	experiment("trace and log", trace_and_log);
	experiment("stacked", stacked);
	experiment("interpreter", interpreter);
	experiment("divide by zero", divide_by_zero);
	experiment("inherited", inherited);
	experiment("not root", not_root);
	printf("== not root, no no_new_privs\n");
	pid_t pid = fork_flushed();
	if (pid == 0)
		not_root_no_nnp();
	printf("child ended with %d\n", wait_code(pid));
	experiment("bad programs", bad_programs);
	experiment("tsync", tsync);
	return 0;
}
