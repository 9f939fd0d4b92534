/* Turns the crash record the kernel sent (docs/crash-record.md) into a report
 * on stderr: what killed the app or the kernel, a backtrace named with
 * symbols and source lines, and the registers. */
#define _GNU_SOURCE
#include "crash_report.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "crash_record.h"
#include "exit_codes.h"
#include "unwinder.h"

#define REGISTERS_PER_LINE 4
#define REPEATS_SHOWN 2 /* a run of identical frames (deep recursion) shows this many */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void print_source_frames(FILE *out, unsigned *index, uint64_t pc, const struct source_frames *frames,
                                const char *annotation)
{
	for (size_t i = 0; i < frames->count; i++) {
		const struct source_location *at = &frames->items[i];
		fprintf(out, "  #%u 0x%" PRIx64 " in %s", (*index)++, pc, at->function ? at->function : "??");
		if (at->file)
			fprintf(out, " (%s:%d)", base_name(at->file), at->line);
		fprintf(out, "%s%s\n", i + 1 < frames->count ? " [inlined]" : "", i == 0 ? annotation : "");
	}
}

/* Names pc by the symbol table alone, or says why it cannot. */
static void print_symbol(FILE *out, unsigned *index, const struct crash_objects *objects,
                         const struct crash_object *object, uint64_t pc, uint64_t lookup, const char *annotation)
{
	const struct crash_map *map = crash_record_map_at(objects->record, pc);
	const struct elf_symbol *symbol = object->symbols ? elf_symbols_find(object->symbols, lookup) : NULL;

	fprintf(out, "  #%u 0x%" PRIx64, (*index)++, pc);
	if (symbol)
		fprintf(out, " in %s+0x%" PRIx64 "%s\n", symbol->name, pc - object->bias - symbol->address, annotation);
	else if (object->elf)
		fprintf(out, " in %s+0x%" PRIx64 ", no symbol covers it%s\n", base_name(object->guest_path),
		        pc - object->bias, annotation);
	else if (object->kernel)
		fprintf(out, " (in the kernel; its symbols could not be read)%s\n", annotation);
	else
		fprintf(out, " in %s+0x%" PRIx64 " (not found on the host)%s\n", object->guest_path,
		        map ? pc - map->start + map->offset : pc - object->start, annotation);
}

/* Says what an address that belongs to no ELF file is. */
static void print_unmapped(FILE *out, unsigned *index, const struct crash_record *record, uint64_t pc,
                           const char *annotation)
{
	const struct crash_map *map = crash_record_map_at(record, pc);

	fprintf(out, "  #%u 0x%" PRIx64, (*index)++, pc);
	if (pc >= KERNEL_SPACE_START)
		fprintf(out, " (in the kernel; its symbols could not be read)%s\n", annotation);
	else if (map)
		fprintf(out, " (in %s%s memory at +0x%" PRIx64 ")%s\n", map->path[0] ? map->path : "anonymous ",
		        map->path[0] ? "" : map->prot, pc - map->start, annotation);
	else
		fprintf(out, " (not in any mapping)%s\n", annotation);
}

/* The annotation after a frame: how it was found, and the file it lies in
 * when that changed since the frame before. */
static void annotate(char *text, size_t size, const struct unwound_frame *frame, const struct crash_object *object,
                     const char **last_object)
{
	const char *file = object ? object->host_path : NULL;
	bool new_file = file && object->guest_path != *last_object;

	snprintf(text, size, "%s%s%s", frame->source == FRAME_FROM_SCAN ? "   [found by scanning the stack]" : "",
	         new_file ? "   " : "", new_file ? file : "");
	*last_object = object ? object->guest_path : NULL;
}

static void print_frame(FILE *out, unsigned *index, const struct crash_objects *objects,
                        const struct unwound_frame *frame, const char **last_object)
{
	const struct crash_object *object = crash_objects_find(objects, frame->pc);
	/* a return address points after the call: look up the call itself */
	uint64_t lookup = frame->pc - (frame->source == FRAME_FROM_REGISTERS ? 0 : 1);
	char annotation[512];

	annotate(annotation, sizeof(annotation), frame, object, last_object);
	if (!object) {
		print_unmapped(out, index, objects->record, frame->pc, annotation);
		return;
	}
	struct source_frames frames;
	source_lines_lookup(object->lines, lookup - object->bias, &frames);
	if (frames.count > 0 && frames.items[frames.count - 1].function)
		print_source_frames(out, index, frame->pc, &frames, annotation);
	else
		print_symbol(out, index, objects, object, frame->pc, lookup - object->bias, annotation);
	source_frames_free(&frames);
}

static void print_backtrace(FILE *out, const struct crash_objects *objects, const struct backtrace *backtrace)
{
	const char *last_object = NULL;
	unsigned index = 0;

	fprintf(out, "  backtrace:\n");
	for (size_t i = 0; i < backtrace->count; i++) {
		size_t run = 1;
		while (i + run < backtrace->count && backtrace->frames[i + run].pc == backtrace->frames[i].pc)
			run++;
		size_t shown = run > REPEATS_SHOWN + 1 ? REPEATS_SHOWN : run;
		for (size_t j = 0; j < shown; j++)
			print_frame(out, &index, objects, &backtrace->frames[i + j], &last_object);
		if (run > shown) {
			fprintf(out, "  ... the frame above repeats %zu more times (recursion)\n", run - shown);
			index += (unsigned)(run - shown);
		}
		i += run - 1;
	}
	if (backtrace->stop_reason)
		fprintf(out, "  backtrace stopped: %s\n", backtrace->stop_reason);
}

static void print_headline(FILE *out, const struct crash_record *record)
{
	const char *what = record->detail && *record->detail ? record->detail
	                   : record->cause                   ? record->cause
	                                                     : "no detail given";
	uint64_t rip;

	if (record->kernel_panic) {
		fprintf(out, "sole: kernel panic: %s", what);
	} else {
		const char *name = sigabbrev_np(record->signal);
		fprintf(out, "sole: app killed by SIG%s (signal %d): %s", name ? name : "?", record->signal, what);
	}
	if (crash_record_register(record, "rip", &rip))
		fprintf(out, " at rip 0x%" PRIx64, rip);
	fputc('\n', out);
	if (record->pid)
		fprintf(out, "  process %d (%s)\n", record->pid, record->exe ? record->exe : "?");
}

static void print_cause_and_registers(FILE *out, const struct crash_record *record)
{
	if (record->cause || record->addr || record->error)
		fprintf(out, "  cause %s%s%s%s%s\n", record->cause ? record->cause : "?",
		        record->addr ? ", address " : "", record->addr ? record->addr : "",
		        record->error ? ", error code " : "", record->error ? record->error : "");
	for (size_t i = 0; i < record->register_count; i++) {
		char text[48];
		snprintf(text, sizeof(text), "%s 0x%" PRIx64, record->registers[i].name, record->registers[i].value);
		if (i % REGISTERS_PER_LINE == REGISTERS_PER_LINE - 1 || i + 1 == record->register_count)
			fprintf(out, "  %s\n", text);
		else
			fprintf(out, "  %-24s", text);
	}
}

/* The kernel walks its own frame pointers: rip, then the frame lines (the
 * first of which often repeats rip). */
static void kernel_backtrace(const struct crash_record *record, struct backtrace *backtrace)
{
	uint64_t rip;
	bool have_rip = crash_record_register(record, "rip", &rip);

	if (have_rip)
		backtrace_add(backtrace, rip, FRAME_FROM_REGISTERS);
	for (size_t i = 0; i < record->frame_count; i++)
		if (!(i == 0 && have_rip && record->frames[0] == rip))
			backtrace_add(backtrace, record->frames[i], FRAME_FROM_FRAME_POINTERS);
}

int crash_report_print(FILE *out, const struct string_list *lines, const struct crash_context *context)
{
	struct crash_record record;
	struct crash_objects objects;
	struct backtrace backtrace = {0};
	uint64_t rip;

	crash_record_parse(&record, lines);
	crash_objects_load(&objects, &record, context);
	if (record.frame_count > 0 || (crash_record_register(&record, "rip", &rip) && rip >= KERNEL_SPACE_START))
		kernel_backtrace(&record, &backtrace);
	else if (record.register_count > 0)
		unwind_user_stack(&objects, &backtrace);
	print_headline(out, &record);
	if (backtrace.count > 0)
		print_backtrace(out, &objects, &backtrace);
	print_cause_and_registers(out, &record);

	int status = record.kernel_panic || record.signal <= 0 ? EXIT_SOLE_ERROR : EXIT_SIGNAL_BASE + record.signal;
	backtrace_free(&backtrace);
	crash_objects_free(&objects);
	crash_record_free(&record);
	return status;
}
