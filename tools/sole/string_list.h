/* A growable list of owned strings, always NULL-terminated so that it can be
 * handed to execvp as it is. */
#ifndef SOLE_STRING_LIST_H
#define SOLE_STRING_LIST_H

#include <stddef.h>

struct string_list {
	char **items; /* items[count] is NULL once anything was added */
	size_t count;
	size_t capacity;
};

void string_list_append(struct string_list *list, const char *text);
void string_list_append_owned(struct string_list *list, char *text);
void string_list_free(struct string_list *list);

#endif
