/* Where a register's value comes from at an instruction: a backward walk over
 * the decoded code (fall-through and direct jumps) that finds the constants
 * it may hold, or that it is still the caller's argument, or gives up. */
#include "register_values.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Bounds on one query: the walk gives up (unknown) rather than search far. */
#define WALK_STEPS 512
#define WALK_DEPTH 96

struct walk {
	const struct flow_index *flow;
	struct value_set *values;
	unsigned steps;
	struct {
		uint32_t index;
		uint8_t reg;
	} seen[WALK_STEPS];
	unsigned seen_count;
};

void flow_index_build(struct flow_index *flow, const struct decoded_code *code, const uint8_t *is_function_start)
{
	size_t count = code->count;
	uint32_t *counts = xcalloc(count + 1, sizeof(uint32_t));
	uint32_t *targets = xmalloc((count ? count : 1) * sizeof(uint32_t));

	*flow = (struct flow_index){.code = code, .is_function_start = xmalloc(count ? count : 1)};
	memcpy(flow->is_function_start, is_function_start, count);
	for (size_t i = 0; i < count; i++) {
		const struct decoded_insn *insn = &code->insns[i];
		size_t target = SIZE_MAX;
		if ((insn->kind == INSN_JUMP || insn->kind == INSN_COND_JUMP) && insn->branch_target)
			target = decoded_code_find(code, insn->branch_target);
		targets[i] = target == SIZE_MAX ? UINT32_MAX : (uint32_t)target;
		if (target != SIZE_MAX)
			counts[target + 1]++;
	}
	for (size_t i = 0; i < count; i++)
		counts[i + 1] += counts[i];
	flow->jump_source_begin = counts;
	flow->jump_sources = xmalloc((counts[count] ? counts[count] : 1) * sizeof(uint32_t));
	uint32_t *fill = xmalloc((count ? count : 1) * sizeof(uint32_t));
	memcpy(fill, counts, count * sizeof(uint32_t));
	for (size_t i = 0; i < count; i++)
		if (targets[i] != UINT32_MAX)
			flow->jump_sources[fill[targets[i]]++] = (uint32_t)i;
	free(fill);
	free(targets);
}

void flow_index_free(struct flow_index *flow)
{
	free(flow->is_function_start);
	free(flow->jump_source_begin);
	free(flow->jump_sources);
	*flow = (struct flow_index){0};
}

static void add_constant(struct value_set *values, int64_t constant)
{
	for (unsigned i = 0; i < values->constant_count; i++)
		if (values->constants[i] == constant)
			return;
	if (values->constant_count == VALUE_SET_CONSTANTS)
		values->unknown = true;
	else
		values->constants[values->constant_count++] = constant;
}

static void visit(struct walk *walk, size_t index, enum gpr reg, unsigned depth);

/* The instruction at index p runs just before: does it set reg? */
static void examine(struct walk *walk, size_t p, enum gpr reg, unsigned depth)
{
	const struct decoded_insn *insn = &walk->flow->code->insns[p];
	if (!(insn->writes & (1u << reg))) {
		visit(walk, p, reg, depth + 1);
	} else if (insn->value == VALUE_CONSTANT && insn->destination == reg) {
		add_constant(walk->values, insn->constant);
	} else if (insn->value == VALUE_COPY && insn->destination == reg) {
		visit(walk, p, (enum gpr)insn->source, depth + 1);
	} else {
		walk->values->unknown = true;
	}
}

/* Arriving from the instruction at p (a fall-through or a jump): a jcc right
 * after "test reg, reg" or "cmp reg, imm" tells the value on one of its edges. */
static void arrive_from(struct walk *walk, size_t p, bool fall_through, enum gpr reg, unsigned depth)
{
	const struct decoded_insn *insns = walk->flow->code->insns;
	const struct decoded_insn *jump = &insns[p];

	if (jump->kind == INSN_COND_JUMP && p > 0) {
		const struct decoded_insn *test = &insns[p - 1];
		bool equal_edge = fall_through ? jump->condition == CONDITION_NOT_EQUAL
					       : jump->condition == CONDITION_EQUAL;
		if (equal_edge && test->flags != FLAGS_NONE && test->flags_register == reg &&
		    test->address + test->size == jump->address) {
			add_constant(walk->values, test->flags == FLAGS_TEST_SELF ? 0 : test->constant);
			return;
		}
	}
	examine(walk, p, reg, depth);
}

static bool already_seen(struct walk *walk, size_t index, enum gpr reg)
{
	for (unsigned i = 0; i < walk->seen_count; i++)
		if (walk->seen[i].index == index && walk->seen[i].reg == reg)
			return true;
	walk->seen[walk->seen_count].index = (uint32_t)index;
	walk->seen[walk->seen_count].reg = (uint8_t)reg;
	walk->seen_count++;
	return false;
}

/* Finds what reg holds just before instruction index. */
static void visit(struct walk *walk, size_t index, enum gpr reg, unsigned depth)
{
	const struct flow_index *flow = walk->flow;
	const struct decoded_insn *insns = flow->code->insns;

	if (depth > WALK_DEPTH || walk->steps++ >= WALK_STEPS) {
		walk->values->unknown = true;
		return;
	}
	if (already_seen(walk, index, reg)) /* a loop: its other entries decide */
		return;
	if (flow->is_function_start[index]) {
		int argument = argument_index(reg);
		if (argument >= 0)
			walk->values->argument_mask |= (uint8_t)(1u << argument);
		else
			walk->values->unknown = true;
		return;
	}
	bool any = false;
	if (index > 0) {
		const struct decoded_insn *before = &insns[index - 1];
		if (before->address + before->size == insns[index].address && before->kind != INSN_JUMP &&
		    before->kind != INSN_RETURN && before->kind != INSN_STOP) {
			arrive_from(walk, index - 1, true, reg, depth);
			any = true;
		}
	}
	for (uint32_t i = flow->jump_source_begin[index]; i < flow->jump_source_begin[index + 1]; i++) {
		arrive_from(walk, flow->jump_sources[i], false, reg, depth);
		any = true;
	}
	/* no way in: padding after a jump is dead code; anything else is
	 * reached indirectly (a jump table) with values not known here */
	if (!any && insns[index].kind != INSN_PADDING)
		walk->values->unknown = true;
}

void register_values_before(const struct flow_index *flow, size_t index, enum gpr reg, struct value_set *values)
{
	struct walk *walk = xmalloc(sizeof(*walk));

	*values = (struct value_set){0};
	walk->flow = flow;
	walk->values = values;
	walk->steps = 0;
	walk->seen_count = 0;
	visit(walk, index, reg, 0);
	free(walk);
}
