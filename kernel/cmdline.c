/* The kernel command line: a copy taken at boot, searched by key. */
#include "kernel/cmdline.h"

#include <string.h>

#define CMDLINE_MAX 2048

static char line_copy[CMDLINE_MAX];

void cmdline_init(const char *line)
{
	line_copy[0] = '\0';
	if (line) {
		strncpy(line_copy, line, sizeof line_copy - 1);
		line_copy[sizeof line_copy - 1] = '\0';
	}
}

const char *cmdline_text(void) { return line_copy; }

bool cmdline_get(const char *key, unsigned n, char *value, size_t size)
{
	size_t key_len = strlen(key);
	const char *p = line_copy;
	while (*p) {
		while (*p == ' ')
			p++;
		/* Not strcspn: musl builds it with the stack protector, which
		 * reads the TLS canary the kernel does not have. */
		size_t word_len = 0;
		while (p[word_len] && p[word_len] != ' ')
			word_len++;
		if (word_len > key_len && strncmp(p, key, key_len) == 0 && p[key_len] == '=' && n-- == 0) {
			size_t value_len = word_len - key_len - 1;
			if (size == 0)
				return true;
			if (value_len >= size)
				value_len = size - 1;
			memcpy(value, p + key_len + 1, value_len);
			value[value_len] = '\0';
			return true;
		}
		p += word_len;
	}
	return false;
}
