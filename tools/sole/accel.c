/* Chooses QEMU's accelerator: KVM only where /dev/kvm opens and the CPU shows
 * hardware virtualization (nested KVM without it is slower than TCG). */
#include "accel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"

#define KVM_DEVICE "/dev/kvm"

static bool line_has_word(const char *line, size_t length, const char *word)
{
	size_t word_length = strlen(word);

	for (size_t i = 0; i + word_length <= length; i++) {
		bool starts = i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t';
		bool ends = i + word_length == length || line[i + word_length] == ' ' ||
			    line[i + word_length] == '\n';
		if (starts && ends && memcmp(line + i, word, word_length) == 0)
			return true;
	}
	return false;
}

bool cpuinfo_has_virtualization(const char *cpuinfo)
{
	for (const char *line = cpuinfo; *line;) {
		size_t length = strcspn(line, "\n");
		if (strncmp(line, "flags", 5) == 0 &&
		    (line_has_word(line, length, "vmx") || line_has_word(line, length, "svm")))
			return true;
		line += length + (line[length] == '\n');
	}
	return false;
}

static char *read_small_file(const char *path)
{
	FILE *file = fopen(path, "re");
	char *text = NULL;
	size_t size = 0;

	if (!file)
		return NULL;
	if (getdelim(&text, &size, '\0', file) < 0) {
		free(text);
		text = NULL;
	}
	fclose(file);
	return text;
}

/* Returns 0 when /dev/kvm opens read-write, else the errno. */
static int kvm_open_error(void)
{
	int fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static bool host_has_virtualization(void)
{
	char *cpuinfo = read_small_file("/proc/cpuinfo");
	bool found = cpuinfo && cpuinfo_has_virtualization(cpuinfo);
	free(cpuinfo);
	return found;
}

int accel_choose(enum accel_request request, enum accel_kind *chosen)
{
	int error;

	switch (request) {
	case ACCEL_TCG:
		*chosen = ACCEL_KIND_TCG;
		return 0;
	case ACCEL_KVM:
		error = kvm_open_error();
		if (error) {
			sole_error("--accel kvm: cannot open %s (%s); join the kvm group, or use --accel tcg",
				   KVM_DEVICE, strerror(error));
			return EXIT_SOLE_ERROR;
		}
		*chosen = ACCEL_KIND_KVM;
		return 0;
	case ACCEL_AUTO:
		break;
	}
	*chosen = kvm_open_error() == 0 && host_has_virtualization() ? ACCEL_KIND_KVM : ACCEL_KIND_TCG;
	return 0;
}
