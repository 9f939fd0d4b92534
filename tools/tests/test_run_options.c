/* Tests the `sole run` flag parser: docker-style short and long forms, sizes,
 * the environment rules, --copy destinations, and where options end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "exit_codes.h"
#include "run_options.h"

/* Parses a command line held in argv_name, which outlives the options. */
#define PARSE(options, argv_name) \
	run_options_parse(options, sizeof(argv_name) / sizeof(*argv_name), argv_name)

static void check_sizes(void)
{
	uint64_t bytes = 0;

	CHECK(parse_memory_size("64M", &bytes) && bytes == 64u << 20);
	CHECK(parse_memory_size("64m", &bytes) && bytes == 64u << 20);
	CHECK(parse_memory_size("1G", &bytes) && bytes == 1u << 30);
	CHECK(parse_memory_size("512k", &bytes) && bytes == 512u << 10);
	CHECK(parse_memory_size("128MiB", &bytes) && bytes == 128u << 20);
	CHECK(parse_memory_size("128mb", &bytes) && bytes == 128u << 20);
	CHECK(parse_memory_size("4194304", &bytes) && bytes == 4194304);
	CHECK(!parse_memory_size("", &bytes));
	CHECK(!parse_memory_size("M", &bytes));
	CHECK(!parse_memory_size("-5M", &bytes));
	CHECK(!parse_memory_size("64X", &bytes));
	CHECK(!parse_memory_size("64 M", &bytes));
	CHECK(!parse_memory_size("1.5G", &bytes));
	CHECK(!parse_memory_size("99999999999999999999G", &bytes));
	CHECK(!parse_memory_size("17179869184G", &bytes));
}

static void check_full_command_line(void)
{
	struct run_options options;

	setenv("SOLE_TEST_HOST_VALUE", "from host", 1);
	unsetenv("SOLE_TEST_UNSET");
	char *argv[] = {"-m", "128M", "--env=A=1", "-eB=2", "-e", "SOLE_TEST_HOST_VALUE",
			"-e", "SOLE_TEST_UNSET", "-e", "HOME=/home/app", "--copy", "data",
			"--copy=/etc/x.conf", "--copy", "src/dir:/opt/dir", "--copy", "f:rel/dest",
			"-w", "/srv//app/", "--trace", "--verbose", "--accel", "tcg", "--machine=pc",
			"--kernel", "/k.elf", "./app", "-m", "--trace", "--", "x"};
	CHECK(PARSE(&options, argv) == 0);
	CHECK(options.memory_bytes == 128u << 20);
	CHECK(options.env.count == 5);
	CHECK_STRING(options.env.items[0], "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	CHECK_STRING(options.env.items[1], "HOME=/home/app");
	CHECK_STRING(options.env.items[2], "A=1");
	CHECK_STRING(options.env.items[3], "B=2");
	CHECK_STRING(options.env.items[4], "SOLE_TEST_HOST_VALUE=from host");
	CHECK(options.copy_count == 4);
	CHECK_STRING(options.copies[0].host_path, "data");
	CHECK_STRING(options.copies[0].guest_path, "/data");
	CHECK_STRING(options.copies[1].host_path, "/etc/x.conf");
	CHECK_STRING(options.copies[1].guest_path, "/etc/x.conf");
	CHECK_STRING(options.copies[2].host_path, "src/dir");
	CHECK_STRING(options.copies[2].guest_path, "/opt/dir");
	CHECK_STRING(options.copies[3].guest_path, "/rel/dest");
	CHECK_STRING(options.workdir, "/srv/app");
	CHECK(options.trace && options.verbose && !options.help);
	CHECK(options.accel == ACCEL_TCG && options.machine == MACHINE_PC);
	CHECK_STRING(options.kernel_path, "/k.elf");
	CHECK_STRING(options.binary, "./app");
	CHECK(options.app_arg_count == 4);
	CHECK_STRING(options.app_args[0], "-m");
	CHECK_STRING(options.app_args[3], "x");
	run_options_free(&options);
}

static void check_defaults_and_ends(void)
{
	struct run_options options;

	char *plain[] = {"hello"};
	CHECK(PARSE(&options, plain) == 0);
	CHECK(options.memory_bytes == 64u << 20);
	CHECK(options.env.count == 2);
	CHECK_STRING(options.workdir, "/");
	CHECK(options.accel == ACCEL_AUTO && options.machine == MACHINE_MICROVM);
	CHECK(!options.trace && !options.verbose && options.kernel_path == NULL);
	CHECK(options.app_arg_count == 0);
	run_options_free(&options);

	char *dash_dash[] = {"-m64M", "--", "--weird-name", "arg"};
	CHECK(PARSE(&options, dash_dash) == 0);
	CHECK_STRING(options.binary, "--weird-name");
	CHECK(options.app_arg_count == 1);
	run_options_free(&options);

	char *lone_dash[] = {"--memory=1G", "-", "arg"};
	CHECK(PARSE(&options, lone_dash) == 0);
	CHECK(options.memory_bytes == 1u << 30);
	CHECK_STRING(options.binary, "-");
	run_options_free(&options);

	char *help_first[] = {"--help", "--nonsense"};
	CHECK(PARSE(&options, help_first) == 0 && options.help);
	run_options_free(&options);
	char *short_help[] = {"-h"};
	CHECK(PARSE(&options, short_help) == 0 && options.help);
	run_options_free(&options);
}

static void check_rejections(void)
{
	struct run_options options;
	const char *const bad[][3] = {
		{"--foo", "app", NULL},
		{"-x", "app", NULL},
		{"-hx", "app", NULL},
		{"-m", "12X", "app"},
		{"-m", "1K", "app"},
		{"--memory", NULL, NULL},
		{"--memory=", "app", NULL},
		{"--trace=1", "app", NULL},
		{"-p", "8080:80", "app"},
		{"--publish=8080:80", "app", NULL},
		{"-v", "/a:/b", "app"},
		{"--accel", "hvf", "app"},
		{"--machine", "q35", "app"},
		{"-w", "relative", "app"},
		{"-e", "=x", "app"},
		{"--copy", ":/x", "app"},
		{"--copy", "x:", "app"},
		{"--verbose", NULL, NULL},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int argc = bad[i][1] ? bad[i][2] ? 3 : 2 : 1;
		CHECK(run_options_parse(&options, argc, (char **)bad[i]) == EXIT_SOLE_ERROR);
		run_options_free(&options);
	}
}

static void check_environment_set(void)
{
	struct string_list env = {0};

	environment_set(&env, "A=1");
	environment_set(&env, "AB=2");
	environment_set(&env, "A=3");
	environment_set(&env, "A==4");
	CHECK(env.count == 2);
	CHECK_STRING(env.items[0], "A==4");
	CHECK_STRING(env.items[1], "AB=2");
	string_list_free(&env);
}

int main(void)
{
	check_sizes();
	check_full_command_line();
	check_defaults_and_ends();
	check_rejections();
	check_environment_set();
	return check_summary("run_options");
}
