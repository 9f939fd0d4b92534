/* Tests the `sole run` flag parser: docker-style short and long forms, sizes,
 * the environment rules, --copy destinations, the network flags (-p, --net,
 * --ip, --gateway, --dns), and where options end. */
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
			"-w", "/srv//app/", "--trace", "--verbose", "--no-sandbox", "--accel", "tcg", "--machine=pc",
			"--kernel", "/k.elf", "--cpus", "2", "./app", "-m", "--trace", "--", "x"};
	CHECK(PARSE(&options, argv) == 0);
	CHECK(options.memory_bytes == 128u << 20);
	CHECK(options.cpus == 2);
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
	CHECK(options.trace && options.verbose && options.no_sandbox && !options.help);
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
	CHECK(options.cpus == 1);
	CHECK(options.env.count == 2);
	CHECK_STRING(options.workdir, "/");
	CHECK(options.accel == ACCEL_AUTO && options.machine == MACHINE_MICROVM);
	CHECK(!options.trace && !options.verbose && !options.no_sandbox && options.kernel_path == NULL);
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

	/* docker's --cpus takes a share of the host's time: a fraction rounds up */
	char *fraction[] = {"--cpus=1.5", "app"};
	CHECK(PARSE(&options, fraction) == 0 && options.cpus == 2);
	run_options_free(&options);
	char *most[] = {"--cpus", "64", "app"};
	CHECK(PARSE(&options, most) == 0 && options.cpus == 64);
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
		{"-v", "/a:/b", "app"},
		{"--accel", "hvf", "app"},
		{"--machine", "q35", "app"},
		{"-w", "relative", "app"},
		{"-e", "=x", "app"},
		{"--copy", ":/x", "app"},
		{"--copy", "x:", "app"},
		{"--verbose", NULL, NULL},
		{"--cpus", "0", "app"},
		{"--cpus", "65", "app"},
		{"--cpus", "-1", "app"},
		{"--cpus", "two", "app"},
		{"--cpus", "nan", "app"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int argc = bad[i][1] ? bad[i][2] ? 3 : 2 : 1;
		CHECK(run_options_parse(&options, argc, (char **)bad[i]) == EXIT_SOLE_ERROR);
		run_options_free(&options);
	}
}

/* Parses argv (NULL-terminated); the network settings must come out as given. */
static void check_network(char **argv, enum network_mode mode, const char *kernel_arguments,
			  const char *dns_server)
{
	struct run_options options;
	int argc = 0;

	while (argv[argc])
		argc++;
	CHECK(run_options_parse(&options, argc, argv) == 0);
	CHECK(options.network.mode == mode);
	char *arguments = guest_network_kernel_arguments(&options.network);
	CHECK_STRING(arguments, kernel_arguments);
	free(arguments);
	const char *dns = guest_network_dns_server(&options.network);
	if (dns_server)
		CHECK_STRING(dns, dns_server);
	else
		CHECK(dns == NULL);
	run_options_free(&options);
}

static void check_network_settings(void)
{
	check_network((char *[]){"app", NULL}, NETWORK_USER, "ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3",
		      "10.0.2.3");
	check_network((char *[]){"--net", "user", "--dns", "1.1.1.1", "app", NULL}, NETWORK_USER,
		      "ip=10.0.2.15/24 gw=10.0.2.2 dns=1.1.1.1", "1.1.1.1");
	check_network((char *[]){"--net=none", "app", NULL}, NETWORK_NONE, "", NULL);
	check_network((char *[]){"--net", "tap:sole0", "app", NULL}, NETWORK_TAP,
		      "ip=192.168.100.2/24 gw=192.168.100.1 dns=192.168.100.1", "192.168.100.1");
	/* the gateway defaults to the subnet's first address, the DNS server to the gateway */
	check_network((char *[]){"--ip", "10.1.2.3/16", "--net=tap:t-1.x_y", "app", NULL}, NETWORK_TAP,
		      "ip=10.1.2.3/16 gw=10.1.0.1 dns=10.1.0.1", "10.1.0.1");
	check_network((char *[]){"--net", "tap:sole0", "--ip", "10.1.2.3/16", "--gateway", "10.1.255.254",
				 "--dns=9.9.9.9", "app", NULL},
		      NETWORK_TAP, "ip=10.1.2.3/16 gw=10.1.255.254 dns=9.9.9.9", "9.9.9.9");
	/* the last --net wins, as docker's single-valued flags do */
	check_network((char *[]){"--net", "none", "--net", "user", "-p", "8080:80", "app", NULL}, NETWORK_USER,
		      "ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3", "10.0.2.3");
}

static void check_published_ports(void)
{
	struct run_options options;
	char *argv[] = {"-p", "8080:80", "--publish=127.0.0.2:9000:90/udp", "-p", "0.0.0.0:5353:53/udp",
			"-p5354:53/tcp", "--publish", "8080:80/udp", "app", "-p", "1:1"};

	CHECK(PARSE(&options, argv) == 0);
	CHECK(options.network.port_count == 5);
	const struct port_mapping *ports = options.network.ports;
	CHECK_STRING(ports[0].host_address, "127.0.0.1");
	CHECK(ports[0].host_port == 8080 && ports[0].guest_port == 80 && ports[0].protocol == PORT_TCP);
	CHECK_STRING(ports[0].as_typed, "8080:80");
	CHECK_STRING(ports[1].host_address, "127.0.0.2");
	CHECK(ports[1].host_port == 9000 && ports[1].guest_port == 90 && ports[1].protocol == PORT_UDP);
	CHECK_STRING(ports[2].host_address, "0.0.0.0");
	CHECK(ports[2].host_port == 5353 && ports[2].protocol == PORT_UDP);
	CHECK(ports[3].host_port == 5354 && ports[3].guest_port == 53 && ports[3].protocol == PORT_TCP);
	CHECK(ports[4].host_port == 8080 && ports[4].protocol == PORT_UDP);
	CHECK(options.app_arg_count == 2); /* the app's own -p */
	run_options_free(&options);
}

static void check_network_rejections(void)
{
	struct run_options options;
	const char *const bad[][7] = {
		/* malformed -p */
		{"-p", "", "app"},
		{"-p", "80", "app"},
		{"-p", "80/udp", "app"},
		{"-p", "0:80", "app"},
		{"-p", "8080:0", "app"},
		{"-p", "65536:80", "app"},
		{"-p", "8080:99999999999999999999", "app"},
		{"-p", "abc:80", "app"},
		{"-p", "-1:80", "app"},
		{"-p", "+80:80", "app"},
		{"-p", " 80:80", "app"},
		{"-p", "8080:80 ", "app"},
		{"-p", "8080:80/sctp", "app"},
		{"-p", "8080:80/", "app"},
		{"-p", "8080:80/tcp/udp", "app"},
		{"-p", "localhost:8080:80", "app"},
		{"-p", "300.1.1.1:8080:80", "app"},
		{"-p", ":8080:80", "app"},
		{"-p", "[::1]:8080:80", "app"},
		{"-p", "::1:8080:80", "app"},
		{"-p", "127.0.0.1::80", "app"},
		{"-p", ":80", "app"},
		{"-p", "8080:", "app"},
		{"-p", "8080-8081:80-81", "app"},
		{"--publish", NULL},
		/* the same host port twice */
		{"-p", "8080:80", "-p", "8080:81", "app"},
		{"-p", "0.0.0.0:8080:80", "-p", "127.0.0.1:8080:81", "app"},
		{"-p", "5353:53/udp", "--publish=5353:54/udp", "app"},
		/* --net */
		{"--net", "bridge", "app"},
		{"--net", "", "app"},
		{"--net", "tap:", "app"},
		{"--net", "tap:a,script=/bin/evil", "app"},
		{"--net", "tap:a=b", "app"},
		{"--net", "tap:sixteen-chars-xy", "app"},
		{"--net", "TAP:x", "app"},
		{"--net", NULL},
		/* flags that do not fit the network mode */
		{"--net", "none", "-p", "8080:80", "app"},
		{"-p", "8080:80", "--net", "tap:sole0", "app"},
		{"--net", "none", "--dns", "1.1.1.1", "app"},
		{"--net", "none", "--ip", "10.0.0.5/24", "app"},
		{"--ip", "10.0.0.5/24", "app"},
		{"--gateway", "10.0.2.1", "app"},
		/* addresses */
		{"--net", "tap:x", "--ip", "10.0.0.5", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.5/", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.5/0", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.5/31", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.5/2x", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.5/-8", "app"},
		{"--net", "tap:x", "--ip", "a.b.c.d/24", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.0/24", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.255/24", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.1/24", "app"},
		{"--net", "tap:x", "--ip", "10.0.0.5/24", "--gateway", "10.0.1.1", "app"},
		{"--net", "tap:x", "--gateway", "999.1.1.1", "app"},
		{"--net", "tap:x", "--dns", "dns.example", "app"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int argc = 0;
		while (argc < 7 && bad[i][argc])
			argc++;
		int status = run_options_parse(&options, argc, (char **)bad[i]);
		if (status != EXIT_SOLE_ERROR)
			fprintf(stderr, "accepted: %s %s %s %s\n", bad[i][0], bad[i][1] ? bad[i][1] : "",
				argc > 2 ? bad[i][2] : "", argc > 3 ? bad[i][3] : "");
		CHECK(status == EXIT_SOLE_ERROR);
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

/* --user as docker takes it: names (the guest's own, or the host's) or
 * numbers, an optional group, and HOME following the user. */
static void check_user(void)
{
	struct run_options options;
	char *numbers[] = {"--user", "1000:1001", "app"};
	CHECK(PARSE(&options, numbers) == 0);
	CHECK(options.user.set && options.user.uid == 1000 && options.user.gid == 1001);
	CHECK(options.user.group_count == 0 && options.user.passwd_line == NULL);
	CHECK_STRING(options.env.items[1], "HOME=/");
	run_options_free(&options);

	char *nobody[] = {"-u", "nobody", "app"};
	CHECK(PARSE(&options, nobody) == 0);
	CHECK(options.user.uid == 65534 && options.user.gid == 65534 && options.user.passwd_line == NULL);
	CHECK_STRING(options.env.items[1], "HOME=/nonexistent");
	run_options_free(&options);

	char *root_group[] = {"--user=0:nogroup", "-e", "HOME=/srv", "app"};
	CHECK(PARSE(&options, root_group) == 0);
	CHECK(options.user.uid == 0 && options.user.gid == 65534);
	CHECK_STRING(options.env.items[1], "HOME=/srv");
	run_options_free(&options);

	const char *const bad[][3] = {
		{"--user", "no-such-user-here", "app"},
		{"--user", "1000:no-such-group-here", "app"},
		{"--user", ":1000", "app"},
		{"--user", "1000:", "app"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		CHECK(run_options_parse(&options, 3, (char **)bad[i]) == EXIT_SOLE_ERROR);
		run_options_free(&options);
	}
	char *encoded_user[] = {"-u", "7:8", "app"};
	CHECK(PARSE(&options, encoded_user) == 0);
	char *encoded = run_user_encode(&options.user);
	CHECK_STRING(encoded, "7:8:");
	free(encoded);
	run_options_free(&options);
}

static bool has_entry(const struct string_list *list, const char *entry)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i], entry) == 0)
			return true;
	return false;
}

/* -i and -t, alone, by their long names, and clustered as docker takes them. */
static void check_terminal_flags(void)
{
	struct run_options options;
	char *plain[] = {"app"};
	char *clustered[] = {"-it", "app"};
	char *reversed[] = {"-ti", "-m", "32M", "app"};
	char *with_value[] = {"-itp", "8080:80", "app"};
	char *long_names[] = {"--interactive", "--tty", "app"};
	char *only_i[] = {"-i", "app", "-t"};
	char *unknown_in_cluster[] = {"-ix", "app"};
	char *value_in_cluster[] = {"-tm64M", "app"};

	CHECK(PARSE(&options, plain) == 0 && !options.interactive && !options.tty);
	run_options_free(&options);
	CHECK(PARSE(&options, clustered) == 0 && options.interactive && options.tty);
	run_options_free(&options);
	CHECK(PARSE(&options, reversed) == 0 && options.interactive && options.tty &&
	      options.memory_bytes == 32u << 20);
	run_options_free(&options);
	CHECK(PARSE(&options, with_value) == 0 && options.interactive && options.tty &&
	      options.network.port_count == 1);
	run_options_free(&options);
	CHECK(PARSE(&options, long_names) == 0 && options.interactive && options.tty);
	run_options_free(&options);
	/* after BINARY, -t is the app's */
	CHECK(PARSE(&options, only_i) == 0 && options.interactive && !options.tty && options.app_arg_count == 1);
	run_options_free(&options);
	CHECK(PARSE(&options, unknown_in_cluster) == EXIT_SOLE_ERROR);
	run_options_free(&options);
	CHECK(PARSE(&options, value_in_cluster) == 0 && options.tty && options.memory_bytes == 64u << 20);
	run_options_free(&options);

	/* -t brings TERM: the host's, else docker's xterm; -e TERM wins */
	char *own_term[] = {"-t", "-e", "TERM=vt100", "app"};
	setenv("TERM", "screen", 1);
	CHECK(PARSE(&options, clustered) == 0 && has_entry(&options.env, "TERM=screen"));
	run_options_free(&options);
	unsetenv("TERM");
	CHECK(PARSE(&options, clustered) == 0 && has_entry(&options.env, "TERM=xterm"));
	run_options_free(&options);
	CHECK(PARSE(&options, own_term) == 0 && has_entry(&options.env, "TERM=vt100") &&
	      !has_entry(&options.env, "TERM=xterm"));
	run_options_free(&options);
	CHECK(PARSE(&options, plain) == 0 && !has_entry(&options.env, "TERM=xterm"));
	run_options_free(&options);
}

/* --rootfs: the image folder becomes the first volume, at "/", before -v's;
 * a missing folder, a file, --copy and --init are refused. */
static void check_rootfs(void)
{
	struct run_options options;
	char *with_volume[] = {"-v", "/tmp:/data", "--rootfs", "/tmp/", "app", "x"};
	CHECK(PARSE(&options, with_volume) == 0);
	CHECK(options.rootfs && strcmp(options.rootfs, "/tmp") == 0);
	CHECK(options.volume_count == 2 && strcmp(options.volumes[0].guest_path, "/") == 0 &&
	      strcmp(options.volumes[0].host_path, "/tmp") == 0 && !options.volumes[0].read_only &&
	      strcmp(options.volumes[1].guest_path, "/data") == 0);
	CHECK(strcmp(options.binary, "app") == 0 && options.app_arg_count == 1);
	run_options_free(&options);

	char *proxy[] = {"--sig-proxy", "--rootfs", "/tmp", "--read-only", "app"};
	CHECK(PARSE(&options, proxy) == 0 && options.sig_proxy && options.volumes[0].read_only);
	run_options_free(&options);
	char *mac[] = {"--net", "tap:sole0", "--mac", "02:42:0a:63:00:02", "app"};
	char *bad_mac[] = {"--mac", "02:42:0a:63:00", "app"};
	char *multicast_mac[] = {"--mac", "01:00:5e:00:00:01", "app"};
	char *mac_without_network[] = {"--net", "none", "--mac", "02:42:0a:63:00:02", "app"};
	CHECK(PARSE(&options, mac) == 0 && strcmp(options.network.mac, "02:42:0a:63:00:02") == 0);
	run_options_free(&options);
	CHECK(PARSE(&options, bad_mac) == EXIT_SOLE_ERROR);
	run_options_free(&options);
	CHECK(PARSE(&options, multicast_mac) == EXIT_SOLE_ERROR);
	run_options_free(&options);
	CHECK(PARSE(&options, mac_without_network) == EXIT_SOLE_ERROR);
	run_options_free(&options);
	char *named[] = {"--hostname", "web1", "app"};
	char *unnamed[] = {"--hostname=", "app"};
	CHECK(PARSE(&options, named) == 0 && strcmp(options.hostname, "web1") == 0);
	run_options_free(&options);
	CHECK(PARSE(&options, unnamed) == EXIT_SOLE_ERROR);
	run_options_free(&options);
	char *read_only_alone[] = {"--read-only", "app"};
	CHECK(PARSE(&options, read_only_alone) == EXIT_SOLE_ERROR);
	run_options_free(&options);

	char *missing[] = {"--rootfs", "/nonexistent/image", "app"};
	char *file[] = {"--rootfs=/dev/null", "app"};
	char *copy[] = {"--rootfs", "/tmp", "--copy", "/etc/hostname", "app"};
	char *init[] = {"--rootfs", "/tmp", "--init", "app"};
	CHECK(PARSE(&options, missing) == EXIT_SOLE_ERROR);
	run_options_free(&options);
	CHECK(PARSE(&options, file) == EXIT_SOLE_ERROR);
	run_options_free(&options);
	CHECK(PARSE(&options, copy) == 0 && options.copy_count == 1 && options.volume_count == 1); /* over the image */
	run_options_free(&options);
	CHECK(PARSE(&options, init) == EXIT_SOLE_ERROR);
	run_options_free(&options);
}

int main(void)
{
	check_sizes();
	check_full_command_line();
	check_defaults_and_ends();
	check_rejections();
	check_network_settings();
	check_published_ports();
	check_network_rejections();
	check_environment_set();
	check_user();
	check_terminal_flags();
	check_rootfs();
	return check_summary("run_options");
}
