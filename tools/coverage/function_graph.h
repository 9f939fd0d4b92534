/* One object's functions and what each can do: the syscall numbers it makes
 * (constants reaching eax), the functions it calls, jumps to or takes the
 * address of, the data it refers to and the imported symbols it uses.
 * Functions are cut at the starts .eh_frame_hdr and the symbol tables give,
 * and at call targets. Data is cut into chunks at every address other data
 * points to and every data symbol; a chunk leads to the code and data its
 * pointers name, so a function pointer in a table counts only once code
 * refers to the table (or to data that points to it). */
#ifndef SOLE_COVERAGE_FUNCTION_GRAPH_H
#define SOLE_COVERAGE_FUNCTION_GRAPH_H

#include <stdint.h>

#include "binary_image.h"
#include "instruction_decode.h"
#include "register_values.h"
#include "string_map.h"
#include "syscall_set.h"

#define NO_INSN UINT32_MAX

enum edge_kind { EDGE_LOCAL, EDGE_IMPORT };

struct function_edge {
	uint32_t target; /* a function index (EDGE_LOCAL) or an import index (EDGE_IMPORT) */
	uint32_t insn;   /* the call or jump that passes arguments along; NO_INSN otherwise */
	uint8_t kind;
};

/* A function, or (past code_function_count) a chunk of data. */
struct graph_function {
	uint64_t start;
	uint32_t first_insn, end_insn;
	uint32_t edge_begin, edge_end;
	struct syscall_set syscalls;   /* numbers that reach eax as constants */
	uint8_t number_argument_mask;  /* bit k: a syscall takes its number from argument k */
	bool declared;                 /* .eh_frame_hdr or a symbol starts a function here */
	const char *name;              /* a symbol at start, or NULL */
};

/* A syscall instruction (or a call to a syscall wrapper) whose number the
 * analysis cannot tell. */
struct unknown_site {
	uint32_t function;
	uint64_t address;
};

struct function_graph {
	struct binary_image image;
	struct decoded_code code;
	struct flow_index flow;
	struct graph_function *functions; /* code functions by start, then data chunks by start */
	size_t code_function_count;
	size_t function_count;
	struct function_edge *edges;
	size_t edge_count;
	const char **imports; /* names of the symbols its code or data uses from the global scope */
	size_t import_count;
	uint32_t *roots; /* functions that run whenever the object is loaded: init, fini, IFUNC resolvers */
	size_t root_count;
	struct unknown_site *unknown_sites;
	size_t unknown_site_count;
	struct string_map import_index;
};

/* Reads and disassembles path. Returns 0, or -1 with one line in problem. */
int function_graph_build(const char *path, struct function_graph *graph, char *problem, size_t problem_size);
/* The function containing address, or UINT32_MAX. */
uint32_t function_graph_find(const struct function_graph *graph, uint64_t address);
/* The data chunk holding address, or UINT32_MAX. */
uint32_t function_graph_chunk_of(const struct function_graph *graph, uint64_t address);
void function_graph_add_unknown_site(struct function_graph *graph, uint32_t function, uint64_t address);
void function_graph_free(struct function_graph *graph);

#endif
