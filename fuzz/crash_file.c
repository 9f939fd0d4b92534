/* Fuzz target: how the host tool reads a crash: the crash file of `sole
 * symbolize FILE` (tools/sole/crash_file.c) and the crash record in it
 * (tools/sole/crash_record.c), the same parser that reads the record a
 * guest kernel sends over the console at a crash. The input is the file. */
#include <stdint.h>
#include <string.h>

#include "crash_file.h"
#include "crash_record.h"
#include "scratch_dir.h"

/* What the target read, kept so that the reads are not optimized away. */
static volatile uint8_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crash_file file;
	if (crash_file_read(scratch_write("crash", data, size), &file) == 0) {
		struct crash_record record;
		crash_record_parse(&record, &file.record);
		uint64_t rip = 0;
		crash_record_register(&record, "rip", &rip);
		crash_record_map_at(&record, rip);
		for (uint64_t at = record.stack_start; at < record.stack_end; at++)
			sink ^= record.stack[at - record.stack_start];
		crash_record_free(&record);
	}
	crash_file_free(&file);
	return 0;
}
