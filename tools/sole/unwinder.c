/* Walks the crashed thread's stack on the host, see unwinder.h. libunwind
 * reads registers, memory and unwind tables through the accessors here; the
 * tables come from cfi_tables.c, the memory from crash_memory.c. */
#include "unwinder.h"

#include <libunwind.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* libunwind exports its table search but no header declares it. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip, unw_dyn_info_t *di,
					      unw_proc_info_t *pi, int need_unwind_info, void *arg);

#define MAX_FRAMES 1024
#define SCAN_WORDS 2048   /* how far up the stack a scan looks, in 8-byte words */
#define REGISTER_COUNT 17 /* UNW_X86_64_RAX .. UNW_X86_64_RIP */

/* The registers the next unw_init_remote starts from, in libunwind's order. */
static const char *const register_names[REGISTER_COUNT] = {
	"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8",
	"r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip",
};

struct unwind_state {
	const struct crash_objects *objects;
	unw_addr_space_t space;
	unw_word_t registers[REGISTER_COUNT];
};

static int find_proc_info(unw_addr_space_t space, unw_word_t ip, unw_proc_info_t *info, int need_unwind_info,
			  void *arg)
{
	struct unwind_state *state = arg;
	const struct crash_object *object = crash_objects_find(state->objects, ip);

	if (!object)
		return -UNW_ENOINFO;
	const struct cfi_table *tables[] = {&object->cfi.eh_frame, &object->cfi.debug_frame};
	for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
		const struct cfi_table *table = tables[i];
		if (table->entry_count == 0 || ip < table->start_ip || ip >= table->end_ip)
			continue;
		unw_dyn_info_t dynamic = {
			.start_ip = table->start_ip,
			.end_ip = table->end_ip,
			.format = UNW_INFO_FORMAT_IP_OFFSET,
			.u.rti = {.segbase = table->frame_data,
				  .table_data = table->table_address,
				  .table_len = table->entry_count * 2 * sizeof(int32_t) / sizeof(unw_word_t)},
		};
		if (UNW_OBJ(dwarf_search_unwind_table)(space, ip, &dynamic, info, need_unwind_info, arg) == 0)
			return 0;
	}
	return -UNW_ENOINFO;
}

static void put_unwind_info(unw_addr_space_t space, unw_proc_info_t *info, void *arg)
{
	(void)space, (void)info, (void)arg; /* the tables outlive the walk */
}

static int get_dyn_info_list_addr(unw_addr_space_t space, unw_word_t *address, void *arg)
{
	(void)space, (void)address, (void)arg;
	return -UNW_ENOINFO; /* no code was registered at run time */
}

static int access_mem(unw_addr_space_t space, unw_word_t address, unw_word_t *value, int write, void *arg)
{
	struct unwind_state *state = arg;

	(void)space;
	if (write)
		return -UNW_EREADONLYREG;
	return crash_memory_read(&state->objects->memory, address, value, sizeof(*value)) ? 0 : -UNW_EINVAL;
}

static int access_reg(unw_addr_space_t space, unw_regnum_t number, unw_word_t *value, int write, void *arg)
{
	struct unwind_state *state = arg;

	(void)space;
	if (number < 0 || number >= REGISTER_COUNT)
		return -UNW_EBADREG;
	if (write)
		state->registers[number] = *value;
	else
		*value = state->registers[number];
	return 0;
}

static int access_fpreg(unw_addr_space_t space, unw_regnum_t number, unw_fpreg_t *value, int write, void *arg)
{
	(void)space, (void)number, (void)value, (void)write, (void)arg;
	return -UNW_EBADREG; /* the record carries no floating-point registers */
}

static int resume(unw_addr_space_t space, unw_cursor_t *cursor, void *arg)
{
	(void)space, (void)cursor, (void)arg;
	return -UNW_EINVAL; /* the program is gone */
}

static int get_proc_name(unw_addr_space_t space, unw_word_t address, char *buffer, size_t length,
			 unw_word_t *offset, void *arg)
{
	(void)space, (void)address, (void)buffer, (void)length, (void)offset, (void)arg;
	return -UNW_ENOINFO; /* crash_report.c names frames itself, with line numbers */
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

void backtrace_add(struct backtrace *backtrace, uint64_t pc, enum frame_source source)
{
	backtrace->frames = xrealloc(backtrace->frames, (backtrace->count + 1) * sizeof(*backtrace->frames));
	backtrace->frames[backtrace->count++] = (struct unwound_frame){pc, source};
}

/* True when the bytes before address end in a call instruction: e8 rel32,
 * or ff /2 (an indirect call) in its 2, 3, 6 and 7 byte forms. */
static bool follows_call(const struct crash_memory *memory, uint64_t address)
{
	uint8_t code[7];

	if (!crash_memory_read(memory, address - sizeof(code), code, sizeof(code)))
		return false;
	if (code[2] == 0xe8)
		return true;
	static const int indirect_lengths[] = {2, 3, 6, 7};
	for (size_t i = 0; i < sizeof(indirect_lengths) / sizeof(*indirect_lengths); i++) {
		const uint8_t *call = code + sizeof(code) - indirect_lengths[i];
		if (call[0] == 0xff && (call[1] & 0x38) == 0x10)
			return true;
	}
	return false;
}

/* The first word at or above sp that looks like a return address; its slot
 * goes to *slot. */
static bool scan_for_return_address(const struct crash_objects *objects, uint64_t sp, uint64_t *slot,
				    uint64_t *value)
{
	for (uint64_t at = sp & ~UINT64_C(7), n = 0; n < SCAN_WORDS; at += 8, n++) {
		if (!crash_memory_read(&objects->memory, at, value, sizeof(*value)))
			return false;
		if (crash_objects_is_code(objects, *value) && follows_call(&objects->memory, *value)) {
			*slot = at;
			return true;
		}
	}
	return false;
}

/* Keeps what libunwind worked out for the callee-saved registers, so a walk
 * restarted after a scan still has them. */
static void save_registers(unw_cursor_t *cursor, struct unwind_state *state)
{
	static const int callee_saved[] = {UNW_X86_64_RBX, UNW_X86_64_RBP, UNW_X86_64_R12,
					   UNW_X86_64_R13, UNW_X86_64_R14, UNW_X86_64_R15};
	for (size_t i = 0; i < sizeof(callee_saved) / sizeof(*callee_saved); i++)
		unw_get_reg(cursor, callee_saved[i], &state->registers[callee_saved[i]]);
}

/* The program's entry point: its caller is nobody. */
static bool is_entry_point(const struct crash_objects *objects, uint64_t pc)
{
	const struct crash_object *object = crash_objects_find(objects, pc);
	const struct elf_symbol *symbol =
		object && object->symbols ? elf_symbols_find(object->symbols, pc - 1 - object->bias) : NULL;
	return symbol && strcmp(symbol->name, "_start") == 0;
}

static void stop(struct backtrace *backtrace, char *reason)
{
	free(backtrace->stop_reason);
	backtrace->stop_reason = reason;
}

/* One step by CFI. Returns 1 for a new frame, 0 at the outermost frame, -1
 * when CFI cannot go on (the reason is kept, in case a scan cannot either). */
static int step_by_cfi(unw_cursor_t *cursor, struct unwind_state *state, uint64_t pc, uint64_t sp,
		       enum frame_source source, struct backtrace *backtrace)
{
	const struct crash_objects *objects = state->objects;
	unw_proc_info_t info;
	unw_word_t next_pc, next_sp;
	/* libunwind's own check, unw_get_proc_info, succeeds without CFI too;
	 * like libunwind, look a return address up by the call before it */
	uint64_t lookup = pc - (source == FRAME_FROM_CFI ? 1 : 0);

	if (find_proc_info(state->space, lookup, &info, 0, state) != 0) {
		stop(backtrace, xasprintf("no call frame information covers 0x%llx", (unsigned long long)pc));
		return -1;
	}
	int result = unw_step(cursor);
	if (result == 0)
		return 0;
	if (result < 0) {
		stop(backtrace, xasprintf("libunwind could not step past 0x%llx: %s", (unsigned long long)pc,
					  unw_strerror(result)));
		return -1;
	}
	unw_get_reg(cursor, UNW_REG_IP, &next_pc);
	unw_get_reg(cursor, UNW_REG_SP, &next_sp);
	if (next_pc == 0)
		return 0;
	if (next_sp <= sp || !crash_objects_is_code(objects, next_pc)) {
		stop(backtrace, xasprintf("the caller's frame that CFI gives (pc 0x%llx, sp 0x%llx) is not "
					  "plausible",
					  (unsigned long long)next_pc, (unsigned long long)next_sp));
		return -1;
	}
	return 1;
}

static void describe_end_of_stack(struct backtrace *backtrace, const struct crash_record *record, uint64_t sp)
{
	if (sp + 64 >= record->stack_end) {
		stop(backtrace, xasprintf("reached the end of the recorded stack at 0x%llx (the record holds "
					  "the top of the stack, at most 16 KiB above rsp)",
					  (unsigned long long)record->stack_end));
		return;
	}
	stop(backtrace, xasprintf("no return address in the recorded stack above sp 0x%llx (the record "
				  "holds 0x%llx-0x%llx; %s)",
				  (unsigned long long)sp, (unsigned long long)record->stack_start,
				  (unsigned long long)record->stack_end,
				  backtrace->stop_reason ? backtrace->stop_reason : "no CFI either"));
}

void unwind_user_stack(const struct crash_objects *objects, struct backtrace *backtrace)
{
	struct unwind_state state = {.objects = objects};
	unw_cursor_t cursor;
	enum frame_source source = FRAME_FROM_REGISTERS;

	for (int i = 0; i < REGISTER_COUNT; i++)
		crash_record_register(objects->record, register_names[i], &state.registers[i]);
	unw_addr_space_t space = unw_create_addr_space(&accessors, 0);
	state.space = space;
	if (!space || unw_init_remote(&cursor, space, &state) != 0) {
		stop(backtrace, xstrdup("libunwind could not start from the recorded registers"));
		backtrace_add(backtrace, state.registers[UNW_X86_64_RIP], FRAME_FROM_REGISTERS);
		if (space)
			unw_destroy_addr_space(space);
		return;
	}
	while (backtrace->count < MAX_FRAMES) {
		unw_word_t pc, sp;
		unw_get_reg(&cursor, UNW_REG_IP, &pc);
		unw_get_reg(&cursor, UNW_REG_SP, &sp);
		backtrace_add(backtrace, pc, source);
		int result = step_by_cfi(&cursor, &state, pc, sp, source, backtrace);
		if (result == 0 || (result < 0 && is_entry_point(objects, pc))) {
			stop(backtrace, NULL);
			break;
		}
		if (result > 0) {
			source = FRAME_FROM_CFI;
			continue;
		}
		uint64_t slot, return_address;
		if (!scan_for_return_address(objects, sp, &slot, &return_address)) {
			describe_end_of_stack(backtrace, objects->record, sp);
			break;
		}
		save_registers(&cursor, &state);
		state.registers[UNW_X86_64_RIP] = return_address;
		state.registers[UNW_X86_64_RSP] = slot + 8;
		stop(backtrace, NULL);
		unw_init_remote(&cursor, space, &state);
		source = FRAME_FROM_SCAN;
	}
	if (backtrace->count >= MAX_FRAMES)
		stop(backtrace, xasprintf("stopped after %d frames", MAX_FRAMES));
	unw_destroy_addr_space(space);
}

void backtrace_free(struct backtrace *backtrace)
{
	free(backtrace->frames);
	free(backtrace->stop_reason);
	*backtrace = (struct backtrace){0};
}
