/* Capstone's x86 register names folded onto the 16 general-purpose registers,
 * with the width of each spelling, for tracking values through moves. */
#include "x86_registers.h"

const enum gpr argument_registers[ARGUMENT_REGISTER_COUNT] = {GPR_RDI, GPR_RSI, GPR_RDX, GPR_RCX, GPR_R8, GPR_R9};

int argument_index(enum gpr reg)
{
	for (int i = 0; i < ARGUMENT_REGISTER_COUNT; i++)
		if (argument_registers[i] == reg)
			return i;
	return -1;
}

struct register_entry {
	unsigned char gpr;
	unsigned char bits;
};

static struct register_entry register_table[X86_REG_ENDING];

static void build_register_table(void)
{
	/* one row per register: its 64, 32, 16 and low 8-bit spellings */
	static const x86_reg spellings[GPR_COUNT][4] = {
		[GPR_RAX] = {X86_REG_RAX, X86_REG_EAX, X86_REG_AX, X86_REG_AL},
		[GPR_RCX] = {X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL},
		[GPR_RDX] = {X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL},
		[GPR_RBX] = {X86_REG_RBX, X86_REG_EBX, X86_REG_BX, X86_REG_BL},
		[GPR_RSP] = {X86_REG_RSP, X86_REG_ESP, X86_REG_SP, X86_REG_SPL},
		[GPR_RBP] = {X86_REG_RBP, X86_REG_EBP, X86_REG_BP, X86_REG_BPL},
		[GPR_RSI] = {X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL},
		[GPR_RDI] = {X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL},
		[GPR_R8] = {X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B},
		[GPR_R9] = {X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B},
		[GPR_R10] = {X86_REG_R10, X86_REG_R10D, X86_REG_R10W, X86_REG_R10B},
		[GPR_R11] = {X86_REG_R11, X86_REG_R11D, X86_REG_R11W, X86_REG_R11B},
		[GPR_R12] = {X86_REG_R12, X86_REG_R12D, X86_REG_R12W, X86_REG_R12B},
		[GPR_R13] = {X86_REG_R13, X86_REG_R13D, X86_REG_R13W, X86_REG_R13B},
		[GPR_R14] = {X86_REG_R14, X86_REG_R14D, X86_REG_R14W, X86_REG_R14B},
		[GPR_R15] = {X86_REG_R15, X86_REG_R15D, X86_REG_R15W, X86_REG_R15B},
	};
	static const unsigned char widths[4] = {64, 32, 16, 8};

	for (int reg = 0; reg < X86_REG_ENDING; reg++)
		register_table[reg] = (struct register_entry){GPR_NONE, 0};
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		for (int width = 0; width < 4; width++)
			register_table[spellings[gpr][width]] = (struct register_entry){(unsigned char)gpr, widths[width]};
	register_table[X86_REG_AH] = (struct register_entry){GPR_RAX, 8};
	register_table[X86_REG_CH] = (struct register_entry){GPR_RCX, 8};
	register_table[X86_REG_DH] = (struct register_entry){GPR_RDX, 8};
	register_table[X86_REG_BH] = (struct register_entry){GPR_RBX, 8};
}

enum gpr gpr_of(x86_reg reg, unsigned *bits)
{
	if (register_table[X86_REG_RAX].bits == 0)
		build_register_table();
	if (reg <= X86_REG_INVALID || reg >= X86_REG_ENDING) {
		*bits = 0;
		return GPR_NONE;
	}
	*bits = register_table[reg].bits;
	return (enum gpr)register_table[reg].gpr;
}
