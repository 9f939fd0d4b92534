/* Disassembles every code section of a binary_image with Capstone into a
 * compact array of what the coverage analysis needs per instruction. */
#include "instruction_decode.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86_registers.h"
#include "xalloc.h"

struct decoder {
	csh handle;
	const struct binary_image *image;
	struct decoded_code *code;
	size_t capacity;
};

static uint16_t register_bit(x86_reg reg)
{
	unsigned bits;
	enum gpr gpr = gpr_of(reg, &bits);
	return gpr == GPR_NONE ? 0 : (uint16_t)(1u << gpr);
}

static enum insn_kind kind_of(csh handle, const cs_insn *insn)
{
	switch (insn->id) {
	case X86_INS_SYSCALL:
		return INSN_SYSCALL;
	case X86_INS_JMP:
	case X86_INS_LJMP:
		return INSN_JUMP;
	case X86_INS_HLT:
	case X86_INS_UD2:
		return INSN_STOP;
	case X86_INS_NOP:
	case X86_INS_INT3:
		return INSN_PADDING;
	}
	if (cs_insn_group(handle, insn, X86_GRP_CALL))
		return INSN_CALL;
	if (cs_insn_group(handle, insn, X86_GRP_RET) || cs_insn_group(handle, insn, X86_GRP_IRET))
		return INSN_RETURN;
	if (cs_insn_group(handle, insn, X86_GRP_JUMP))
		return INSN_COND_JUMP;
	return INSN_OTHER;
}

/* mov reg, imm / mov reg, reg / xor reg, reg / sub reg, reg on 32- or 64-bit registers. */
static void note_value(const cs_insn *insn, const cs_x86 *x86, struct decoded_insn *out)
{
	if (x86->op_count != 2 || x86->operands[0].type != X86_OP_REG)
		return;
	unsigned bits, source_bits;
	enum gpr destination = gpr_of(x86->operands[0].reg, &bits);
	if (destination == GPR_NONE || bits < 32)
		return;
	const cs_x86_op *source = &x86->operands[1];
	if ((insn->id == X86_INS_MOV || insn->id == X86_INS_MOVABS) && source->type == X86_OP_IMM) {
		out->value = VALUE_CONSTANT;
		out->constant = bits == 32 ? (int64_t)(uint32_t)source->imm : source->imm;
	} else if (insn->id == X86_INS_MOV && source->type == X86_OP_REG) {
		enum gpr from = gpr_of(source->reg, &source_bits);
		if (from == GPR_NONE || source_bits != bits)
			return;
		out->value = VALUE_COPY;
		out->source = (uint8_t)from;
	} else if ((insn->id == X86_INS_XOR || insn->id == X86_INS_SUB) && source->type == X86_OP_REG &&
		   source->reg == x86->operands[0].reg) {
		out->value = VALUE_CONSTANT;
		out->constant = 0;
	} else {
		return;
	}
	out->destination = (uint8_t)destination;
}

static void note_flags(const cs_insn *insn, const cs_x86 *x86, struct decoded_insn *out)
{
	unsigned bits;
	if (x86->op_count != 2 || x86->operands[0].type != X86_OP_REG)
		return;
	enum gpr reg = gpr_of(x86->operands[0].reg, &bits);
	if (reg == GPR_NONE || bits < 32)
		return;
	if (insn->id == X86_INS_TEST && x86->operands[1].type == X86_OP_REG &&
	    x86->operands[1].reg == x86->operands[0].reg) {
		out->flags = FLAGS_TEST_SELF;
	} else if (insn->id == X86_INS_CMP && x86->operands[1].type == X86_OP_IMM) {
		out->flags = FLAGS_COMPARE_IMMEDIATE;
		out->constant = x86->operands[1].imm;
	} else {
		return;
	}
	out->flags_register = (uint8_t)reg;
}

static int reference_rank(enum insn_reference kind)
{
	static const int ranks[] = {[REFERENCE_NONE] = 0, [REFERENCE_DATA] = 1, [REFERENCE_GOT] = 2, [REFERENCE_CODE] = 3};
	return ranks[kind];
}

/* The GOT slot, code or data address an operand names: rip-relative or
 * absolute memory, lea, or (in a non-PIE executable) an immediate. Code
 * wins over a GOT slot, a GOT slot over data. */
static void note_references(const struct decoder *decoder, const cs_insn *insn, const cs_x86 *x86,
			    struct decoded_insn *out)
{
	const struct binary_image *image = decoder->image;
	for (int i = 0; i < x86->op_count; i++) {
		const cs_x86_op *op = &x86->operands[i];
		uint64_t address = 0;
		if (op->type == X86_OP_MEM && op->mem.index == X86_REG_INVALID &&
		    (op->mem.base == X86_REG_RIP || op->mem.base == X86_REG_INVALID))
			address = (uint64_t)op->mem.disp + (op->mem.base == X86_REG_RIP ? insn->address + insn->size : 0);
		else if (op->type == X86_OP_IMM && image->type == ET_EXEC && out->kind != INSN_CALL &&
			 out->kind != INSN_JUMP && out->kind != INSN_COND_JUMP)
			address = (uint64_t)op->imm;
		else if (op->type == X86_OP_MEM && op->mem.base == X86_REG_INVALID && image->type == ET_EXEC)
			address = (uint64_t)op->mem.disp; /* a table indexed by a register */
		if (!address)
			continue;
		bool taken = op->type == X86_OP_IMM || insn->id == X86_INS_LEA;
		enum insn_reference kind = REFERENCE_NONE;
		if (taken && binary_image_is_code(image, address))
			kind = REFERENCE_CODE;
		else if (!taken && binary_image_got_symbol(image, address))
			kind = REFERENCE_GOT;
		else if (binary_image_is_data(image, address))
			kind = REFERENCE_DATA;
		if (reference_rank(kind) > reference_rank((enum insn_reference)out->reference_kind)) {
			out->reference = address;
			out->reference_kind = (uint8_t)kind;
		}
	}
}

static void note_writes(const cs_insn *insn, const cs_x86 *x86, struct decoded_insn *out)
{
	const cs_detail *detail = insn->detail;
	for (int i = 0; i < detail->regs_write_count; i++)
		out->writes |= register_bit(detail->regs_write[i]);
	for (int i = 0; i < x86->op_count; i++)
		if (x86->operands[i].type == X86_OP_REG && (x86->operands[i].access & CS_AC_WRITE))
			out->writes |= register_bit(x86->operands[i].reg);
	if (out->kind == INSN_CALL)
		out->writes |= CALLER_SAVED_MASK;
	if (out->kind == INSN_SYSCALL)
		out->writes |= 1u << GPR_RAX | 1u << GPR_RCX | 1u << GPR_R11;
	/* xchg, xadd and cmpxchg write both operands whatever capstone's access says */
	if (insn->id == X86_INS_XCHG || insn->id == X86_INS_XADD || insn->id == X86_INS_CMPXCHG)
		for (int i = 0; i < x86->op_count; i++)
			if (x86->operands[i].type == X86_OP_REG)
				out->writes |= register_bit(x86->operands[i].reg);
}

static void decode_one(struct decoder *decoder, const cs_insn *insn)
{
	const cs_x86 *x86 = &insn->detail->x86;
	struct decoded_insn out = {.address = insn->address, .size = (uint8_t)insn->size};

	out.kind = (uint8_t)kind_of(decoder->handle, insn);
	if ((out.kind == INSN_CALL || out.kind == INSN_JUMP || out.kind == INSN_COND_JUMP) && x86->op_count == 1 &&
	    x86->operands[0].type == X86_OP_IMM)
		out.branch_target = (uint64_t)x86->operands[0].imm;
	if (out.kind == INSN_COND_JUMP)
		out.condition = insn->id == X86_INS_JE ? CONDITION_EQUAL
				: insn->id == X86_INS_JNE ? CONDITION_NOT_EQUAL
							  : CONDITION_OTHER;
	note_value(insn, x86, &out);
	note_flags(insn, x86, &out);
	note_references(decoder, insn, x86, &out);
	note_writes(insn, x86, &out);
	if (decoder->code->count == decoder->capacity) {
		decoder->capacity = decoder->capacity ? decoder->capacity * 2 : 4096;
		decoder->code->insns = xrealloc(decoder->code->insns, decoder->capacity * sizeof(out));
	}
	decoder->code->insns[decoder->code->count++] = out;
}

/* Linear sweep; a byte Capstone cannot decode is skipped. */
static void decode_section(struct decoder *decoder, const struct image_section *section)
{
	cs_insn *insn = cs_malloc(decoder->handle);
	const uint8_t *bytes = section->bytes;
	size_t left = section->size;
	uint64_t address = section->address;

	while (left > 0) {
		if (cs_disasm_iter(decoder->handle, &bytes, &left, &address, insn)) {
			decode_one(decoder, insn);
			continue;
		}
		bytes++;
		left--;
		address++;
	}
	cs_free(insn, 1);
}

static int compare_insns(const void *a, const void *b)
{
	uint64_t x = ((const struct decoded_insn *)a)->address, y = ((const struct decoded_insn *)b)->address;
	return x < y ? -1 : x > y;
}

int instruction_decode(const struct binary_image *image, struct decoded_code *code, char *problem,
		       size_t problem_size)
{
	struct decoder decoder = {.image = image, .code = code};

	*code = (struct decoded_code){0};
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &decoder.handle) != CS_ERR_OK ||
	    cs_option(decoder.handle, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK) {
		snprintf(problem, problem_size, "Capstone cannot disassemble x86_64 (is libcapstone4 installed?)");
		return -1;
	}
	for (size_t i = 0; i < image->section_count; i++)
		if (image->sections[i].executable && image->sections[i].bytes)
			decode_section(&decoder, &image->sections[i]);
	cs_close(&decoder.handle);
	if (code->count)
		qsort(code->insns, code->count, sizeof(*code->insns), compare_insns);
	return 0;
}

size_t decoded_code_find(const struct decoded_code *code, uint64_t address)
{
	size_t low = 0, high = code->count;
	while (low < high) {
		size_t middle = (low + high) / 2;
		if (code->insns[middle].address < address)
			low = middle + 1;
		else
			high = middle;
	}
	return low < code->count && code->insns[low].address == address ? low : SIZE_MAX;
}

void decoded_code_free(struct decoded_code *code)
{
	free(code->insns);
	*code = (struct decoded_code){0};
}
