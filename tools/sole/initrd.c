/* Packs the guest's root filesystem for one `sole run` into a temporary cpio
 * file: the app binary, its interpreter and libraries, an interpreter's
 * runtime bundle, the root skeleton, the host's /bin/sh, sole-init for
 * --init, the terminfo entry of TERM for -t, every --copy
 * (later ones win; executables bring their libraries) and the boot
 * configuration. The file is deleted when sole exits. */
#define _GNU_SOURCE
#include "initrd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "cpio_writer.h"
#include "diag.h"
#include "exit_codes.h"
#include "host_copy.h"
#include "kernel_image.h"
#include "app_libraries.h"
#include "boot_config.h"
#include "runtime_bundles.h"
#include "platforms/console_wire.h"
#include "root_skeleton.h"
#include "terminfo.h"
#include "xalloc.h"

#define SHELL_PATH "/bin/sh"

/* The host's /bin/sh (dash on Debian) at /bin/sh, with its libraries, as
 * every Linux image has one: system(), popen() and scripts need it. */
static void add_shell(struct cpio_archive *archive, const struct run_options *options)
{
	struct stat info;
	if (stat(SHELL_PATH, &info) != 0 || !S_ISREG(info.st_mode))
		return; /* a host without a shell: the VM goes without too */
	cpio_add_host_file(archive, SHELL_PATH, info.st_mode, info.st_mtime, SHELL_PATH);
	app_libraries_add(archive, SHELL_PATH, SHELL_PATH, options, false);
}

/* --init: sole-init at GUEST_INIT_PATH, the VM's pid 1. */
static int add_init(struct cpio_archive *archive)
{
	char *init = guest_init_find();
	struct stat info;
	if (!init || stat(init, &info) != 0) {
		free(init);
		return EXIT_SOLE_ERROR;
	}
	cpio_add_host_file(archive, GUEST_INIT_PATH, info.st_mode, info.st_mtime, init);
	free(init);
	return 0;
}

/* Fills the archive; returns 0 or the exit status after printing what is
 * wrong. */
static int gather_contents(struct cpio_archive *archive, const struct run_options *options,
                           const struct app_binary *binary, const struct byte_buffer *boot_config)
{
	int64_t now = time(NULL);
	struct stat info;

	/* first, so that the binary or the skeleton (/tmp 01777) win over it */
	cpio_add_directory(archive, options->workdir, 0755, now);
	if (stat(binary->host_path, &info) != 0) {
		sole_error("%s: %s", binary->as_typed, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	cpio_add_host_file(archive, binary->guest_path, info.st_mode, info.st_mtime, binary->host_path);
	int status = app_libraries_add(archive, binary->host_path, binary->as_typed, options, true);
	if (status == 0)
		status = runtime_bundles_add(archive, binary->host_path, options);
	if (status != 0)
		return status;
	root_skeleton_add(archive, now, guest_network_dns_server(&options->network), &options->user,
	                  options->hostname ? options->hostname : SOLE_HOSTNAME);
	if (!options->no_shell)
		add_shell(archive, options);
	if (options->init && (status = add_init(archive)) != 0)
		return status;
	if (options->tty)
		terminfo_add_entry(archive, &options->env);
	for (size_t i = 0; i < options->copy_count; i++)
		if ((status = host_copy_add(archive, &options->copies[i], options)) != 0)
			return status;
	cpio_add_file(archive, BOOT_CONFIG_PATH, 0400, now, boot_config->data, boot_config->length);
	return 0;
}

/* --rootfs: the image folder is the root (a volume); the initrd holds
 * sole's own folders, which hide the image's, what --copy adds (which the
 * kernel lays over the image's files), and the boot configuration. */
static int gather_rootfs_contents(struct cpio_archive *archive, const struct run_options *options,
                                  const struct byte_buffer *boot_config)
{
	int64_t now = time(NULL);
	cpio_add_directory(archive, "/dev", 0755, now);
	cpio_add_directory(archive, "/proc", 0555, now);
	cpio_add_directory(archive, "/tmp", 01777, now);
	for (size_t i = 0; i < options->copy_count; i++) {
		int status = host_copy_add(archive, &options->copies[i], options);
		if (status != 0)
			return status;
	}
	cpio_add_file(archive, BOOT_CONFIG_PATH, 0400, now, boot_config->data, boot_config->length);
	return 0;
}

/* Creates the empty temporary file, registered for deletion before anything
 * could interrupt. Returns its fd, or -1 after printing why. */
static int create_temporary_file(char **path)
{
	const char *directory = getenv("TMPDIR");
	sigset_t saved;

	if (!directory || !*directory)
		directory = "/tmp";
	*path = xasprintf("%s/sole-initrd-XXXXXX", directory);
	cleanup_block_signals(&saved);
	int fd = mkostemp(*path, O_CLOEXEC);
	if (fd >= 0)
		cleanup_remember_path(*path);
	cleanup_restore_signals(&saved);
	if (fd < 0)
		sole_error("cannot create the initrd in %s: %s; set TMPDIR to a writable folder", directory,
		           strerror(errno));
	return fd;
}

int initrd_create(const struct run_options *options, const struct app_binary *binary,
                  const struct byte_buffer *boot_config, char **path)
{
	struct cpio_archive *archive = cpio_archive_new();
	*path = NULL;
	int status = 0;
	if (options->rootfs)
		status = gather_rootfs_contents(archive, options, boot_config);
	else
		status = gather_contents(archive, options, binary, boot_config);
	int fd = status == 0 ? create_temporary_file(path) : -1;

	if (status == 0 && (fd < 0 || cpio_archive_write(archive, fd) != 0))
		status = EXIT_SOLE_ERROR;
	if (fd >= 0 && close(fd) != 0 && status == 0) {
		sole_error("cannot write the initrd %s: %s", *path, strerror(errno));
		status = EXIT_SOLE_ERROR;
	}
	cpio_archive_free(archive);
	if (status != 0) {
		cleanup_run();
		free(*path);
		*path = NULL;
	}
	return status;
}
