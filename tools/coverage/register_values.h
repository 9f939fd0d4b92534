/* Where a register's value comes from at an instruction: a backward walk over
 * the decoded code (fall-through and direct jumps) that finds the constants
 * it may hold, or that it is still the caller's argument, or gives up. */
#ifndef SOLE_COVERAGE_REGISTER_VALUES_H
#define SOLE_COVERAGE_REGISTER_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "instruction_decode.h"
#include "x86_registers.h"

#define VALUE_SET_CONSTANTS 8

/* Everything the register may hold. */
struct value_set {
	int64_t constants[VALUE_SET_CONSTANTS];
	uint8_t constant_count;
	uint8_t argument_mask; /* bit k: the function's argument k, unchanged */
	bool unknown;          /* some path gives a value not known here */
};

/* The predecessors of each instruction: the one before it (when it falls
 * through) and the direct jumps to it; function starts end the walk. */
struct flow_index {
	const struct decoded_code *code;
	uint8_t *is_function_start;  /* per instruction */
	uint32_t *jump_source_begin; /* per instruction, plus one: a range of jump_sources */
	uint32_t *jump_sources;      /* instruction indexes of direct jumps, grouped by target */
};

void flow_index_build(struct flow_index *flow, const struct decoded_code *code, const uint8_t *is_function_start);
void flow_index_free(struct flow_index *flow);

/* The values reg may hold just before instruction index executes. */
void register_values_before(const struct flow_index *flow, size_t index, enum gpr reg, struct value_set *values);

#endif
