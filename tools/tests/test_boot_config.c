/* Tests the encoding of the boot configuration (docs/boot-config.md). */
#define _GNU_SOURCE
#include <string.h>

#include "boot_config.h"
#include "check.h"

static const char expected[] = "exe=/bin/app\0arg=app\0arg=two words\0arg=\0"
			       "env=PATH=/bin\0env=X=a\nb\0cwd=/srv\0hostname=sole\0"
			       "trace=1\0aslr=0\0tty=7\0"
			       "random_seed=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\0"
			       "winsize=50x120";

int main(void)
{
	struct string_list argv = {0}, env = {0};
	struct byte_buffer out = {0};

	string_list_append(&argv, "app");
	string_list_append(&argv, "two words");
	string_list_append(&argv, "");
	string_list_append(&env, "PATH=/bin");
	string_list_append(&env, "X=a\nb");
	struct boot_config config = {
		.exe = "/bin/app",
		.argv = &argv,
		.env = &env,
		.cwd = "/srv",
		.trace = true,
		.no_aslr = true,
		.terminal = {.console_tty = true, .rows = 50, .columns = 120},
	};
	for (int i = 0; i < BOOT_RANDOM_SEED_SIZE; i++)
		config.random_seed[i] = (unsigned char)i;
	boot_config_encode(&config, &out);
	CHECK(out.length == sizeof(expected));
	CHECK(out.length == sizeof(expected) && memcmp(out.data, expected, sizeof(expected)) == 0);

	/* no terminal: no winsize; verbose shows up, and ASLR is left on */
	out.length = 0;
	config.trace = false;
	config.verbose = true;
	config.no_aslr = false;
	config.terminal = (struct host_terminal){0};
	boot_config_encode(&config, &out);
	static const char tail[] = "verbose=1\0tty=0\0random_seed=00010203";
	CHECK(memmem(out.data, out.length, tail, sizeof(tail) - 1) != NULL);
	CHECK(out.length > 0 && out.data[out.length - 1] == '\0' && memmem(out.data, out.length, "winsize=", 8) == NULL);
	CHECK(memmem(out.data, out.length, "trace=", 6) == NULL);
	CHECK(memmem(out.data, out.length, "aslr=", 5) == NULL);

	string_list_free(&argv);
	string_list_free(&env);
	byte_buffer_free(&out);
	return check_summary("boot_config");
}
