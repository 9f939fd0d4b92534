/* Finds the sole kernel ELF that QEMU boots. */
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
	sole_error("%s%s: %s; give the path of a built sole kernel (%s)", given_by, path,
		   strerror(errno), KERNEL_FILE);
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

char *kernel_image_find(const char *flag_path)
{
	const char *from_environment = getenv("SOLE_KERNEL");

	if (flag_path)
		return explicit_kernel(flag_path, "--kernel ");
	if (from_environment && *from_environment)
		return explicit_kernel(from_environment, "SOLE_KERNEL=");
	char *directory = executable_directory();
	if (directory) {
		const char *const candidates[] = {"kernel/" KERNEL_FILE, "../lib/sole/" KERNEL_FILE};
		for (size_t i = 0; i < 2; i++) {
			char *path = xasprintf("%s/%s", directory, candidates[i]);
			if (access(path, R_OK) == 0) {
				free(directory);
				return path;
			}
			free(path);
		}
	}
	if (access(SOLE_INSTALLED_KERNEL, R_OK) == 0) {
		free(directory);
		return xstrdup(SOLE_INSTALLED_KERNEL);
	}
	sole_error("no sole kernel found next to %s (kernel/%s or ../lib/sole/%s) nor at %s; "
		   "run ./setup to build it, or give one with --kernel PATH",
		   directory ? directory : "the sole executable", KERNEL_FILE, KERNEL_FILE,
		   SOLE_INSTALLED_KERNEL);
	free(directory);
	return NULL;
}
