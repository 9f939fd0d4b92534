/* What sole must undo however it ends, even on a signal: stop QEMU,
 * delete the initrd and give the terminal back. The signal handler does
 * only async-signal-safe work (kill, waitpid, unlink, _exit). */
#include "cleanup.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"
#include "host_terminal.h"

/* Every signal whose default action would end sole without the cleanup,
 * real-time ones included. Not SIGPIPE (ignored), SIGCHLD, SIGURG and
 * SIGWINCH (ignored by default), the job-control ones, and a fault's or
 * SIGABRT (a bug in sole itself, better left to a core). */
static const int handled_signals[] = {SIGHUP,  SIGINT,    SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
                                      SIGTERM, SIGSTKFLT, SIGVTALRM, SIGPROF, SIGIO,   SIGPWR};

/* The initrd, and each -v FILE's link and its folder (volume_files.c). */
#define REMEMBERED_MAX 32
static char remembered[REMEMBERED_MAX][PATH_MAX];
static volatile sig_atomic_t remembered_count;
static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t forward_fd = -1;

static void handled_signal_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(*handled_signals); i++)
		sigaddset(set, handled_signals[i]);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaddset(set, sig);
}

void cleanup_run(void)
{
	host_terminal_restore();
	if (child_pid > 0) {
		kill(child_pid, SIGKILL);
		while (waitpid(child_pid, NULL, 0) < 0 && errno == EINTR)
			;
		child_pid = 0;
	}
	/* Newest first: a link goes before the folder that holds it. */
	while (remembered_count > 0) {
		const char *path = remembered[remembered_count - 1];
		if (unlink(path) != 0 && errno == EISDIR)
			rmdir(path);
		remembered_count--;
	}
}

static void on_stop_signal(int signal_number)
{
	if (forward_fd >= 0) {
		uint8_t byte = (uint8_t)signal_number;
		if (write(forward_fd, &byte, 1) == 1)
			return;
	}
	cleanup_run();
	_exit(EXIT_SIGNAL_BASE + signal_number);
}

void cleanup_install_signal_handlers(void)
{
	struct sigaction action = {.sa_handler = on_stop_signal};

	handled_signal_set(&action.sa_mask); /* one cleanup at a time */
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&action.sa_mask, sig) == 1)
			sigaction(sig, &action, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void cleanup_block_signals(sigset_t *saved)
{
	sigset_t set;

	handled_signal_set(&set);
	sigprocmask(SIG_BLOCK, &set, saved);
}

void cleanup_restore_signals(const sigset_t *saved)
{
	sigprocmask(SIG_SETMASK, saved, NULL);
}

void cleanup_remember_path(const char *path)
{
	sigset_t saved;

	if (strlen(path) >= sizeof(remembered[0]) || remembered_count >= REMEMBERED_MAX) {
		sole_warning("%s: cannot be removed on a signal (too long, or too many)", path);
		return;
	}
	cleanup_block_signals(&saved);
	strcpy(remembered[remembered_count], path);
	remembered_count++;
	cleanup_restore_signals(&saved);
}

void cleanup_forward_signals(int fd)
{
	forward_fd = fd;
}

void cleanup_remember_child(pid_t pid)
{
	child_pid = pid;
}

int cleanup_wait_child(void)
{
	int status = 0;
	sigset_t saved;

	/* QEMU has exited by now; a signal must not see a reaped pid */
	cleanup_block_signals(&saved);
	while (waitpid(child_pid, &status, 0) < 0 && errno == EINTR)
		;
	child_pid = 0;
	cleanup_restore_signals(&saved);
	return status;
}
