/* A growable list of owned strings, always NULL-terminated so that it can be
 * handed to execvp as it is. */
#include "string_list.h"

#include <stdlib.h>

#include "xalloc.h"

void string_list_append_owned(struct string_list *list, char *text)
{
	/* one spare slot for the terminating NULL */
	if (list->count + 2 > list->capacity) {
		list->capacity = list->capacity ? list->capacity * 2 : 8;
		list->items = xrealloc(list->items, list->capacity * sizeof(*list->items));
	}
	list->items[list->count++] = text;
	list->items[list->count] = NULL;
}

void string_list_append(struct string_list *list, const char *text)
{
	string_list_append_owned(list, xstrdup(text));
}

void string_list_free(struct string_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	*list = (struct string_list){0};
}
