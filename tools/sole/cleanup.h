/* What sole must undo however it ends, even on a signal: stop QEMU,
 * delete the initrd and give the terminal back. The signal handler does
 * only async-signal-safe work (kill, waitpid, unlink, _exit). */
#ifndef SOLE_CLEANUP_H
#define SOLE_CLEANUP_H

#include <signal.h>
#include <sys/types.h>

/* Every signal that would end sole (SIGINT, SIGTERM, SIGHUP, SIGUSR1,
 * SIGALRM, the real-time ones, ...): clean up and exit 128+N. SIGPIPE is
 * ignored, so that a closed stdout shows up as EPIPE. */
void cleanup_install_signal_handlers(void);

/* Hold the signals back while a file or child is being created, so that it
 * is always registered before a handler could look. */
void cleanup_block_signals(sigset_t *saved);
void cleanup_restore_signals(const sigset_t *saved);

/* sole run --sig-proxy, while the VM runs: those signals are written (one
 * byte, the number) to fd for the app instead of stopping sole; -1 goes
 * back to stopping. */
void cleanup_forward_signals(int fd);

/* A file, or an empty folder, that cleanup_run removes (the newest first). */
void cleanup_remember_path(const char *path);
void cleanup_remember_child(pid_t pid);

/* Waits for the remembered child and forgets it; returns its wait status. */
int cleanup_wait_child(void);

/* Restores the terminal, kills a child still remembered and deletes the
 * remembered file. */
void cleanup_run(void);

#endif
