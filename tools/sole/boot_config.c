/* The boot configuration file (.sole-boot, see docs/boot-config.md): what
 * the kernel runs, with which argv, environment and cwd, and what the host's
 * terminal looks like. */
#include "boot_config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void put_entry(struct byte_buffer *out, const char *key, const char *value)
{
	byte_buffer_append_string(out, key);
	byte_buffer_append_string(out, "=");
	byte_buffer_append(out, value, strlen(value) + 1);
}

static void put_list(struct byte_buffer *out, const char *key, const struct string_list *values)
{
	for (size_t i = 0; i < values->count; i++)
		put_entry(out, key, values->items[i]);
}

void boot_config_encode(const struct boot_config *config, struct byte_buffer *out)
{
	char number[32];

	put_entry(out, "exe", config->exe);
	put_list(out, "arg", config->argv);
	put_list(out, "env", config->env);
	put_entry(out, "cwd", config->cwd);
	if (config->user)
		put_entry(out, "user", config->user);
	if (config->volumes)
		put_list(out, "volume", config->volumes);
	if (config->volumes && config->volumes->count && config->user) {
		snprintf(number, sizeof(number), "%u:%u", (unsigned)getuid(), (unsigned)getgid());
		put_entry(out, "volume_owner", number);
	}
	put_entry(out, "hostname", config->hostname ? config->hostname : SOLE_HOSTNAME);
	if (config->trace)
		put_entry(out, "trace", "1");
	if (config->syscall_summary)
		put_entry(out, "syscall_summary", "1");
	if (config->stats)
		put_entry(out, "stats", "1");
	if (config->verbose)
		put_entry(out, "verbose", "1");
	if (config->no_aslr)
		put_entry(out, "aslr", "0");
	if (config->test_kernel_panic)
		put_entry(out, "test-kernel-panic", "1");
	if (config->test_wx_violation)
		put_entry(out, "test-wx-violation", "1");
	/* the kernel's fds 0, 1 and 2 are its console tty: a mask of the three */
	put_entry(out, "tty", config->terminal.console_tty ? "7" : "0");
	char seed[2 * BOOT_RANDOM_SEED_SIZE + 1];
	for (int i = 0; i < BOOT_RANDOM_SEED_SIZE; i++)
		snprintf(seed + 2 * i, 3, "%02x", config->random_seed[i]);
	put_entry(out, "random_seed", seed);
	if (config->terminal.rows) {
		snprintf(number, sizeof(number), "%ux%u", config->terminal.rows,
			 config->terminal.columns);
		put_entry(out, "winsize", number);
	}
}
