/* The boot configuration file (.sole-boot, see docs/boot-config.md): what
 * the kernel runs, with which argv, environment and cwd, and what the host's
 * terminal looks like. */
#ifndef SOLE_BOOT_CONFIG_H
#define SOLE_BOOT_CONFIG_H

#include <stdbool.h>

#include "byte_buffer.h"
#include "host_terminal.h"
#include "string_list.h"

#define SOLE_HOSTNAME "sole"
#define BOOT_RANDOM_SEED_SIZE 32

struct boot_config {
	const char *exe;          /* guest path */
	const struct string_list *argv;
	const struct string_list *env;
	const char *cwd;
	const char *user; /* "UID:GID:G1,G2" (run_user_encode), or NULL for root */
	const struct string_list *volumes; /* "TAG:ro:/path" or "TAG:rw:/path" */
	const char *hostname;              /* NULL: SOLE_HOSTNAME */
	bool trace;
	bool syscall_summary;
	bool stats; /* --stats-file */
	bool verbose;
	bool test_kernel_panic;
	bool test_wx_violation;
	bool no_aslr;
	struct host_terminal terminal;
	/* the seed of the kernel's random generator, from the host's getrandom */
	unsigned char random_seed[BOOT_RANDOM_SEED_SIZE];
};

/* Appends the NUL-terminated key=value strings to out. */
void boot_config_encode(const struct boot_config *config, struct byte_buffer *out);

#endif
