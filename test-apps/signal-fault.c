/* Faults the app handles itself: SIGSEGV on a PROT_NONE page recovered with
 * siglongjmp three times (si_code and si_addr as Linux gives them), a
 * SIGILL handler that moves uc_mcontext's rip past ud2, SIGFPE's code for
 * an integer division by zero, and a stack overflow caught on an
 * alternate stack (SA_ONSTACK). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"

static sigjmp_buf recover;
static volatile void *fault_addr;
static volatile int fault_code, fault_signal;
static char *altstack;
static volatile int on_altstack;

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	require(sigaction(sig, &sa, NULL) == 0, "sigaction");
}

static void jump_back(int sig, siginfo_t *info, void *context)
{
	(void)context;
	char here;
	on_altstack = &here >= altstack && &here < altstack + SIGSTKSZ * 4;
	fault_signal = sig;
	fault_code = info->si_code;
	fault_addr = info->si_addr;
	siglongjmp(recover, 1);
}

static void skip_ud2(int sig, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;
	fault_signal = sig;
	fault_code = info->si_code;
	fault_addr = info->si_addr;
	uc->uc_mcontext.gregs[REG_RIP] += 2; /* ud2 is two bytes */
}

static volatile int bottom_reached; /* never set: keeps gcc from calling this infinite */

static __attribute__((noinline)) int descend(int depth)
{
	volatile char frame[512];
	if (bottom_reached)
		return 0;
	frame[depth % 512] = (char)depth;
	return descend(depth + 1) + frame[0]; /* not a tail call */
}

static __attribute__((noinline)) int divide(volatile int a, volatile int b) { return a / b; }

int main(void)
{
	char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(page != MAP_FAILED, "mmap");
	install(SIGSEGV, jump_back, 0);
	for (int i = 0; i < 3; i++) {
		if (sigsetjmp(recover, 1) == 0) {
			page[i * 8] = 1;
			printf("no fault?\n");
		} else {
			printf("recovered %d: signal %d SEGV_ACCERR %d at the page %d\n", i, fault_signal,
			       fault_code == SEGV_ACCERR, fault_addr == page + i * 8);
		}
	}
	munmap(page, 4096);
	if (sigsetjmp(recover, 1) == 0)
		page[0] = 1;
	printf("unmapped: SEGV_MAPERR %d at the page %d\n", fault_code == SEGV_MAPERR, fault_addr == page);
	sigset_t mask;
	sigprocmask(SIG_SETMASK, NULL, &mask);
	printf("SIGSEGV unblocked again after siglongjmp: %d\n", !sigismember(&mask, SIGSEGV));

	install(SIGILL, skip_ud2, 0);
	__asm__ volatile("ud2");
	printf("past ud2: signal %d ILL_ILLOPN %d si_addr is rip %d\n", fault_signal, fault_code == ILL_ILLOPN,
	       fault_addr != NULL);

	install(SIGFPE, jump_back, 0);
	if (sigsetjmp(recover, 1) == 0)
		printf("no fault? %d\n", divide(1, 0));
	printf("divide by zero: signal %d FPE_INTDIV %d\n", fault_signal, fault_code == FPE_INTDIV);

	/* the same limit natively as sole's stack, whatever the shell set */
	struct rlimit limit = {8 << 20, 8 << 20};
	setrlimit(RLIMIT_STACK, &limit);
	altstack = malloc(SIGSTKSZ * 4);
	stack_t ss = {.ss_sp = altstack, .ss_size = SIGSTKSZ * 4, .ss_flags = 0};
	require(sigaltstack(&ss, NULL) == 0, "sigaltstack");
	install(SIGSEGV, jump_back, SA_ONSTACK);
	if (sigsetjmp(recover, 1) == 0)
		descend(0);
	printf("stack overflow: signal %d, handler on the alternate stack %d\n", fault_signal, on_altstack);
	stack_t now;
	sigaltstack(NULL, &now);
	printf("alternate stack still set, not in use: %d\n", now.ss_sp == altstack && now.ss_flags == 0);
	return 0;
}
