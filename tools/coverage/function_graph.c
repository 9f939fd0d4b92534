/* One object's functions and what each can do: the syscall numbers it makes,
 * the functions it calls, jumps to or takes the address of, the data it
 * refers to and the imported symbols it uses; data cut into chunks. */
#include "function_graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct address_list {
	uint64_t *items;
	size_t count, capacity;
};

static void address_list_add(struct address_list *list, uint64_t address)
{
	if (list->count == list->capacity) {
		list->capacity = list->capacity ? list->capacity * 2 : 1024;
		list->items = xrealloc(list->items, list->capacity * sizeof(uint64_t));
	}
	list->items[list->count++] = address;
}

static int compare_addresses(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* With .eh_frame_hdr or a symbol table every function start is known, so a
 * code address elsewhere (a jump-table label) is not a function. Without
 * them (a stripped static binary) every code address named counts. */
static bool starts_are_complete(const struct binary_image *image)
{
	size_t function_symbols = 0;
	for (size_t i = 0; i < image->symbol_count; i++)
		function_symbols += image->symbols[i].function && image->symbols[i].defined;
	return image->unwind_start_count > 0 || function_symbols > 16;
}

/* The starts the unwind table and the symbols declare, sorted. */
static void collect_declared_starts(const struct binary_image *image, struct address_list *declared)
{
	for (size_t i = 0; i < image->unwind_start_count; i++)
		address_list_add(declared, image->unwind_starts[i]);
	for (size_t i = 0; i < image->symbol_count; i++)
		if (image->symbols[i].function && image->symbols[i].defined)
			address_list_add(declared, image->symbols[i].address);
	if (declared->count)
		qsort(declared->items, declared->count, sizeof(uint64_t), compare_addresses);
}

static bool is_declared(const struct address_list *declared, uint64_t address)
{
	return declared->count && bsearch(&address, declared->items, declared->count, sizeof(uint64_t),
					  compare_addresses) != NULL;
}

static void collect_starts(const struct function_graph *graph, const struct address_list *declared,
			   struct address_list *starts)
{
	const struct binary_image *image = &graph->image;
	bool complete = starts_are_complete(image);

	address_list_add(starts, image->entry);
	for (size_t i = 0; i < image->section_count; i++)
		if (image->sections[i].executable)
			address_list_add(starts, image->sections[i].address);
	for (size_t i = 0; i < declared->count; i++)
		address_list_add(starts, declared->items[i]);
	for (size_t i = 0; i < graph->code.count; i++) {
		const struct decoded_insn *insn = &graph->code.insns[i];
		if (insn->kind == INSN_CALL && insn->branch_target)
			address_list_add(starts, insn->branch_target);
		if (!complete && insn->reference_kind == REFERENCE_CODE)
			address_list_add(starts, insn->reference);
	}
	for (size_t i = 0; !complete && i < image->code_pointer_count; i++)
		address_list_add(starts, image->code_pointers[i].target);
	if (starts->count)
		qsort(starts->items, starts->count, sizeof(uint64_t), compare_addresses);
}

static void build_functions(struct function_graph *graph)
{
	struct address_list starts = {0}, declared = {0};
	uint8_t *is_start = xcalloc(graph->code.count ? graph->code.count : 1, 1);

	collect_declared_starts(&graph->image, &declared);
	collect_starts(graph, &declared, &starts);
	graph->functions = xcalloc(starts.count ? starts.count : 1, sizeof(*graph->functions));
	for (size_t i = 0; i < starts.count; i++) {
		if (i > 0 && starts.items[i] == starts.items[i - 1])
			continue;
		size_t insn = decoded_code_find(&graph->code, starts.items[i]);
		if (insn == SIZE_MAX)
			continue;
		is_start[insn] = 1;
		graph->functions[graph->function_count++] = (struct graph_function){
			.start = starts.items[i],
			.first_insn = (uint32_t)insn,
			.declared = is_declared(&declared, starts.items[i]),
		};
	}
	graph->code_function_count = graph->function_count;
	for (size_t i = 0; i < graph->function_count; i++)
		graph->functions[i].end_insn = i + 1 < graph->function_count ? graph->functions[i + 1].first_insn
									    : (uint32_t)graph->code.count;
	flow_index_build(&graph->flow, &graph->code, is_start);
	free(is_start);
	free(starts.items);
	free(declared.items);
}

/* The last of count entries (from first) that starts at or below address. */
static uint32_t last_at_or_below(const struct graph_function *entries, size_t count, uint64_t address)
{
	size_t low = 0, high = count;
	while (low < high) {
		size_t middle = (low + high) / 2;
		if (entries[middle].start <= address)
			low = middle + 1;
		else
			high = middle;
	}
	return low == 0 ? UINT32_MAX : (uint32_t)(low - 1);
}

uint32_t function_graph_find(const struct function_graph *graph, uint64_t address)
{
	return last_at_or_below(graph->functions, graph->code_function_count, address);
}

uint32_t function_graph_chunk_of(const struct function_graph *graph, uint64_t address)
{
	if (!binary_image_is_data(&graph->image, address))
		return UINT32_MAX;
	uint32_t chunk = last_at_or_below(graph->functions + graph->code_function_count,
					  graph->function_count - graph->code_function_count, address);
	return chunk == UINT32_MAX ? UINT32_MAX : (uint32_t)graph->code_function_count + chunk;
}

/* The function that starts exactly at address, or UINT32_MAX. */
static uint32_t function_starting_at(const struct function_graph *graph, uint64_t address)
{
	uint32_t function = function_graph_find(graph, address);
	return function != UINT32_MAX && graph->functions[function].start == address ? function : UINT32_MAX;
}

static void add_edge(struct function_graph *graph, size_t *capacity, enum edge_kind kind, uint32_t target,
		     uint32_t insn)
{
	if (graph->edge_count == *capacity) {
		*capacity = *capacity ? *capacity * 2 : 4096;
		graph->edges = xrealloc(graph->edges, *capacity * sizeof(*graph->edges));
	}
	graph->edges[graph->edge_count++] = (struct function_edge){.target = target, .insn = insn, .kind = (uint8_t)kind};
}

static uint32_t import_of(struct function_graph *graph, const char *symbol)
{
	uint32_t index = string_map_add(&graph->import_index, symbol, (uint32_t)graph->import_count);
	if (index == graph->import_count) {
		graph->imports = xrealloc(graph->imports, (graph->import_count + 1) * sizeof(char *));
		graph->imports[graph->import_count++] = symbol;
	}
	return index;
}

void function_graph_add_unknown_site(struct function_graph *graph, uint32_t function, uint64_t address)
{
	graph->unknown_sites =
		xrealloc(graph->unknown_sites, (graph->unknown_site_count + 1) * sizeof(*graph->unknown_sites));
	graph->unknown_sites[graph->unknown_site_count++] = (struct unknown_site){function, address};
}

static void note_syscall(struct function_graph *graph, uint32_t function, uint32_t insn)
{
	struct graph_function *f = &graph->functions[function];
	struct value_set values;

	register_values_before(&graph->flow, insn, GPR_RAX, &values);
	for (unsigned i = 0; i < values.constant_count; i++) {
		if (values.constants[i] >= 0 && values.constants[i] < SYSCALL_COUNT)
			syscall_set_add(&f->syscalls, (long)values.constants[i]);
		else
			values.unknown = true;
	}
	f->number_argument_mask |= values.argument_mask;
	if (values.unknown)
		function_graph_add_unknown_site(graph, function, graph->code.insns[insn].address);
}

static void scan_function(struct function_graph *graph, uint32_t function, size_t *edge_capacity)
{
	struct graph_function *f = &graph->functions[function];
	const struct decoded_insn *insns = graph->code.insns;

	f->edge_begin = (uint32_t)graph->edge_count;
	for (uint32_t i = f->first_insn; i < f->end_insn; i++) {
		const struct decoded_insn *insn = &insns[i];
		bool passes_arguments = insn->kind == INSN_CALL || insn->kind == INSN_JUMP || insn->kind == INSN_COND_JUMP;
		if (insn->kind == INSN_SYSCALL)
			note_syscall(graph, function, i);
		if (insn->branch_target && passes_arguments) {
			uint32_t target = function_graph_find(graph, insn->branch_target);
			bool inside = target == function && insn->branch_target != f->start;
			if (target != UINT32_MAX && !inside)
				add_edge(graph, edge_capacity, EDGE_LOCAL, target, i);
		}
		uint32_t target = UINT32_MAX;
		if (insn->reference_kind == REFERENCE_CODE)
			target = function_starting_at(graph, insn->reference);
		else if (insn->reference_kind == REFERENCE_DATA)
			target = function_graph_chunk_of(graph, insn->reference);
		if (target != UINT32_MAX)
			add_edge(graph, edge_capacity, EDGE_LOCAL, target, NO_INSN);
		if (insn->reference_kind == REFERENCE_GOT)
			add_edge(graph, edge_capacity, EDGE_IMPORT,
				 import_of(graph, binary_image_got_symbol(&graph->image, insn->reference)),
				 passes_arguments ? i : NO_INSN);
	}
	/* a function that does not end in a jump or return (padding aside) runs
	 * on into the next, unless that one is declared: then the end is a call
	 * that does not return (abort, __stack_chk_fail) */
	uint32_t end = f->end_insn;
	while (end > f->first_insn && insns[end - 1].kind == INSN_PADDING)
		end--;
	const struct decoded_insn *last = end > f->first_insn ? &insns[end - 1] : NULL;
	if (last && function + 1 < graph->code_function_count && !graph->functions[function + 1].declared &&
	    last->kind != INSN_JUMP && last->kind != INSN_RETURN &&
	    last->kind != INSN_STOP)
		add_edge(graph, edge_capacity, EDGE_LOCAL, function + 1, NO_INSN);
	f->edge_end = (uint32_t)graph->edge_count;
}

static void add_root(struct function_graph *graph, uint32_t function)
{
	if (function == UINT32_MAX)
		return;
	graph->roots = xrealloc(graph->roots, (graph->root_count + 1) * sizeof(uint32_t));
	graph->roots[graph->root_count++] = function;
}

static void collect_roots(struct function_graph *graph)
{
	const struct binary_image *image = &graph->image;

	for (size_t i = 0; i < image->section_count; i++)
		if (image->sections[i].executable &&
		    (strcmp(image->sections[i].name, ".init") == 0 || strcmp(image->sections[i].name, ".fini") == 0))
			add_root(graph, function_graph_find(graph, image->sections[i].address));
	for (size_t i = 0; i < image->start_code_count; i++)
		add_root(graph, function_graph_find(graph, image->start_code[i]));
}

/* Chunk starts: every data section's start, every address data points to,
 * every data symbol. Not the addresses code names: code reaches into the
 * middle of a structure (ctx->actions) that data points to at its start. */
static void build_chunks(struct function_graph *graph)
{
	const struct binary_image *image = &graph->image;
	struct address_list anchors = {0};

	for (size_t i = 0; i < image->section_count; i++)
		if (!image->sections[i].executable)
			address_list_add(&anchors, image->sections[i].address);
	for (size_t i = 0; i < image->data_pointer_count; i++)
		address_list_add(&anchors, image->data_pointers[i].target);
	for (size_t i = 0; i < image->symbol_count; i++)
		if (image->symbols[i].object && image->symbols[i].defined &&
		    binary_image_is_data(image, image->symbols[i].address))
			address_list_add(&anchors, image->symbols[i].address);
	if (anchors.count)
		qsort(anchors.items, anchors.count, sizeof(uint64_t), compare_addresses);
	size_t unique = 0;
	for (size_t i = 0; i < anchors.count; i++)
		if (i == 0 || anchors.items[i] != anchors.items[i - 1])
			unique++;
	graph->functions = xrealloc(graph->functions, (graph->code_function_count + unique + 1) *
							       sizeof(*graph->functions));
	for (size_t i = 0; i < anchors.count; i++)
		if (i == 0 || anchors.items[i] != anchors.items[i - 1])
			graph->functions[graph->function_count++] = (struct graph_function){.start = anchors.items[i]};
	free(anchors.items);
}

/* A pointer held in a chunk: an edge from the chunk, filed before sorting. */
struct chunk_edge {
	uint32_t chunk;
	struct function_edge edge;
};

static int compare_chunk_edges(const void *a, const void *b)
{
	uint32_t x = ((const struct chunk_edge *)a)->chunk, y = ((const struct chunk_edge *)b)->chunk;
	return x < y ? -1 : x > y;
}

static void add_chunk_edge(struct chunk_edge **edges, size_t *count, uint32_t chunk, enum edge_kind kind,
			   uint32_t target)
{
	if (chunk == UINT32_MAX || target == UINT32_MAX)
		return;
	*edges = xrealloc(*edges, (*count + 1) * sizeof(**edges));
	(*edges)[(*count)++] = (struct chunk_edge){chunk, {.target = target, .insn = NO_INSN, .kind = (uint8_t)kind}};
}

static void link_chunks(struct function_graph *graph, size_t *edge_capacity)
{
	const struct binary_image *image = &graph->image;
	struct chunk_edge *edges = NULL;
	size_t count = 0;

	for (size_t i = 0; i < image->code_pointer_count; i++)
		add_chunk_edge(&edges, &count, function_graph_chunk_of(graph, image->code_pointers[i].location),
			       EDGE_LOCAL, function_starting_at(graph, image->code_pointers[i].target));
	for (size_t i = 0; i < image->data_pointer_count; i++)
		add_chunk_edge(&edges, &count, function_graph_chunk_of(graph, image->data_pointers[i].location),
			       EDGE_LOCAL, function_graph_chunk_of(graph, image->data_pointers[i].target));
	for (size_t i = 0; i < image->symbol_pointer_count; i++)
		add_chunk_edge(&edges, &count, function_graph_chunk_of(graph, image->symbol_pointers[i].location),
			       EDGE_IMPORT, import_of(graph, image->symbol_pointers[i].symbol));
	if (count)
		qsort(edges, count, sizeof(*edges), compare_chunk_edges);
	size_t next = 0;
	for (uint32_t chunk = (uint32_t)graph->code_function_count; chunk < graph->function_count; chunk++) {
		graph->functions[chunk].edge_begin = (uint32_t)graph->edge_count;
		for (; next < count && edges[next].chunk == chunk; next++)
			add_edge(graph, edge_capacity, (enum edge_kind)edges[next].edge.kind, edges[next].edge.target,
				 NO_INSN);
		graph->functions[chunk].edge_end = (uint32_t)graph->edge_count;
	}
	free(edges);
}

static void name_functions(struct function_graph *graph)
{
	const struct binary_image *image = &graph->image;
	for (size_t i = 0; i < image->symbol_count; i++) {
		const struct image_symbol *symbol = &image->symbols[i];
		if (!symbol->function || !symbol->defined)
			continue;
		uint32_t function = function_starting_at(graph, symbol->address);
		/* prefer the exported name: "read" over "__GI___libc_read" */
		if (function != UINT32_MAX && (!graph->functions[function].name || symbol->exported))
			graph->functions[function].name = symbol->name;
	}
}

int function_graph_build(const char *path, struct function_graph *graph, char *problem, size_t problem_size)
{
	size_t edge_capacity = 0;

	*graph = (struct function_graph){0};
	if (binary_image_open(path, &graph->image, problem, problem_size) != 0 ||
	    instruction_decode(&graph->image, &graph->code, problem, problem_size) != 0) {
		function_graph_free(graph);
		return -1;
	}
	build_functions(graph);
	build_chunks(graph);
	for (uint32_t i = 0; i < graph->code_function_count; i++)
		scan_function(graph, i, &edge_capacity);
	link_chunks(graph, &edge_capacity);
	collect_roots(graph);
	name_functions(graph);
	return 0;
}

void function_graph_free(struct function_graph *graph)
{
	free(graph->functions);
	free(graph->edges);
	free(graph->imports);
	free(graph->roots);
	free(graph->unknown_sites);
	string_map_free(&graph->import_index);
	flow_index_free(&graph->flow);
	decoded_code_free(&graph->code);
	binary_image_close(&graph->image);
	*graph = (struct function_graph){0};
}
