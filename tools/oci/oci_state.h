/* A container's state folder, --root/ID: state.json (what `create` learnt,
 * in runc's state shape plus the runner's start time) and exec.fifo, on
 * which the created container waits for `start`. */
#ifndef SOLE_OCI_STATE_H
#define SOLE_OCI_STATE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "json_reader.h"

#define OCI_VERSION "1.0.2"
#define OCI_DEFAULT_ROOT "/run/sole-oci"
#define OCI_STATE_FILE "state.json"
#define OCI_FIFO "exec.fifo"

struct oci_state {
	char *folder; /* --root/ID */
	char *id, *bundle, *rootfs, *created, *owner;
	pid_t pid;
	uint64_t start_time;           /* /proc/PID/stat's, against pid reuse */
	struct json_value *annotations; /* an object, or NULL */
};

enum oci_status { OCI_CREATED, OCI_RUNNING, OCI_STOPPED };

char *oci_state_folder(const char *root, const char *id);
/* Writes state.json (atomically). Returns 0 or -1 with errno. */
int oci_state_write(const struct oci_state *state);
/* Reads folder/state.json. Returns 0, or -1 (errno ENOENT: no such container). */
int oci_state_read(const char *folder, struct oci_state *state);
void oci_state_free(struct oci_state *state);
enum oci_status oci_state_status(const struct oci_state *state);
const char *oci_status_name(enum oci_status status);
/* runc's `state` JSON on out. */
void oci_state_print(FILE *out, const struct oci_state *state);
/* field 22 of /proc/PID/stat, or 0 when the process is gone or a zombie */
uint64_t oci_process_start_time(pid_t pid);
/* Writes text to path through a temporary file and rename. 0 or -1. */
int oci_write_atomically(const char *path, const char *text);

#endif
