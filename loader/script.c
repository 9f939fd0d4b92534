/* The "#!" line, see script.h. */
#include "loader/script.h"

#include <string.h>

static bool blank(char c) { return c == ' ' || c == '\t'; }

bool script_is_script(const char *head, size_t len) { return len >= 2 && head[0] == '#' && head[1] == '!'; }

int script_parse(const char *head, size_t len, struct script_line *out)
{
	memset(out, 0, sizeof *out);
	if (!script_is_script(head, len))
		return -1;
	/* Linux reads 256 bytes and looks at the first 255; a shorter file is
	 * padded with NULs, which end the name as a blank does. */
	bool buffer_full = len >= SCRIPT_LINE_MAX;
	if (len > SCRIPT_LINE_MAX - 1)
		len = SCRIPT_LINE_MAX - 1;
	size_t end = 2;
	while (end < len && head[end] != '\n')
		end++;
	bool line_ends = end < len || !buffer_full;
	size_t at = 2;
	while (at < end && blank(head[at]))
		at++;
	size_t name_start = at;
	while (at < end && !blank(head[at]) && head[at] != '\0')
		at++;
	size_t name_len = at - name_start;
	if (name_len == 0)
		return -1;
	/* A full buffer without a newline may have cut the name: Linux
	 * refuses a line that is all interpreter. */
	if (!line_ends && at == end)
		return -1;
	memcpy(out->interpreter, head + name_start, name_len);
	while (at < end && blank(head[at]))
		at++;
	size_t arg_end = end;
	while (arg_end > at && (blank(head[arg_end - 1]) || head[arg_end - 1] == '\0'))
		arg_end--;
	const char *nul = memchr(head + at, '\0', arg_end - at);
	if (nul)
		arg_end = (size_t)(nul - head);
	if (arg_end > at) {
		memcpy(out->argument, head + at, arg_end - at);
		out->has_argument = true;
	}
	return 0;
}
