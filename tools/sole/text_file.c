/* Reading a small text file whole (see text_file.h). */
#include "text_file.h"

#include <stdio.h>

#include "xalloc.h"

#define CHUNK 65536

char *text_file_read(const char *path)
{
	FILE *in = fopen(path, "re");
	if (!in)
		return NULL;
	char *text = NULL;
	size_t size = 0, used = 0, got;
	do {
		text = xrealloc(text, size += CHUNK);
		got = fread(text + used, 1, size - used - 1, in);
		used += got;
	} while (got > 0);
	fclose(in);
	text[used] = '\0';
	return text;
}
