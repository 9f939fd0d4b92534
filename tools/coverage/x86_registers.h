/* Capstone's x86 register names folded onto the 16 general-purpose registers,
 * with the width of each spelling, for tracking values through moves. */
#ifndef SOLE_COVERAGE_X86_REGISTERS_H
#define SOLE_COVERAGE_X86_REGISTERS_H

#include <capstone/capstone.h>

enum gpr { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	   GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15, GPR_COUNT, GPR_NONE = 0xff };

/* The System V argument registers in order: rdi, rsi, rdx, rcx, r8, r9. */
#define ARGUMENT_REGISTER_COUNT 6
extern const enum gpr argument_registers[ARGUMENT_REGISTER_COUNT];

/* What the callee may change: rax, rcx, rdx, rsi, rdi, r8-r11. */
#define CALLER_SAVED_MASK 0x0fc7u

/* The general-purpose register behind reg, or GPR_NONE; *bits gets 8, 16, 32 or 64. */
enum gpr gpr_of(x86_reg reg, unsigned *bits);
/* The argument position (0..5) of a register, or -1. */
int argument_index(enum gpr reg);

#endif
