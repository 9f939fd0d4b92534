/* Parses the crash record the kernel sends, see crash_record.h. */
#include "crash_record.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byte_buffer.h"
#include "xalloc.h"

#define STACK_LIMIT (1u << 20) /* more than any kernel sends: a bad range is ignored */

/* One "stack ADDR HEX" line, kept until the range is known. */
struct stack_chunk {
	uint64_t address;
	struct byte_buffer bytes;
};

struct stack_chunks {
	struct stack_chunk *items;
	size_t count;
	bool have_range;
};

static void parse_map(struct crash_record *record, const char *text)
{
	struct crash_map map = {0};
	int path_at = 0;

	if (sscanf(text, "%" SCNx64 " %" SCNx64 " %3s %" SCNx64 " %n", &map.start, &map.end, map.prot, &map.offset,
	           &path_at) < 4)
		return;
	map.path = path_at ? text + path_at : "";
	record->maps = xrealloc(record->maps, (record->map_count + 1) * sizeof(*record->maps));
	record->maps[record->map_count++] = map;
}

/* "NAME VALUE", what follows "reg ". */
static void parse_register(struct crash_record *record, const char *name)
{
	const char *value = strchr(name, ' ');

	if (!value)
		return;
	record->registers = xrealloc(record->registers, (record->register_count + 1) * sizeof(*record->registers));
	record->registers[record->register_count++] = (struct crash_register){
	    .name = xasprintf("%.*s", (int)(value - name), name),
	    .value = strtoull(value + 1, NULL, 16),
	};
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void parse_stack_chunk(struct stack_chunks *chunks, const char *text)
{
	char *hex;
	struct stack_chunk chunk = {.address = strtoull(text, &hex, 16)};

	while (*hex == ' ')
		hex++;
	for (; hex_digit(hex[0]) >= 0 && hex_digit(hex[1]) >= 0; hex += 2) {
		uint8_t byte = (uint8_t)(hex_digit(hex[0]) << 4 | hex_digit(hex[1]));
		byte_buffer_append(&chunk.bytes, &byte, 1);
	}
	chunks->items = xrealloc(chunks->items, (chunks->count + 1) * sizeof(*chunks->items));
	chunks->items[chunks->count++] = chunk;
}

static void parse_stack_range(struct crash_record *record, struct stack_chunks *chunks, const char *text)
{
	char *end;

	record->stack_start = strtoull(text, &end, 16);
	record->stack_end = strtoull(end, NULL, 16);
	chunks->have_range = true;
}

/* Lays the chunks out over the range; the bytes between them are zeros. A
 * record cut short has no range line: then the chunks span it. The
 * addresses come from the guest: a chunk is checked against the range
 * without adding its length to its address, which may wrap around. */
static void assemble_stack(struct crash_record *record, struct stack_chunks *chunks)
{
	if (!chunks->have_range && chunks->count > 0) {
		record->stack_start = chunks->items[0].address;
		for (size_t i = 0; i < chunks->count; i++)
			if (chunks->items[i].address + chunks->items[i].bytes.length > record->stack_end)
				record->stack_end = chunks->items[i].address + chunks->items[i].bytes.length;
	}
	if (record->stack_end <= record->stack_start || record->stack_end - record->stack_start > STACK_LIMIT)
		record->stack_start = record->stack_end = 0;
	if (record->stack_end > record->stack_start)
		record->stack = xcalloc(1, record->stack_end - record->stack_start);
	for (size_t i = 0; i < chunks->count; i++) {
		struct stack_chunk *chunk = &chunks->items[i];
		if (record->stack && chunk->bytes.length && chunk->address >= record->stack_start &&
		    chunk->address < record->stack_end && chunk->bytes.length <= record->stack_end - chunk->address)
			memcpy(record->stack + (chunk->address - record->stack_start), chunk->bytes.data,
			       chunk->bytes.length);
		byte_buffer_free(&chunk->bytes);
	}
	free(chunks->items);
}

static void parse_line(struct crash_record *record, struct stack_chunks *chunks, const char *line)
{
	size_t key_length = strcspn(line, " ");
	const char *value = line + key_length + (line[key_length] == ' ');

#define KEY_IS(name) (key_length == strlen(name) && strncmp(line, name, key_length) == 0)
	if (KEY_IS("kind"))
		record->kernel_panic = strcmp(value, "kernel-panic") == 0;
	else if (KEY_IS("signal"))
		record->signal = atoi(value);
	else if (KEY_IS("pid"))
		record->pid = atoi(value);
	else if (KEY_IS("exe"))
		record->exe = value;
	else if (KEY_IS("cause"))
		record->cause = value;
	else if (KEY_IS("detail"))
		record->detail = value;
	else if (KEY_IS("addr"))
		record->addr = value;
	else if (KEY_IS("error"))
		record->error = value;
	else if (KEY_IS("reg"))
		parse_register(record, value);
	else if (KEY_IS("frame")) {
		record->frames = xrealloc(record->frames, (record->frame_count + 1) * sizeof(uint64_t));
		record->frames[record->frame_count++] = strtoull(value, NULL, 16);
	} else if (KEY_IS("map"))
		parse_map(record, value);
	else if (KEY_IS("stack"))
		parse_stack_chunk(chunks, value);
	else if (KEY_IS("stack-range"))
		parse_stack_range(record, chunks, value);
		/* "crash", "end" and lines from newer kernels carry nothing to use */
#undef KEY_IS
}

void crash_record_parse(struct crash_record *record, const struct string_list *lines)
{
	struct stack_chunks chunks = {0};

	*record = (struct crash_record){0};
	for (size_t i = 0; i < lines->count; i++)
		parse_line(record, &chunks, lines->items[i]);
	assemble_stack(record, &chunks);
}

void crash_record_free(struct crash_record *record)
{
	for (size_t i = 0; i < record->register_count; i++)
		free((char *)record->registers[i].name);
	free(record->registers);
	free(record->frames);
	free(record->maps);
	free(record->stack);
	*record = (struct crash_record){0};
}

bool crash_record_register(const struct crash_record *record, const char *name, uint64_t *value)
{
	for (size_t i = 0; i < record->register_count; i++) {
		if (strcmp(record->registers[i].name, name) == 0) {
			*value = record->registers[i].value;
			return true;
		}
	}
	return false;
}

const struct crash_map *crash_record_map_at(const struct crash_record *record, uint64_t address)
{
	for (size_t i = 0; i < record->map_count; i++)
		if (address >= record->maps[i].start && address < record->maps[i].end)
			return &record->maps[i];
	return NULL;
}
