/* Tests the QEMU command line of `sole run` for each network mode and
 * machine type: the console's devices, one netdev and its device, the hostfwd
 * rules of -p, the kernel command line (ip= gw= dns=) and the seccomp
 * sandbox; and what sole says when QEMU could not listen on a published port
 * or install its sandbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "qemu.h"

/* A network as the flags (NULL-terminated pairs of flag and value) set it. */
static void network_from_flags(struct guest_network *network, const char *const *flags)
{
	*network = (struct guest_network){.mode = NETWORK_USER};
	for (; flags[0]; flags += 2) {
		int status = strcmp(flags[0], "--net") == 0 ? guest_network_set_mode(network, flags[0], flags[1])
			     : strcmp(flags[0], "--ip") == 0 ? guest_network_set_address(network, flags[0], flags[1])
							     : guest_network_publish(network, flags[0], flags[1]);
		CHECK(status == 0);
	}
	CHECK(guest_network_finish(network) == 0);
}

/* The command QEMU gets, from "-M" on (the program name is the same
 * everywhere), as a shell would show it. */
static char *command_for(enum machine_kind machine, const char *const *flags)
{
	struct guest_network network;
	struct string_list argv = {0};
	struct qemu_config config = {
		.machine = machine,
		.accel = ACCEL_KIND_TCG,
		.memory_bytes = 64 << 20,
		.kernel_path = "k.elf",
		.initrd_path = "i.cpio",
		.network = &network,
	};

	network_from_flags(&network, flags);
	qemu_build_command(&config, &argv);
	char *command = qemu_format_command(&argv);
	string_list_free(&argv);
	guest_network_free(&network);
	char *from_machine = strdup(strstr(command, "-M "));
	free(command);
	return from_machine;
}

#define COMMON_PART "-nodefaults -no-user-config -display none -m 64M -kernel k.elf -initrd i.cpio "
/* The console: a virtserialport on QEMU's stdio, the UART on fd 3; and the
 * virtio-rng device between them. */
#define CONSOLE_PART(serial_device, rng_device)                                                            \
	"-chardev stdio,id=con,signal=off -device " serial_device " -device virtserialport,chardev=con,nr=1 " \
	"-device " rng_device " "                                                                             \
	"-add-fd fd=3,set=1 -chardev file,id=uart,append=on,path=/dev/fdset/1 -serial chardev:uart "         \
	"-device isa-debug-exit,iobase=0x501,iosize=1 -no-reboot"
#define MICROVM_CONSOLE CONSOLE_PART("virtio-serial-device,max_ports=2", "virtio-rng-device")
#define PC_CONSOLE \
	CONSOLE_PART("virtio-serial-pci,disable-legacy=on,romfile=,max_ports=2", "virtio-rng-pci,disable-legacy=on,romfile=")

static void check_commands(void)
{
	const char *ports[] = {"-p", "8080:80", "-p", "0.0.0.0:5353:53/udp", NULL};
	char *command = command_for(MACHINE_MICROVM, ports);
	CHECK_STRING(command,
		     "-M microvm,x-option-roms=off,rtc=on -accel tcg -cpu max " COMMON_PART
		     "-append 'ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3' " MICROVM_CONSOLE
		     " -netdev user,id=net0,hostfwd=tcp:127.0.0.1:8080-10.0.2.15:80,hostfwd=udp:0.0.0.0:5353-10.0.2.15:53"
		     " -device virtio-net-device,netdev=net0 -global virtio-mmio.force-legacy=false");
	free(command);

	command = command_for(MACHINE_PC, (const char *[]){NULL});
	CHECK_STRING(command, "-M pc -accel tcg -cpu max " COMMON_PART
			      "-append 'ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3' " PC_CONSOLE
			      " -netdev user,id=net0 -device virtio-net-pci,netdev=net0,disable-legacy=on,romfile=");
	free(command);

	command = command_for(MACHINE_PC, (const char *[]){"--net", "tap:sole0", "--ip", "10.9.0.7/16", NULL});
	CHECK_STRING(command, "-M pc -accel tcg -cpu max " COMMON_PART
			      "-append 'ip=10.9.0.7/16 gw=10.9.0.1 dns=10.9.0.1' " PC_CONSOLE
			      " -netdev tap,id=net0,fd=4"
			      " -device virtio-net-pci,netdev=net0,disable-legacy=on,romfile=");
	free(command);

	command = command_for(MACHINE_MICROVM, (const char *[]){"--net", "none", NULL});
	CHECK_STRING(command, "-M microvm,x-option-roms=off,rtc=on -accel tcg -cpu max " COMMON_PART
			      "-append '' " MICROVM_CONSOLE " -global virtio-mmio.force-legacy=false");
	free(command);
}

/* What qemu_explain_failure says about QEMU's messages, read back from a
 * file that stands in for stderr. */
static char *explanation_of(const char *qemu_messages, const char *const *flags)
{
	struct guest_network network;
	struct qemu_config config = {.network = &network, .sandbox = true};
	struct byte_buffer messages = {0};
	static char said[1024];
	FILE *capture = tmpfile();
	int saved_stderr = dup(STDERR_FILENO);

	network_from_flags(&network, flags);
	byte_buffer_append_string(&messages, qemu_messages);
	fflush(stderr);
	dup2(fileno(capture), STDERR_FILENO);
	qemu_explain_failure(&config, &messages);
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	rewind(capture);
	size_t length = fread(said, 1, sizeof(said) - 1, capture);
	said[length] = '\0';
	fclose(capture);
	byte_buffer_free(&messages);
	guest_network_free(&network);
	return said;
}

static void check_failure_explanation(void)
{
	const char *ports[] = {"-p", "8080:80", "-p", "9090:90", NULL};
	const char *qemu_said = "qemu-system-x86_64: -netdev user,id=net0,hostfwd=tcp:127.0.0.1:8080-10.0.2.15:80,"
				"hostfwd=tcp:127.0.0.1:9090-10.0.2.15:90: Could not set up host forwarding rule "
				"'tcp:127.0.0.1:9090-10.0.2.15:90'\n";

	CHECK_STRING(explanation_of(qemu_said, ports),
		     "sole: -p 9090:90: QEMU could not listen on TCP port 9090 of 127.0.0.1 (taken by another "
		     "program since sole checked it?); pick another host port\n");
	CHECK_STRING(explanation_of("qemu-system-x86_64: something else\n", ports), "");
	CHECK_STRING(explanation_of("qemu-system-x86_64: -sandbox support is not enabled in this QEMU binary\n",
				    (const char *[]){NULL}),
		     "sole: QEMU cannot run under its seccomp sandbox here; install a QEMU built with seccomp "
		     "(Debian's qemu-system-x86 is) on a kernel with seccomp, or run with --no-sandbox\n");
}

/* The sandbox goes after the devices, and --no-sandbox leaves it out. */
static void check_sandbox(void)
{
	struct guest_network network = {.mode = NETWORK_NONE};
	struct qemu_config config = {.kernel_path = "k.elf", .initrd_path = "i.cpio", .network = &network};

	for (int sandbox = 0; sandbox < 2; sandbox++) {
		struct string_list argv = {0};
		config.sandbox = sandbox;
		qemu_build_command(&config, &argv);
		char *command = qemu_format_command(&argv);
		const char *option = strstr(command, " -sandbox ");
		CHECK(sandbox ? option != NULL : option == NULL);
		if (option)
			CHECK_STRING(option, " -sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
					     "resourcecontrol=deny");
		free(command);
		string_list_free(&argv);
	}
}

/* An unprivileged QEMU gets the kernel and the initrd as fds sole opened. */
static void check_unprivileged_files(void)
{
	struct guest_network network = {.mode = NETWORK_NONE};
	struct qemu_user nobody = {.drop = true, .uid = 65534, .gid = 65534};
	struct qemu_config config = {
		.kernel_path = "k.elf", .initrd_path = "i.cpio", .network = &network, .user = &nobody};
	struct string_list argv = {0};

	qemu_build_command(&config, &argv);
	char *command = qemu_format_command(&argv);
	CHECK(strstr(command, " -kernel /proc/self/fd/5 -initrd /proc/self/fd/6 ") != NULL);
	free(command);
	string_list_free(&argv);
}

int main(void)
{
	check_commands();
	check_failure_explanation();
	check_sandbox();
	check_unprivileged_files();
	return check_summary("qemu_command");
}
