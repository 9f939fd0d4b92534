/* Parsing of the boot configuration, see boot_config.h. */
#include "kernel/boot_config.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/log.h"

struct boot_config boot_config = {.cwd = "/", .hostname = "sole"};

static unsigned long parse_number(const char *s, const char **end)
{
	unsigned long v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned long)(*s++ - '0');
	*end = s;
	return v;
}

static void apply(const char *key, size_t key_len, const char *value)
{
#define IS(k) (key_len == sizeof(k) - 1 && !memcmp(key, k, key_len))
	const char *end;
	if (IS("exe")) {
		boot_config.exe = value;
	} else if (IS("arg")) {
		if (boot_config.argc < BOOT_MAX_ARGS)
			boot_config.argv[boot_config.argc++] = value;
	} else if (IS("env")) {
		if (boot_config.envc < BOOT_MAX_ARGS)
			boot_config.envp[boot_config.envc++] = value;
	} else if (IS("cwd")) {
		boot_config.cwd = value;
	} else if (IS("volume")) {
		if (boot_config.volume_count < BOOT_MAX_VOLUMES)
			boot_config.volumes[boot_config.volume_count++] = value;
	} else if (IS("user")) {
		boot_config.user = value;
	} else if (IS("volume_owner")) {
		boot_config.volume_owner = value;
	} else if (IS("random_seed")) {
		boot_config.random_seed = value;
	} else if (IS("hostname")) {
		boot_config.hostname = value;
	} else if (IS("trace")) {
		boot_config.trace = value[0] == '1';
	} else if (IS("syscall_summary")) {
		boot_config.syscall_summary = value[0] == '1';
	} else if (IS("stats")) {
		boot_config.stats = value[0] == '1';
	} else if (IS("verbose")) {
		boot_config.verbose = value[0] == '1';
	} else if (IS("test-kernel-panic")) {
		boot_config.test_kernel_panic = value[0] == '1';
	} else if (IS("test-wx-violation")) {
		boot_config.test_wx_violation = value[0] == '1';
	} else if (IS("aslr")) {
		boot_config.no_aslr = value[0] == '0';
	} else if (IS("tty")) {
		boot_config.tty_mask = (unsigned)parse_number(value, &end);
	} else if (IS("winsize")) {
		boot_config.rows = (unsigned short)parse_number(value, &end);
		if (*end == 'x')
			boot_config.cols = (unsigned short)parse_number(end + 1, &end);
	} else {
		klog("boot config: ignoring unknown key %.*s", (int)key_len, key);
	}
#undef IS
}

int boot_config_parse(const char *data, size_t len)
{
	if (len == 0 || data[len - 1] != 0)
		return -EINVAL;
	for (size_t at = 0; at < len;) {
		const char *entry = data + at;
		size_t n = strlen(entry);
		const char *eq = memchr(entry, '=', n);
		if (!eq)
			return -EINVAL;
		apply(entry, (size_t)(eq - entry), eq + 1);
		at += n + 1;
	}
	return boot_config.exe && boot_config.argc ? 0 : -EINVAL;
}
