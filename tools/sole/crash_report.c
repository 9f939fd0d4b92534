/* Turns the crash record the kernel sent (docs/crash-record.md) into a report
 * on stderr: what killed the app or the kernel, the registers, and a
 * backtrace named with the kernel's and the app's symbol tables. */
#define _GNU_SOURCE
#include "crash_report.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "elf_symbols.h"
#include "exit_codes.h"
#include "xalloc.h"

#define KERNEL_SPACE_START UINT64_C(0xffff800000000000)
#define PAGE_MASK (~UINT64_C(0xfff))
#define REGISTERS_PER_LINE 4

struct crash_map {
	uint64_t start;
	uint64_t end;
	uint64_t offset;
	char prot[8];
	char path[256]; /* empty for anonymous memory */
};

struct crash_record {
	bool kernel_panic;
	int signal;
	const char *cause;   /* these point into the record's lines */
	const char *detail;
	const char *addr;
	const char *error;
	bool have_rip;
	uint64_t rip;
	struct string_list registers; /* "rip 0x401136" */
	uint64_t *frames;
	size_t frame_count;
	struct crash_map *maps;
	size_t map_count;
};

/* Symbol tables and the app's load base, for naming addresses. */
struct symbolizer {
	const struct crash_context *context;
	const struct crash_record *record;
	struct elf_symbols *kernel;
	struct elf_symbols *app;
	uint64_t app_load_bias;
};

static void parse_map(struct crash_record *record, const char *text)
{
	struct crash_map map = {0};

	if (sscanf(text, "%" SCNx64 " %" SCNx64 " %7s %" SCNx64 " %255[^\n]", &map.start, &map.end,
		   map.prot, &map.offset, map.path) < 4)
		return;
	record->maps = xrealloc(record->maps, (record->map_count + 1) * sizeof(*record->maps));
	record->maps[record->map_count++] = map;
}

static void parse_line(struct crash_record *record, const char *line)
{
	size_t key_length = strcspn(line, " ");
	const char *value = line + key_length + (line[key_length] == ' ');

#define KEY_IS(name) (key_length == strlen(name) && strncmp(line, name, key_length) == 0)
	if (KEY_IS("kind")) {
		record->kernel_panic = strcmp(value, "kernel-panic") == 0;
	} else if (KEY_IS("signal")) {
		record->signal = atoi(value);
	} else if (KEY_IS("cause")) {
		record->cause = value;
	} else if (KEY_IS("detail")) {
		record->detail = value;
	} else if (KEY_IS("addr")) {
		record->addr = value;
	} else if (KEY_IS("error")) {
		record->error = value;
	} else if (KEY_IS("reg")) {
		string_list_append(&record->registers, value);
		if (strncmp(value, "rip ", 4) == 0) {
			record->rip = strtoull(value + 4, NULL, 16);
			record->have_rip = true;
		}
	} else if (KEY_IS("frame")) {
		record->frames = xrealloc(record->frames, (record->frame_count + 1) * sizeof(uint64_t));
		record->frames[record->frame_count++] = strtoull(value, NULL, 16);
	} else if (KEY_IS("map")) {
		parse_map(record, value);
	} /* "crash", "end" and lines from newer kernels carry nothing to show */
#undef KEY_IS
}

static const struct crash_map *map_containing(const struct crash_record *record, uint64_t address)
{
	for (size_t i = 0; i < record->map_count; i++)
		if (address >= record->maps[i].start && address < record->maps[i].end)
			return &record->maps[i];
	return NULL;
}

/* A PIE's load bias: where its lowest mapping landed minus its lowest vaddr. */
static uint64_t app_load_bias(const struct symbolizer *names)
{
	uint64_t lowest_start = UINT64_MAX;

	if (!names->app || !names->app->position_independent)
		return 0;
	for (size_t i = 0; i < names->record->map_count; i++) {
		const struct crash_map *map = &names->record->maps[i];
		if (strcmp(map->path, names->context->app_guest_path) == 0 && map->start < lowest_start)
			lowest_start = map->start;
	}
	return lowest_start == UINT64_MAX ? 0 : lowest_start - (names->app->lowest_address & PAGE_MASK);
}

static void print_symbol(FILE *out, const struct elf_symbols *table, uint64_t address,
			 const char *where)
{
	const struct elf_symbol *symbol = table ? elf_symbols_find(table, address) : NULL;

	if (symbol)
		fprintf(out, " in %s+0x%" PRIx64 " (%s)\n", symbol->name, address - symbol->address, where);
	else if (table)
		fprintf(out, " (%s, no symbol covers it)\n", where);
	else
		fprintf(out, " (%s, its symbols could not be read)\n", where);
}

/* Says what an app-space address belongs to when it is not the app binary. */
static void print_other_mapping(FILE *out, const struct crash_map *map, uint64_t address)
{
	if (!map)
		fprintf(out, " (not in any mapping the kernel reported)\n");
	else if (map->path[0])
		fprintf(out, " in %s+0x%" PRIx64 "\n", map->path, address - map->start + map->offset);
	else
		fprintf(out, " (anonymous %s memory at +0x%" PRIx64 ")\n", map->prot, address - map->start);
}

static void print_address(FILE *out, const struct symbolizer *names, unsigned index, uint64_t address)
{
	const struct crash_record *record = names->record;
	const char *app = names->context->app_guest_path;

	fprintf(out, "  #%u 0x%" PRIx64, index, address);
	if (address >= KERNEL_SPACE_START) {
		print_symbol(out, names->kernel, address, "kernel");
		return;
	}
	const struct crash_map *map = map_containing(record, address);
	bool in_app = map ? strcmp(map->path, app) == 0
			  : record->map_count == 0 && !(names->app && names->app->position_independent);
	if (in_app)
		print_symbol(out, names->app, address - names->app_load_bias, app);
	else
		print_other_mapping(out, map, address);
}

static void print_headline(FILE *out, const struct crash_record *record)
{
	const char *what = record->detail ? record->detail : record->cause ? record->cause : "no detail given";

	if (record->kernel_panic) {
		fprintf(out, "sole: kernel panic: %s", what);
	} else {
		const char *name = sigabbrev_np(record->signal);
		fprintf(out, "sole: app killed by SIG%s (signal %d): %s", name ? name : "?",
			record->signal, what);
	}
	if (record->have_rip)
		fprintf(out, " at rip 0x%" PRIx64, record->rip);
	fputc('\n', out);
	if (record->cause || record->addr || record->error)
		fprintf(out, "  cause %s%s%s%s%s\n", record->cause ? record->cause : "?",
			record->addr ? ", address " : "", record->addr ? record->addr : "",
			record->error ? ", error code " : "", record->error ? record->error : "");
}

static void print_registers(FILE *out, const struct crash_record *record)
{
	for (size_t i = 0; i < record->registers.count; i++) {
		const char *text = record->registers.items[i];
		if (i % REGISTERS_PER_LINE == REGISTERS_PER_LINE - 1 || i + 1 == record->registers.count)
			fprintf(out, "  %s\n", text);
		else
			fprintf(out, "  %-24s", text);
	}
}

/* rip first, then the frames (the first frame is often rip again). */
static void print_backtrace(FILE *out, const struct symbolizer *names)
{
	const struct crash_record *record = names->record;
	unsigned index = 0;

	if (!record->have_rip && record->frame_count == 0)
		return;
	fprintf(out, "  backtrace:\n");
	if (record->have_rip)
		print_address(out, names, index++, record->rip);
	for (size_t i = 0; i < record->frame_count; i++)
		if (!(i == 0 && record->have_rip && record->frames[0] == record->rip))
			print_address(out, names, index++, record->frames[i]);
}

int crash_report_print(FILE *out, const struct string_list *lines, const struct crash_context *context)
{
	struct crash_record record = {0};

	for (size_t i = 0; i < lines->count; i++)
		parse_line(&record, lines->items[i]);
	struct symbolizer names = {
		.context = context,
		.record = &record,
		.kernel = context->kernel_elf ? elf_symbols_load(context->kernel_elf) : NULL,
		.app = context->app_host_path ? elf_symbols_load(context->app_host_path) : NULL,
	};
	names.app_load_bias = app_load_bias(&names);
	print_headline(out, &record);
	print_registers(out, &record);
	print_backtrace(out, &names);

	int status = record.kernel_panic || record.signal <= 0 ? EXIT_SOLE_ERROR
							      : EXIT_SIGNAL_BASE + record.signal;
	elf_symbols_free(names.kernel);
	elf_symbols_free(names.app);
	string_list_free(&record.registers);
	free(record.frames);
	free(record.maps);
	return status;
}
