/* `sole coverage --html DIR`: a static page (DIR/index.html) with a grid of
 * every x86_64 syscall coloured by sole's status, and per program the grid of
 * what it may make, the syscalls that are not implemented, and the verdict. */
#include "coverage_html.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "coverage_verdict.h"
#include "diag.h"
#include "xalloc.h"

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:2em;background:#fafafa;color:#222}"
	"h1{margin-bottom:.2em}section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1em;"
	"margin:1.5em 0}.grid{display:grid;grid-template-columns:repeat(32,1fr);gap:2px;max-width:1100px}"
	".cell{height:22px;font-size:9px;line-height:22px;text-align:center;color:#fff;border-radius:2px;"
	"overflow:hidden}.full{background:#2e7d32}.partial{background:#9ccc65;color:#222}"
	".stub{background:#ffb300;color:#222}.none{background:#c62828}.hole{background:#eee;color:#999}"
	".unused{background:#e0e0e0;color:#aaa}.legend span{display:inline-block;padding:2px 8px;margin-right:6px;"
	"border-radius:3px}.verdict{font-size:1.1em;font-weight:600;padding:.4em .8em;border-radius:4px;"
	"display:inline-block}.v-likely{background:#c8e6c9}.v-stubs{background:#fff3c4}"
	".v-enosys{background:#ffcdd2}.v-refused{background:#e0e0e0}table{border-collapse:collapse}"
	"td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}";

static void put_escaped(FILE *out, const char *text)
{
	for (; text && *text; text++) {
		switch (*text) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*text, out);
		}
	}
}

/* One cell per syscall number; with needed set, the ones outside it are greyed. */
static void put_grid(FILE *out, const struct syscall_set *needed)
{
	fputs("<div class=\"grid\">\n", out);
	for (long nr = 0; nr < SYSCALL_COUNT; nr++) {
		const struct syscall_info *info = syscall_lookup(nr);
		const char *status = info ? syscall_status_name(info->status) : "hole";
		const char *shown = !info ? "hole" : needed && !syscall_set_has(needed, nr) ? "unused" : status;
		fprintf(out, "<div class=\"cell %s\" title=\"%ld %s: %s\">%ld</div>", shown, nr,
			info ? info->name : "(unused number)", status, nr);
	}
	fputs("\n</div>\n", out);
}

static void put_table_section(FILE *out)
{
	int counts[SYSCALL_FULL + 1] = {0};
	for (long nr = 0; nr < SYSCALL_COUNT; nr++)
		if (syscall_lookup(nr))
			counts[syscall_info[nr].status]++;
	fprintf(out, "<section><h2>sole's syscall table</h2><p class=\"legend\">"
		     "<span class=\"full\">full %d</span><span class=\"partial\">partial %d</span>"
		     "<span class=\"stub\">stub %d</span><span class=\"none\">none %d</span></p>\n",
		counts[SYSCALL_FULL], counts[SYSCALL_PARTIAL], counts[SYSCALL_STUB], counts[SYSCALL_NONE]);
	put_grid(out, NULL);
	fputs("</section>\n", out);
}

static const char *verdict_class(enum verdict_kind kind)
{
	static const char *const classes[] = {[VERDICT_LIKELY] = "v-likely", [VERDICT_STUBS] = "v-stubs",
					      [VERDICT_ENOSYS] = "v-enosys", [VERDICT_NOT_RUNNABLE] = "v-refused"};
	return classes[kind];
}

static void put_app_section(FILE *out, const struct coverage_analysis *analysis)
{
	struct coverage_verdict verdict;
	char kind[64];

	coverage_verdict_of(analysis, &verdict);
	coverage_describe_kind(analysis, kind, sizeof kind);
	fputs("<section><h2>", out);
	put_escaped(out, analysis->binary);
	fprintf(out, "</h2><p>%s; may make %d distinct syscalls: full %d, partial %d, stub %d, none %d", kind,
		verdict.total, verdict.by_status[SYSCALL_FULL], verdict.by_status[SYSCALL_PARTIAL],
		verdict.by_status[SYSCALL_STUB], verdict.by_status[SYSCALL_NONE]);
	if (analysis->unknown_count)
		fprintf(out, "; %zu syscall sites with a number the analysis cannot tell", analysis->unknown_count);
	fprintf(out, ".</p><p class=\"verdict %s\">", verdict_class(verdict.kind));
	put_escaped(out, verdict.text);
	fputs("</p>\n", out);
	put_grid(out, &analysis->needed);
	fputs("<table><tr><th>nr</th><th>syscall</th><th>status</th><th>note</th></tr>\n", out);
	for (long nr = 0; nr < SYSCALL_COUNT; nr++) {
		const struct syscall_info *info = syscall_lookup(nr);
		if (!syscall_set_has(&analysis->needed, nr) || (info && info->status == SYSCALL_FULL))
			continue;
		fprintf(out, "<tr><td>%ld</td><td>%s</td><td class=\"%s\">%s</td><td>", nr, info ? info->name : "?",
			syscall_status_name(info ? info->status : SYSCALL_NONE),
			syscall_status_name(info ? info->status : SYSCALL_NONE));
		put_escaped(out, info ? info->note : "");
		fputs("</td></tr>\n", out);
	}
	fputs("</table></section>\n", out);
}

int coverage_write_html(const char *dir, const struct coverage_analysis *analyses, size_t count)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		sole_error("--html %s: cannot create the folder: %s", dir, strerror(errno));
		return -1;
	}
	char *path = xasprintf("%s/index.html", dir);
	FILE *out = fopen(path, "w");
	if (!out) {
		sole_error("--html %s: cannot write %s: %s", dir, path, strerror(errno));
		free(path);
		return -1;
	}
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<title>sole coverage</title><style>%s</style></head><body>\n"
		     "<h1>sole coverage</h1><p>Which Linux x86_64 syscalls sole implements, and which ones each "
		     "program may make (static analysis of the binary and its libraries).</p>\n",
		     style);
	for (size_t i = 0; i < count; i++)
		put_app_section(out, &analyses[i]);
	put_table_section(out);
	fputs("</body></html>\n", out);
	int status = fclose(out) == 0 ? 0 : -1;
	if (status != 0)
		sole_error("--html %s: writing %s failed: %s", dir, path, strerror(errno));
	free(path);
	return status;
}
