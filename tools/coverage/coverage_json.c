/* `sole coverage --json`: the analysis as one JSON object per binary, for
 * scripts (the soundness test and the compatibility report read it). */
#include "coverage_json.h"

#include "coverage_verdict.h"

void json_print_string(FILE *out, const char *text)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)(text ? text : ""); *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

static void print_libraries(FILE *out, const struct coverage_analysis *analysis)
{
	const struct libdeps *deps = &analysis->deps;
	fprintf(out, "  \"interpreter\": ");
	if (deps->interpreter)
		json_print_string(out, deps->interpreter);
	else
		fputs("null", out);
	fprintf(out, ",\n  \"libraries\": [");
	for (size_t i = 0; i < deps->library_count; i++) {
		fprintf(out, "%s{\"soname\": ", i ? ", " : "");
		json_print_string(out, deps->libraries[i].soname);
		fprintf(out, ", \"path\": ");
		json_print_string(out, deps->libraries[i].real_path);
		fputc('}', out);
	}
	fprintf(out, "],\n  \"missing\": [");
	for (size_t i = 0; i < deps->missing_count; i++) {
		fprintf(out, "%s{\"soname\": ", i ? ", " : "");
		json_print_string(out, deps->missing[i].soname);
		fprintf(out, ", \"needed_by\": ");
		json_print_string(out, deps->missing[i].needed_by);
		fputc('}', out);
	}
	fprintf(out, "],\n");
}

static void print_syscall(FILE *out, const struct coverage_analysis *analysis, long nr, bool first)
{
	const struct syscall_info *info = syscall_lookup(nr);
	const struct {
		const struct syscall_set *set;
		const char *name;
	} sources[] = {{&analysis->from_binary, "own code"},
	               {&analysis->from_loader, "ld.so"},
	               {&analysis->from_library_start, "library start-up"}};

	fprintf(out, "%s\n    {\"nr\": %ld, \"name\": ", first ? "" : ",", nr);
	json_print_string(out, info ? info->name : "?");
	fprintf(out, ", \"status\": \"%s\", \"family\": \"%s\", \"from\": [",
	        syscall_status_name(info ? info->status : SYSCALL_NONE),
	        info ? syscall_family_name(info->family) : "?");
	int listed = 0;
	for (size_t i = 0; i < sizeof sources / sizeof *sources; i++)
		if (syscall_set_has(sources[i].set, nr))
			fprintf(out, "%s\"%s\"", listed++ ? ", " : "", sources[i].name);
	fprintf(out, "], \"imports\": [");
	listed = 0;
	for (size_t i = 0; i < analysis->import_count; i++)
		if (syscall_set_has(&analysis->imports[i].syscalls, nr)) {
			fputs(listed++ ? ", " : "", out);
			json_print_string(out, analysis->imports[i].name);
		}
	fputs("]}", out);
}

void coverage_print_json(FILE *out, const struct coverage_analysis *analysis)
{
	struct coverage_verdict verdict;
	char kind[64];

	coverage_verdict_of(analysis, &verdict);
	coverage_describe_kind(analysis, kind, sizeof kind);
	fprintf(out, "{\n  \"binary\": ");
	json_print_string(out, analysis->binary);
	fprintf(out, ",\n  \"kind\": ");
	json_print_string(out, kind);
	fprintf(out, ",\n  \"dynamic\": %s,\n  \"position_independent\": %s,\n", analysis->dynamic ? "true" : "false",
	        analysis->position_independent ? "true" : "false");
	print_libraries(out, analysis);
	fprintf(out, "  \"seconds\": %.3f,\n", analysis->seconds);
	fprintf(out, "  \"counts\": {\"full\": %d, \"partial\": %d, \"stub\": %d, \"none\": %d, \"total\": %d},\n",
	        verdict.by_status[SYSCALL_FULL], verdict.by_status[SYSCALL_PARTIAL], verdict.by_status[SYSCALL_STUB],
	        verdict.by_status[SYSCALL_NONE], verdict.total);
	fprintf(out, "  \"verdict\": {\"kind\": \"%s\", \"text\": ", verdict_kind_name(verdict.kind));
	json_print_string(out, verdict.text);
	fprintf(out, "},\n  \"syscalls\": [");
	bool first = true;
	for (long nr = 0; nr < SYSCALL_COUNT; nr++)
		if (syscall_set_has(&analysis->needed, nr)) {
			print_syscall(out, analysis, nr, first);
			first = false;
		}
	fprintf(out, "\n  ],\n  \"unknown\": [");
	for (size_t i = 0; i < analysis->unknown_count; i++) {
		const struct coverage_unknown *site = &analysis->unknown[i];
		fprintf(out, "%s\n    {\"object\": ", i ? "," : "");
		json_print_string(out, site->object);
		fprintf(out, ", \"function\": ");
		json_print_string(out, site->function);
		fprintf(out, ", \"address\": \"0x%llx\"}", (unsigned long long)site->address);
	}
	fprintf(out, "%s],\n  \"program_paths\": [", analysis->unknown_count ? "\n  " : "");
	for (size_t i = 0; i < analysis->programs.count; i++) {
		fputs(i ? ", " : "", out);
		json_print_string(out, analysis->programs.paths[i]);
	}
	fprintf(out, "]\n}\n");
}
