/* Finds the files sole ships beside itself: the kernel ELF that QEMU boots,
 * and sole-init for --init. */
#include "kernel_image.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "sole_config.h"
#include "xalloc.h"

#define KERNEL_FILE "sole-kernel.elf"

/* Names a kernel given explicitly; a missing one is an error, not a fallback. */
static char *explicit_kernel(const char *path, const char *given_by)
{
	if (access(path, R_OK) == 0)
		return xstrdup(path);
	sole_error("%s%s: %s; give the path of a built sole kernel (%s)", given_by, path, strerror(errno), KERNEL_FILE);
	return NULL;
}

static char *executable_directory(void)
{
	char self[PATH_MAX];
	ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (length < 0)
		return NULL;
	self[length] = '\0';
	return xstrdup(dirname(self));
}

/* A shipped file: in the build folder (build_path, relative to the sole
 * executable), beside an installed sole (../lib/sole/NAME), or at its
 * installed path. NULL after an error naming where it looked. */
static char *shipped_file(const char *build_path, const char *name, const char *installed, const char *advice)
{
	char *directory = executable_directory();
	if (directory) {
		char *beside = xasprintf("../lib/sole/%s", name);
		const char *const candidates[] = {build_path, beside};
		for (size_t i = 0; i < 2; i++) {
			char *path = xasprintf("%s/%s", directory, candidates[i]);
			if (access(path, R_OK) == 0) {
				free(beside);
				free(directory);
				return path;
			}
			free(path);
		}
		free(beside);
	}
	if (access(installed, R_OK) == 0) {
		free(directory);
		return xstrdup(installed);
	}
	sole_error("no %s found next to %s (%s or ../lib/sole/%s) nor at %s; %s", name,
	           directory ? directory : "the sole executable", build_path, name, installed, advice);
	free(directory);
	return NULL;
}

char *kernel_image_find(const char *flag_path)
{
	const char *from_environment = getenv("SOLE_KERNEL");

	if (flag_path)
		return explicit_kernel(flag_path, "--kernel ");
	if (from_environment && *from_environment)
		return explicit_kernel(from_environment, "SOLE_KERNEL=");
	return shipped_file("kernel/" KERNEL_FILE, KERNEL_FILE, SOLE_INSTALLED_KERNEL,
	                    "run ./setup to build it, or give one with --kernel PATH");
}

char *guest_init_find(void)
{
	return shipped_file("tools/sole-init", "sole-init", SOLE_INSTALLED_INIT, "run ./setup to build it");
}
