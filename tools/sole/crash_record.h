/* The crash record the kernel sends (docs/crash-record.md), parsed: what
 * happened, the registers, the app's mappings, the top of its stack and the
 * kernel's own backtrace. */
#ifndef SOLE_CRASH_RECORD_H
#define SOLE_CRASH_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "string_list.h"

struct crash_map {
	uint64_t start;
	uint64_t end;
	uint64_t offset;
	char prot[4];     /* "r-x" */
	const char *path; /* "" for anonymous memory */
};

struct crash_register {
	const char *name; /* "rip", "rsp", "rbp", "rax", ... */
	uint64_t value;
};

struct crash_record {
	bool kernel_panic;
	int signal;
	int pid; /* the process that died, 0 when the record does not say */
	const char *exe;
	const char *cause; /* these point into the record's lines; NULL when absent */
	const char *detail;
	const char *addr;
	const char *error;
	struct crash_register *registers;
	size_t register_count;
	uint64_t *frames; /* the kernel's frame-pointer backtrace */
	size_t frame_count;
	struct crash_map *maps;
	size_t map_count;
	uint64_t stack_start; /* the recorded stack bytes cover [stack_start, stack_end) */
	uint64_t stack_end;
	uint8_t *stack;
};

/* Parses the lines; unknown lines are skipped. The record points into lines,
 * which must outlive it. */
void crash_record_parse(struct crash_record *record, const struct string_list *lines);
void crash_record_free(struct crash_record *record);

bool crash_record_register(const struct crash_record *record, const char *name, uint64_t *value);
const struct crash_map *crash_record_map_at(const struct crash_record *record, uint64_t address);

#endif
