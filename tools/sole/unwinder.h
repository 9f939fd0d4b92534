/* Walks the crashed thread's stack on the host with libunwind's remote
 * interface: by DWARF CFI where the code has it, and by scanning the stack
 * for return addresses where it has none. */
#ifndef SOLE_UNWINDER_H
#define SOLE_UNWINDER_H

#include <stddef.h>
#include <stdint.h>

#include "crash_objects.h"

enum frame_source {
	FRAME_FROM_REGISTERS,      /* rip itself */
	FRAME_FROM_CFI,            /* the caller, found through call frame information */
	FRAME_FROM_SCAN,           /* a return address found by scanning the stack: a guess */
	FRAME_FROM_FRAME_POINTERS, /* the kernel's rbp chain */
};

struct unwound_frame {
	uint64_t pc;
	enum frame_source source;
};

struct backtrace {
	struct unwound_frame *frames;
	size_t count;
	char *stop_reason; /* why the walk ended early; NULL when it reached the outermost frame */
};

/* Unwinds from the record's registers through its recorded stack. */
void unwind_user_stack(const struct crash_objects *objects, struct backtrace *backtrace);
void backtrace_add(struct backtrace *backtrace, uint64_t pc, enum frame_source source);
void backtrace_free(struct backtrace *backtrace);

#endif
