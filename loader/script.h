/* "#!" scripts: reading the interpreter line, with Linux's rules
 * (fs/binfmt_script.c): at most the first 256 bytes are read; blanks after
 * "#!" are skipped; the interpreter runs to the next blank; whatever
 * follows, trimmed of blanks at both ends, is one argument, never split.
 * Pure code over bytes in memory: unit-tested on the host. */
#ifndef SOLE_SCRIPT_H
#define SOLE_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#define SCRIPT_LINE_MAX 256 /* BINPRM_BUF_SIZE */

struct script_line {
	char interpreter[SCRIPT_LINE_MAX];
	char argument[SCRIPT_LINE_MAX]; /* empty when there is none */
	bool has_argument;
};

/* Whether the file starts with "#!". */
bool script_is_script(const char *head, size_t len);
/* Parses the first len bytes (at most SCRIPT_LINE_MAX are looked at).
 * -1 (Linux: ENOEXEC) when no interpreter is named, or when the line fills
 * the buffer without ending and the interpreter's name is cut. */
int script_parse(const char *head, size_t len, struct script_line *out);

#endif
