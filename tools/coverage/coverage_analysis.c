/* The static answer to "which syscalls can this program make": the binary,
 * every library the resolver finds and the dynamic loader, joined through
 * their imports into one call graph and walked from what runs. */
#include "coverage_analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "function_graph.h"
#include "xalloc.h"

/* All objects' functions numbered globally: node = base[object] + function. */
struct program {
	struct coverage_analysis *analysis;
	struct function_graph *graphs;
	size_t count;
	size_t loader; /* index of ld.so, or SIZE_MAX */
	uint32_t *base;
	uint32_t node_count;
	uint16_t *node_object;
	uint32_t **import_targets; /* per object, per import: a node or UINT32_MAX */
	uint8_t *wrapper_mask;     /* per node: its syscall number comes from these arguments */
	uint32_t *stamp;           /* per node: the walk that last reached it */
	uint32_t walk;
	uint32_t *queue;
	uint8_t *reachable;
};

static double now_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static const struct graph_function *function_of(const struct program *program, uint32_t node)
{
	uint16_t object = program->node_object[node];
	return &program->graphs[object].functions[node - program->base[object]];
}

static uint32_t edge_target(const struct program *program, size_t object, const struct function_edge *edge)
{
	if (edge->kind == EDGE_LOCAL)
		return program->base[object] + edge->target;
	return program->import_targets[object][edge->target];
}

static void add_object(struct program *program, const char *path, const char *name)
{
	struct coverage_analysis *analysis = program->analysis;
	analysis->objects = xrealloc(analysis->objects, (analysis->object_count + 1) * sizeof(*analysis->objects));
	analysis->objects[analysis->object_count++] = (struct coverage_object){.path = xstrdup(path), .name = name};
}

/* The binary, its libraries in load order, then ld.so (once). */
static void list_objects(struct program *program, const char *binary)
{
	const struct libdeps *deps = &program->analysis->deps;
	const char *loader = deps->interpreter_real_path;

	add_object(program, binary, binary);
	for (size_t i = 0; i < deps->library_count; i++)
		if (!loader || strcmp(deps->libraries[i].real_path, loader) != 0)
			add_object(program, deps->libraries[i].real_path, deps->libraries[i].soname);
	program->loader = SIZE_MAX;
	if (loader) {
		program->loader = program->analysis->object_count;
		add_object(program, loader, deps->interpreter);
	}
}

static int build_graphs(struct program *program, char *problem, size_t problem_size)
{
	struct coverage_analysis *analysis = program->analysis;

	program->count = analysis->object_count;
	program->graphs = xcalloc(program->count, sizeof(*program->graphs));
	program->base = xcalloc(program->count + 1, sizeof(uint32_t));
	for (size_t i = 0; i < program->count; i++) {
		if (function_graph_build(analysis->objects[i].path, &program->graphs[i], problem, problem_size) != 0)
			return -1;
		program->base[i + 1] = program->base[i] + (uint32_t)program->graphs[i].function_count;
		analysis->objects[i].instructions = program->graphs[i].code.count;
		analysis->objects[i].functions = program->graphs[i].code_function_count;
	}
	program->node_count = program->base[program->count];
	program->node_object = xmalloc((program->node_count + 1) * sizeof(uint16_t));
	for (size_t i = 0; i < program->count; i++)
		for (uint32_t node = program->base[i]; node < program->base[i + 1]; node++)
			program->node_object[node] = (uint16_t)i;
	return 0;
}

/* Binds every import to the first object in load order that exports it. */
static void bind_imports(struct program *program)
{
	struct string_map exports = {0};

	for (size_t i = 0; i < program->count; i++) {
		const struct function_graph *graph = &program->graphs[i];
		for (size_t s = 0; s < graph->image.symbol_count; s++) {
			const struct image_symbol *symbol = &graph->image.symbols[s];
			if (!symbol->exported || !symbol->defined)
				continue;
			uint32_t function = UINT32_MAX;
			if (symbol->function) {
				function = function_graph_find(graph, symbol->address);
				if (function != UINT32_MAX && graph->functions[function].start != symbol->address)
					function = UINT32_MAX;
			} else if (symbol->object && binary_image_has_bytes(&graph->image, symbol->address)) {
				/* a copy relocation's target in bss holds nothing yet: bind to the original */
				function = function_graph_chunk_of(graph, symbol->address);
			}
			if (function != UINT32_MAX)
				string_map_add(&exports, symbol->name, program->base[i] + function);
		}
	}
	program->import_targets = xcalloc(program->count, sizeof(uint32_t *));
	for (size_t i = 0; i < program->count; i++) {
		const struct function_graph *graph = &program->graphs[i];
		program->import_targets[i] = xmalloc((graph->import_count + 1) * sizeof(uint32_t));
		for (size_t k = 0; k < graph->import_count; k++)
			if (!string_map_get(&exports, graph->imports[k], &program->import_targets[i][k]))
				program->import_targets[i][k] = UINT32_MAX;
	}
	string_map_free(&exports);
}

/* One pass over the calls to syscall wrappers (functions that take the
 * number as an argument, like glibc's syscall()). With record set, adds the
 * numbers found at each call; otherwise only spreads the wrapper marks.
 * Returns whether a mark spread. */
static bool pass_over_wrapper_calls(struct program *program, bool record)
{
	bool spread = false;
	for (size_t o = 0; o < program->count; o++) {
		struct function_graph *graph = &program->graphs[o];
		for (uint32_t f = 0; f < graph->function_count; f++) {
			struct graph_function *function = &graph->functions[f];
			uint32_t node = program->base[o] + f;
			for (uint32_t e = function->edge_begin; e < function->edge_end; e++) {
				const struct function_edge *edge = &graph->edges[e];
				uint32_t target = edge->insn == NO_INSN ? UINT32_MAX : edge_target(program, o, edge);
				if (target == UINT32_MAX || target == node || !program->wrapper_mask[target])
					continue;
				for (int k = 0; k < ARGUMENT_REGISTER_COUNT; k++) {
					if (!(program->wrapper_mask[target] & (1u << k)))
						continue;
					struct value_set values;
					register_values_before(&graph->flow, edge->insn, argument_registers[k],
					                       &values);
					if (values.argument_mask & ~program->wrapper_mask[node]) {
						program->wrapper_mask[node] |= values.argument_mask;
						spread = true;
					}
					if (!record)
						continue;
					for (unsigned c = 0; c < values.constant_count; c++) {
						if (values.constants[c] >= 0 && values.constants[c] < SYSCALL_COUNT)
							syscall_set_add(&function->syscalls, (long)values.constants[c]);
						else
							values.unknown = true;
					}
					if (values.unknown)
						function_graph_add_unknown_site(graph, f,
						                                graph->code.insns[edge->insn].address);
				}
			}
		}
	}
	return spread;
}

static void resolve_wrapper_calls(struct program *program)
{
	program->wrapper_mask = xcalloc(program->node_count + 1, 1);
	for (uint32_t node = 0; node < program->node_count; node++)
		program->wrapper_mask[node] = function_of(program, node)->number_argument_mask;
	while (pass_over_wrapper_calls(program, false))
		;
	pass_over_wrapper_calls(program, true);
}

/* A walk over the graph: starts with walk_begin, grows with walk_push, then
 * walk_run visits everything reachable and joins the syscalls into *into. */
static void walk_begin(struct program *program) { program->walk++; }

static void walk_push(struct program *program, uint32_t node, size_t *tail)
{
	if (node == UINT32_MAX || program->stamp[node] == program->walk)
		return;
	program->stamp[node] = program->walk;
	program->queue[(*tail)++] = node;
}

static void walk_run(struct program *program, size_t tail, bool follow_imports, struct syscall_set *into,
                     bool mark_reachable)
{
	for (size_t head = 0; head < tail; head++) {
		uint32_t node = program->queue[head];
		uint16_t o = program->node_object[node];
		const struct function_graph *graph = &program->graphs[o];
		const struct graph_function *function = function_of(program, node);
		syscall_set_merge(into, &function->syscalls);
		if (mark_reachable)
			program->reachable[node] = 1;
		for (uint32_t e = function->edge_begin; e < function->edge_end; e++) {
			if (graph->edges[e].kind == EDGE_IMPORT && !follow_imports)
				continue;
			walk_push(program, edge_target(program, o, &graph->edges[e]), &tail);
		}
	}
}

/* What runs whether or not anyone calls it: initialisers and code that data
 * points to, for object o. */
static void push_object_roots(struct program *program, size_t o, size_t *tail)
{
	const struct function_graph *graph = &program->graphs[o];
	for (size_t i = 0; i < graph->root_count; i++)
		walk_push(program, program->base[o] + graph->roots[i], tail);
}

static void push_loader(struct program *program, size_t *tail)
{
	if (program->loader == SIZE_MAX)
		return;
	for (uint32_t node = program->base[program->loader]; node < program->base[program->loader + 1]; node++)
		walk_push(program, node, tail);
}

static void walk_everything(struct program *program)
{
	struct coverage_analysis *analysis = program->analysis;
	size_t tail = 0;

	walk_begin(program);
	walk_push(program, function_graph_find(&program->graphs[0], program->graphs[0].image.entry), &tail);
	for (size_t o = 0; o < program->count; o++)
		push_object_roots(program, o, &tail);
	push_loader(program, &tail);
	walk_run(program, tail, true, &analysis->needed, true);

	walk_begin(program);
	tail = 0;
	walk_push(program, function_graph_find(&program->graphs[0], program->graphs[0].image.entry), &tail);
	push_object_roots(program, 0, &tail);
	walk_run(program, tail, false, &analysis->from_binary, false);

	walk_begin(program);
	tail = 0;
	push_loader(program, &tail);
	walk_run(program, tail, false, &analysis->from_loader, false);

	walk_begin(program);
	tail = 0;
	for (size_t o = 1; o < program->count; o++)
		if (o != program->loader)
			push_object_roots(program, o, &tail);
	walk_run(program, tail, true, &analysis->from_library_start, false);
}

static int compare_imports(const void *a, const void *b)
{
	return strcmp(((const struct import_needs *)a)->name, ((const struct import_needs *)b)->name);
}

static void walk_imports(struct program *program)
{
	struct coverage_analysis *analysis = program->analysis;
	const struct function_graph *binary = &program->graphs[0];

	analysis->imports = xcalloc(binary->import_count + 1, sizeof(*analysis->imports));
	for (size_t k = 0; k < binary->import_count; k++) {
		struct import_needs *needs = &analysis->imports[analysis->import_count++];
		uint32_t target = program->import_targets[0][k];
		size_t tail = 0;
		needs->name = binary->imports[k];
		if (target == UINT32_MAX)
			continue;
		needs->library = analysis->objects[program->node_object[target]].name;
		walk_begin(program);
		walk_push(program, target, &tail);
		walk_run(program, tail, true, &needs->syscalls, false);
	}
	if (analysis->import_count)
		qsort(analysis->imports, analysis->import_count, sizeof(*analysis->imports), compare_imports);
}

static void collect_unknown_sites(struct program *program)
{
	struct coverage_analysis *analysis = program->analysis;
	for (size_t o = 0; o < program->count; o++) {
		const struct function_graph *graph = &program->graphs[o];
		for (size_t i = 0; i < graph->unknown_site_count; i++) {
			const struct unknown_site *site = &graph->unknown_sites[i];
			uint32_t node = program->base[o] + site->function;
			if (!program->reachable[node] || program->wrapper_mask[node])
				continue;
			analysis->unknown =
			    xrealloc(analysis->unknown, (analysis->unknown_count + 1) * sizeof(*analysis->unknown));
			analysis->unknown[analysis->unknown_count++] = (struct coverage_unknown){
			    .object = analysis->objects[o].name,
			    .function = graph->functions[site->function].name,
			    .function_start = graph->functions[site->function].start,
			    .address = site->address,
			};
		}
		for (uint32_t f = 0; f < graph->code_function_count; f++)
			analysis->objects[o].reachable_functions += program->reachable[program->base[o] + f];
	}
}

static void program_free(struct program *program)
{
	for (size_t i = 0; i < program->count; i++) {
		function_graph_free(&program->graphs[i]);
		if (program->import_targets)
			free(program->import_targets[i]);
	}
	free(program->graphs);
	free(program->import_targets);
	free(program->base);
	free(program->node_object);
	free(program->wrapper_mask);
	free(program->stamp);
	free(program->queue);
	free(program->reachable);
}

/* The binary's own read-only data (its code and writable data aside):
 * where string literals such as "/bin/sh" live. */
static void collect_program_paths(struct program *program)
{
	const struct binary_image *image = &program->graphs[0].image;
	for (size_t i = 0; i < image->section_count; i++) {
		const struct image_section *s = &image->sections[i];
		if (s->bytes && !s->executable && (!strcmp(s->name, ".rodata") || !strncmp(s->name, ".rodata.", 8)))
			program_paths_scan(&program->analysis->programs, s->bytes, s->size);
	}
}

static void copy_names(struct coverage_analysis *analysis)
{
	/* the names point into the graphs, which are about to go: keep copies */
	for (size_t i = 0; i < analysis->import_count; i++)
		analysis->imports[i].name = xstrdup(analysis->imports[i].name);
	for (size_t i = 0; i < analysis->unknown_count; i++)
		if (analysis->unknown[i].function)
			analysis->unknown[i].function = xstrdup(analysis->unknown[i].function);
}

int coverage_analyze(const char *binary, struct coverage_analysis *analysis, char *problem, size_t problem_size)
{
	struct program program = {.analysis = analysis};
	double started = now_seconds();

	*analysis = (struct coverage_analysis){.binary = binary};
	if (libdeps_resolve(binary, NULL, &analysis->deps, problem, problem_size) != 0)
		return -1;
	analysis->dynamic = analysis->deps.interpreter != NULL;
	list_objects(&program, binary);
	int status = build_graphs(&program, problem, problem_size);
	if (status == 0) {
		analysis->position_independent = program.graphs[0].image.type == ET_DYN;
		bind_imports(&program);
		resolve_wrapper_calls(&program);
		program.stamp = xcalloc(program.node_count + 1, sizeof(uint32_t));
		program.queue = xmalloc((program.node_count + 1) * sizeof(uint32_t));
		program.reachable = xcalloc(program.node_count + 1, 1);
		walk_everything(&program);
		walk_imports(&program);
		collect_unknown_sites(&program);
		collect_program_paths(&program);
		copy_names(analysis);
	}
	program_free(&program);
	if (status != 0)
		coverage_analysis_free(analysis);
	analysis->seconds = now_seconds() - started;
	return status;
}

void coverage_analysis_free(struct coverage_analysis *analysis)
{
	for (size_t i = 0; i < analysis->import_count; i++)
		free((char *)analysis->imports[i].name);
	for (size_t i = 0; i < analysis->unknown_count; i++)
		free((char *)analysis->unknown[i].function);
	for (size_t i = 0; i < analysis->object_count; i++)
		free(analysis->objects[i].path);
	free(analysis->objects);
	free(analysis->imports);
	free(analysis->unknown);
	program_paths_free(&analysis->programs);
	libdeps_free(&analysis->deps);
	*analysis = (struct coverage_analysis){0};
}
