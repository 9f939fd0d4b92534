/* Disassembles every code section of a binary_image with Capstone into a
 * compact array: for each instruction only what the coverage analysis needs
 * (control flow, the registers it writes, constants and copies it makes, the
 * addresses it refers to). */
#ifndef SOLE_COVERAGE_INSTRUCTION_DECODE_H
#define SOLE_COVERAGE_INSTRUCTION_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "binary_image.h"

enum insn_kind {
	INSN_OTHER,
	INSN_CALL,
	INSN_JUMP,      /* unconditional */
	INSN_COND_JUMP, /* jcc, loop, jrcxz */
	INSN_RETURN,
	INSN_STOP, /* hlt, ud2: no fall-through */
	INSN_SYSCALL,
	INSN_PADDING, /* nop, int3: what linkers put between functions */
};

/* What the address an instruction names is. */
enum insn_reference { REFERENCE_NONE, REFERENCE_GOT, REFERENCE_CODE, REFERENCE_DATA };

enum insn_value { VALUE_NONE, VALUE_CONSTANT, VALUE_COPY };
enum insn_flags { FLAGS_NONE, FLAGS_TEST_SELF, FLAGS_COMPARE_IMMEDIATE };
enum insn_condition { CONDITION_OTHER, CONDITION_EQUAL, CONDITION_NOT_EQUAL };

struct decoded_insn {
	uint64_t address;
	uint64_t branch_target; /* direct call or jump target; 0 when indirect */
	uint64_t reference;     /* the GOT slot, code or data address it names (enum insn_reference) */
	int64_t constant;       /* VALUE_CONSTANT: the value; FLAGS_COMPARE_IMMEDIATE: the immediate */
	uint16_t writes;        /* bit per enum gpr */
	uint8_t size;
	uint8_t kind;           /* enum insn_kind */
	uint8_t value;          /* enum insn_value: what the destination receives */
	uint8_t destination;    /* enum gpr of a VALUE_* move */
	uint8_t source;         /* enum gpr of a VALUE_COPY */
	uint8_t flags;          /* enum insn_flags: what a following jcc tests */
	uint8_t flags_register; /* enum gpr tested */
	uint8_t condition;      /* enum insn_condition of a jcc */
	uint8_t reference_kind; /* enum insn_reference */
};

struct decoded_code {
	struct decoded_insn *insns; /* sorted by address */
	size_t count;
};

/* Returns 0, or -1 with one line in problem (Capstone failed to start). */
int instruction_decode(const struct binary_image *image, struct decoded_code *code, char *problem,
		       size_t problem_size);
/* Index of the instruction at address, or SIZE_MAX. */
size_t decoded_code_find(const struct decoded_code *code, uint64_t address);
void decoded_code_free(struct decoded_code *code);

#endif
