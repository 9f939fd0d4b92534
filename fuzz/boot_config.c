/* Fuzz target: the kernel's boot configuration parser (kernel/boot_config.c),
 * the NUL-separated key=value strings of the initrd's boot configuration
 * file. The parser fills one global; each input starts from its initial
 * value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/boot_config.h"

/* Reads every byte of a string the parser kept, so that ASan checks it. */
static size_t touch(const char *s) { return s ? strlen(s) : 0; }

/* What the target read, kept so that the reads are not optimized away. */
static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_config initial;
	static int saved;
	if (!saved) {
		initial = boot_config;
		saved = 1;
	}
	boot_config = initial;
	/* a copy of exactly size bytes: the fuzzer's own buffer may be larger */
	char *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	if (boot_config_parse(copy, size) == 0) {
		sink += touch(boot_config.exe) + touch(boot_config.cwd) + touch(boot_config.hostname) +
		        touch(boot_config.user) + touch(boot_config.volume_owner);
		for (int i = 0; i < boot_config.argc; i++)
			sink += touch(boot_config.argv[i]);
		for (int i = 0; i < boot_config.envc; i++)
			sink += touch(boot_config.envp[i]);
		for (int i = 0; i < boot_config.volume_count; i++)
			sink += touch(boot_config.volumes[i]);
	}
	free(copy);
	return 0;
}
