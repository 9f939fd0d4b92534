/* QEMU for one `sole run`: its command line, built in one table per machine
 * type, and the process, started with pipes for its stdin, stdout, stderr. */
#ifndef SOLE_QEMU_H
#define SOLE_QEMU_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "accel.h"
#include "byte_buffer.h"
#include "guest_network.h"
#include "qemu_user.h"
#include "run_options.h"
#include "string_list.h"

struct qemu_config {
	enum machine_kind machine;
	enum accel_kind accel;
	uint64_t memory_bytes;
	int cpus; /* -smp */
	const char *kernel_path;
	const char *initrd_path;
	int gdb_port; /* 0: no gdb stub; else QEMU waits for gdb on 127.0.0.1:port */
	bool sandbox; /* QEMU's seccomp filter (-sandbox), unless --no-sandbox */
	const struct qemu_user *user; /* who QEMU runs as; NULL: sole's own ids */
	const struct guest_network *network;
	const struct volume_request *volumes;
	size_t volume_count;
};

struct qemu_process {
	pid_t pid;
	int stdin_fd;  /* the guest's console input (virtio); ours to write, non-blocking */
	int stdout_fd; /* the guest's console output (virtio); non-blocking */
	int stderr_fd; /* QEMU's own messages; non-blocking */
	int serial_fd; /* the guest's UART output: early boot, panics; non-blocking */
};

void qemu_build_command(const struct qemu_config *config, struct string_list *argv);
/* After QEMU failed at start, with its messages: when they show that it
 * could not listen on a published port (taken since sole checked it), or
 * could not install its seccomp sandbox, says which flag and what to do. */
void qemu_explain_failure(const struct qemu_config *config, const struct byte_buffer *messages);
/* The command as a shell would take it, for --verbose. */
char *qemu_format_command(const struct string_list *argv);

/* Starts QEMU in its own process group (so ^C reaches sole, which then stops
 * it), as config->user, with the tap device tap_fd (-1: none). Returns 0, or
 * prints why it could not start and returns the exit status. */
int qemu_start(const struct qemu_config *config, const struct string_list *argv, int tap_fd,
	       struct qemu_process *process);
void qemu_close_pipes(struct qemu_process *process);

#endif
