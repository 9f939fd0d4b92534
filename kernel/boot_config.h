/* What sole run asked for: the program, its argv and envp, and the console
 * settings, parsed from the initrd's boot configuration (docs/boot-config.md). */
#ifndef SOLE_BOOT_CONFIG_H
#define SOLE_BOOT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define BOOT_MAX_ARGS 4096
#define BOOT_MAX_VOLUMES 32

struct boot_config {
	const char *exe;
	const char *argv[BOOT_MAX_ARGS];
	int argc;
	const char *envp[BOOT_MAX_ARGS];
	int envc;
	const char *cwd;
	const char *hostname;
	/* sole run --user: the app's ids, as "UID:GID:G1,G2"; NULL runs it as root */
	const char *user;
	/* "UID:GID" of the host user running sole: what it creates in volumes */
	const char *volume_owner;
	const char *random_seed; /* 64 hex digits from the host's getrandom */
	const char *volumes[BOOT_MAX_VOLUMES]; /* "TAG:ro:/path" or "TAG:rw:/path" */
	int volume_count;
	bool trace;
	bool syscall_summary; /* count every syscall; send the counts at exit */
	bool stats;           /* sole run --stats-file: send the free pages once a second */
	bool verbose;
	bool test_kernel_panic; /* panic on purpose before the app starts */
	bool test_wx_violation; /* map a kernel page W+X for the W^X check to catch */
	bool no_aslr;           /* sole run --no-aslr: kernel.randomize_va_space = 0 */
	unsigned tty_mask; /* bit n: the host's fd n is a terminal */
	unsigned short rows, cols;
};

extern struct boot_config boot_config;

/* Parses the NUL-separated key=value strings. The strings stay in place
 * (the initrd is never freed). Returns 0 or -EINVAL. */
int boot_config_parse(const char *data, size_t len);

#endif
