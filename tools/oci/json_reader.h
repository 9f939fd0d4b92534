/* A small JSON reader for what an OCI runtime reads (config.json, its own
 * state.json): the whole text parsed into a tree of values, strings
 * decoded to UTF-8, numbers as doubles. No streaming, no comments. */
#ifndef SOLE_JSON_READER_H
#define SOLE_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
	enum json_type type;
	bool boolean;
	double number;
	char *string;               /* JSON_STRING, NUL-terminated (an embedded \u0000 ends it) */
	struct json_value **items;  /* JSON_ARRAY's elements, JSON_OBJECT's values */
	char **keys;                /* JSON_OBJECT's keys, parallel to items */
	size_t count;
};

/* Parses text (NUL-terminated). Returns the tree, or NULL with one line
 * (with the byte offset) in problem. */
struct json_value *json_parse(const char *text, char *problem, size_t problem_size);
void json_free(struct json_value *value);

/* An object's member, or NULL when value is not an object or lacks it. */
const struct json_value *json_member(const struct json_value *value, const char *key);
/* A member's string, or NULL when missing or not a string. */
const char *json_string_member(const struct json_value *value, const char *key);

/* Writes s as a JSON string, quotes included. */
void json_write_string(FILE *out, const char *s);

#endif
