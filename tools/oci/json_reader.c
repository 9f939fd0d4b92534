/* A small JSON reader, see json_reader.h: recursive descent over the text. */
#include "json_reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define MAX_DEPTH 64

struct parser {
	const char *text;
	size_t at;
	char *problem;
	size_t problem_size;
	bool failed;
};

static void fail(struct parser *p, const char *what)
{
	if (!p->failed)
		snprintf(p->problem, p->problem_size, "%s at byte %zu", what, p->at);
	p->failed = true;
}

static void skip_space(struct parser *p)
{
	while (strchr(" \t\r\n", p->text[p->at]) && p->text[p->at])
		p->at++;
}

static bool take(struct parser *p, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(p->text + p->at, word, n) != 0)
		return false;
	p->at += n;
	return true;
}

static void append_utf8(char **out, size_t *length, uint32_t code)
{
	char bytes[4];
	size_t n;
	if (code < 0x80) {
		bytes[0] = (char)code;
		n = 1;
	} else if (code < 0x800) {
		bytes[0] = (char)(0xc0 | code >> 6);
		bytes[1] = (char)(0x80 | (code & 0x3f));
		n = 2;
	} else if (code < 0x10000) {
		bytes[0] = (char)(0xe0 | code >> 12);
		bytes[1] = (char)(0x80 | ((code >> 6) & 0x3f));
		bytes[2] = (char)(0x80 | (code & 0x3f));
		n = 3;
	} else {
		bytes[0] = (char)(0xf0 | code >> 18);
		bytes[1] = (char)(0x80 | ((code >> 12) & 0x3f));
		bytes[2] = (char)(0x80 | ((code >> 6) & 0x3f));
		bytes[3] = (char)(0x80 | (code & 0x3f));
		n = 4;
	}
	*out = xrealloc(*out, *length + n + 1);
	memcpy(*out + *length, bytes, n);
	*length += n;
}

static int hex4(struct parser *p, uint32_t *code)
{
	*code = 0;
	for (int i = 0; i < 4; i++) {
		char c = p->text[p->at++];
		int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (digit < 0) {
			fail(p, "a bad \\u escape");
			return -1;
		}
		*code = *code << 4 | (uint32_t)digit;
	}
	return 0;
}

/* p->at is past the opening quote. */
static char *parse_string(struct parser *p)
{
	char *out = xmalloc(1);
	size_t length = 0;
	for (;;) {
		unsigned char c = (unsigned char)p->text[p->at++];
		if (c == '"')
			break;
		if (c < 0x20) {
			p->at--;
			fail(p, c ? "a control character in a string" : "an unterminated string");
			free(out);
			return NULL;
		}
		if (c != '\\') {
			out = xrealloc(out, length + 2);
			out[length++] = (char)c;
			continue;
		}
		char e = p->text[p->at++];
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *known = e ? strchr(from, e) : NULL;
		if (known) {
			out = xrealloc(out, length + 2);
			out[length++] = to[known - from];
		} else if (e == 'u') {
			uint32_t code, low;
			if (hex4(p, &code) != 0) {
				free(out);
				return NULL;
			}
			if (code >= 0xd800 && code < 0xdc00 && take(p, "\\u")) {
				if (hex4(p, &low) != 0) {
					free(out);
					return NULL;
				}
				code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
			}
			append_utf8(&out, &length, code);
		} else {
			fail(p, "a bad escape in a string");
			free(out);
			return NULL;
		}
	}
	out[length] = '\0';
	return out;
}

static struct json_value *parse_value(struct parser *p, int depth);

static void add_item(struct json_value *container, char *key, struct json_value *item)
{
	container->items = xrealloc(container->items, (container->count + 1) * sizeof(*container->items));
	if (container->type == JSON_OBJECT) {
		container->keys = xrealloc(container->keys, (container->count + 1) * sizeof(*container->keys));
		container->keys[container->count] = key;
	}
	container->items[container->count++] = item;
}

/* An array or object; p->at is past its opening bracket. */
static struct json_value *parse_container(struct parser *p, struct json_value *v, int depth)
{
	char close = v->type == JSON_ARRAY ? ']' : '}';
	skip_space(p);
	if (p->text[p->at] == close) {
		p->at++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		skip_space(p);
		if (v->type == JSON_OBJECT) {
			if (p->text[p->at] != '"') {
				fail(p, "an object key must be a string");
				break;
			}
			p->at++;
			if (!(key = parse_string(p)))
				break;
			skip_space(p);
			if (p->text[p->at++] != ':') {
				p->at--;
				fail(p, "':' expected after an object key");
				free(key);
				break;
			}
		}
		struct json_value *item = parse_value(p, depth + 1);
		if (!item) {
			free(key);
			break;
		}
		add_item(v, key, item);
		skip_space(p);
		char c = p->text[p->at++];
		if (c == close)
			return v;
		if (c != ',') {
			p->at--;
			fail(p, v->type == JSON_ARRAY ? "',' or ']' expected" : "',' or '}' expected");
			break;
		}
	}
	json_free(v);
	return NULL;
}

static struct json_value *parse_value(struct parser *p, int depth)
{
	skip_space(p);
	if (depth > MAX_DEPTH) {
		fail(p, "nested too deeply");
		return NULL;
	}
	struct json_value *v = xcalloc(1, sizeof(*v));
	char c = p->text[p->at];
	if (take(p, "null")) {
		v->type = JSON_NULL;
	} else if (take(p, "true") || take(p, "false")) {
		v->type = JSON_BOOL;
		v->boolean = c == 't';
	} else if (c == '"') {
		p->at++;
		v->type = JSON_STRING;
		if (!(v->string = parse_string(p))) {
			free(v);
			return NULL;
		}
	} else if (c == '[' || c == '{') {
		p->at++;
		v->type = c == '[' ? JSON_ARRAY : JSON_OBJECT;
		return parse_container(p, v, depth);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		char *end;
		v->type = JSON_NUMBER;
		v->number = strtod(p->text + p->at, &end);
		p->at = (size_t)(end - p->text);
	} else {
		fail(p, c ? "a value expected" : "unexpected end of the text");
		free(v);
		return NULL;
	}
	return v;
}

struct json_value *json_parse(const char *text, char *problem, size_t problem_size)
{
	struct parser p = {.text = text, .problem = problem, .problem_size = problem_size};
	struct json_value *v = parse_value(&p, 0);
	skip_space(&p);
	if (v && p.text[p.at]) {
		fail(&p, "text after the value");
		json_free(v);
		return NULL;
	}
	return v;
}

void json_free(struct json_value *value)
{
	if (!value)
		return;
	for (size_t i = 0; i < value->count; i++) {
		json_free(value->items[i]);
		if (value->keys)
			free(value->keys[i]);
	}
	free(value->items);
	free(value->keys);
	free(value->string);
	free(value);
}

const struct json_value *json_member(const struct json_value *value, const char *key)
{
	if (!value || value->type != JSON_OBJECT)
		return NULL;
	for (size_t i = value->count; i-- > 0;) /* a repeated key: the last wins */
		if (strcmp(value->keys[i], key) == 0)
			return value->items[i];
	return NULL;
}

const char *json_string_member(const struct json_value *value, const char *key)
{
	const struct json_value *member = json_member(value, key);
	return member && member->type == JSON_STRING ? member->string : NULL;
}

void json_write_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}
