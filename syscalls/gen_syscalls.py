#!/usr/bin/env python3
"""Checks syscalls.tbl against the host's asm/unistd_64.h, then generates from it
syscall_info.c (kernel and host tool), syscall_dispatch.c (kernel) and
docs/SYSCALLS.md. Errors are printed as `syscalls.tbl:LINE: problem`."""

import argparse
import os
import re
import sys

DEFAULT_UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
UPDATE_DOCS_HINT = "meson compile -C build update-syscall-docs"

STATUSES = ("full", "partial", "stub", "none")  # the order used in the docs
FAMILIES = ("fs", "mm", "process", "sched", "time", "signal", "poll", "net",
            "ipc", "security", "misc")
ARG_CODES = "iuxpsofwr"
MAX_ARGS = 6
NO_ARGS = "void"      # the syscall takes no arguments
UNDESCRIBED = "-"     # the tracer prints three hex values

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
UNISTD_LINE = re.compile(r"#define\s+__NR_(\w+)\s+(\d+)\s*$")


class Row:
    def __init__(self, line, nr, name, status, family, handler, args, note):
        self.line = line
        self.nr = nr
        self.name = name
        self.status = status
        self.family = family
        self.handler = handler  # None for a none row
        self.args = args        # None when undescribed, "" for no arguments
        self.note = note


def parse_unistd(path):
    """Returns {name: nr} for every __NR_ define in unistd_64.h."""
    numbers = {}
    with open(path, encoding="ascii") as f:
        for text in f:
            m = UNISTD_LINE.match(text.strip())
            if m:
                numbers[m.group(1)] = int(m.group(2))
    if not numbers:
        raise SystemExit(f"{path}: no __NR_ definitions found")
    return numbers


def check_args(args):
    """Returns None when the args column is valid, else the problem."""
    if args in (UNDESCRIBED, NO_ARGS):
        return None
    items = args.split(",")
    if len(items) > MAX_ARGS:
        return f"args: {len(items)} arguments, at most {MAX_ARGS}"
    names = set()
    for i, item in enumerate(items):
        code, sep, name = item.partition(":")
        if not sep or len(code) != 1 or code not in ARG_CODES:
            return (f"args: bad item '{item}': expected code:name with code "
                    f"one of {', '.join(ARG_CODES)}")
        if not IDENT.match(name):
            return f"args: bad argument name '{name}' in '{item}'"
        if name in names:
            return f"args: argument name '{name}' used twice"
        names.add(name)
        if code == "w" and i == len(items) - 1:
            return f"args: '{item}' takes its length from the next argument, but it is the last"
    return None


def parse_table(text):
    """Parses the table. Returns (rows, errors, number of lines)."""
    rows, errors = [], []
    lines = text.splitlines()
    for lineno, raw in enumerate(lines, 1):
        def error(msg):
            errors.append((lineno, msg))

        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        cols = stripped.split(None, 6)
        if len(cols) < 6:
            error(f"expected at least 6 columns (nr name status family handler args), got {len(cols)}")
            continue
        nr_text, name, status, family, handler, args = cols[:6]
        note = cols[6].strip() if len(cols) > 6 else ""
        if not nr_text.isdigit():
            error(f"number '{nr_text}' is not a non-negative integer")
            continue
        bad = False
        if status not in STATUSES:
            error(f"bad status '{status}' for {name}: expected one of {', '.join(STATUSES)}")
            bad = True
        if family not in FAMILIES:
            error(f"bad family '{family}' for {name}: expected one of {', '.join(FAMILIES)}")
            bad = True
        if handler != "-" and not IDENT.match(handler):
            error(f"bad handler '{handler}' for {name}: expected a C identifier or -")
            bad = True
        if status == "none" and handler != "-":
            error(f"{name} has status none, so its handler must be - (got '{handler}')")
            bad = True
        if status in ("partial", "stub") and not note:
            what = "what is missing" if status == "partial" else "what fixed answer it gives"
            error(f"{name} is {status}: add a note saying {what}")
            bad = True
        problem = check_args(args)
        if problem:
            error(f"{name}: {problem}")
            bad = True
        if not note.isascii() or not note.isprintable():
            error(f"{name}: the note must be printable ASCII")
            bad = True
        if bad:
            continue
        if status == "none":
            handler = None
        elif handler == "-":
            handler = "sys_" + name
        if args == UNDESCRIBED:
            args = None
        elif args == NO_ARGS:
            args = ""
        rows.append(Row(lineno, int(nr_text), name, status, family, handler, args, note))
    return rows, errors, len(lines)


def check_against_unistd(rows, nlines, unistd, unistd_name):
    """Every unistd name exactly once with its number, nothing else, in order."""
    errors = []
    by_name, by_nr = {}, {}
    last_nr = -1
    for row in rows:
        if row.name in by_name:
            errors.append((row.line, f"duplicate row for {row.name} (first at line {by_name[row.name].line})"))
            continue
        by_name[row.name] = row
        if row.name not in unistd:
            errors.append((row.line, f"unknown syscall {row.name}: not in {unistd_name}"))
        elif unistd[row.name] != row.nr:
            errors.append((row.line, f"{row.name} has number {row.nr}, but {unistd_name} says {unistd[row.name]}"))
        if row.nr in by_nr:
            first = by_nr[row.nr]
            errors.append((row.line, f"duplicate number {row.nr} (first at line {first.line}, {first.name})"))
        else:
            by_nr[row.nr] = row
            if row.nr < last_nr:
                errors.append((row.line, f"rows must be in ascending number order: {row.nr} comes after {last_nr}"))
        last_nr = max(last_nr, row.nr)
    for name, nr in sorted(unistd.items(), key=lambda item: item[1]):
        if name in by_name:
            continue
        # Point at the row it belongs before, so the fix is obvious.
        after = [r for r in rows if r.nr > nr]
        if after:
            line = min(after, key=lambda r: r.line).line
            where = "it belongs before this line"
        else:
            line = nlines + 1
            where = "it belongs at the end"
        errors.append((line, f"missing row for {name} (number {nr} in {unistd_name}); {where}"))
    return errors


def load(table_path, unistd_path):
    """Returns the rows sorted by number, or exits printing every error."""
    with open(table_path, encoding="utf-8") as f:
        text = f.read()
    unistd = parse_unistd(unistd_path)
    rows, errors, nlines = parse_table(text)
    if not errors:
        errors = check_against_unistd(rows, nlines, unistd, os.path.basename(unistd_path))
    if errors:
        for line, msg in sorted(errors):
            print(f"{table_path}:{line}: {msg}", file=sys.stderr)
        sys.exit(1)
    return sorted(rows, key=lambda r: r.nr)


def c_string(text):
    if text is None:
        return "NULL"
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("??", "?\\?")
    return f'"{text}"'


GENERATED_C = "/* Generated by syscalls/gen_syscalls.py from syscalls/syscalls.tbl. Do not edit. */\n"


def count_check(rows):
    count = rows[-1].nr + 1
    return (f'_Static_assert(SYSCALL_COUNT == {count},\n'
            f'\t       "SYSCALL_COUNT in syscall_table.h must be {count}, the highest syscall number + 1");\n')


def render_info(rows):
    out = [GENERATED_C,
           "/* What every syscall number is, for the kernel's log and tracer and for `sole coverage`. */\n",
           '#include "syscalls/syscall_table.h"\n\n',
           count_check(rows), "\n",
           "const struct syscall_info syscall_info[SYSCALL_COUNT] = {\n"]
    for r in rows:
        out.append(f"\t[{r.nr}] = {{ {c_string(r.name)}, SYSCALL_{r.status.upper()}, "
                   f"SYSCALL_FAMILY_{r.family.upper()}, {c_string(r.args)}, {c_string(r.note)} }},\n")
    out.append("};\n")
    return "".join(out)


def render_dispatch(rows):
    handlers = []
    for r in rows:
        if r.handler and r.handler not in handlers:
            handlers.append(r.handler)
    out = [GENERATED_C,
           "/* The kernel's dispatch table: syscall number to handler, NULL for -ENOSYS. */\n",
           '#include "syscalls/syscall_table.h"\n\n',
           count_check(rows), "\n",
           "/* Each handler is defined with its real parameter types in its family's file;\n",
           " * declaring it without a prototype lets one table hold them all. */\n",
           "#pragma GCC diagnostic push\n",
           '#pragma GCC diagnostic ignored "-Wstrict-prototypes"\n']
    out += [f"long {h}();\n" for h in handlers]
    out += ["#pragma GCC diagnostic pop\n\n",
            "const syscall_handler syscall_handlers[SYSCALL_COUNT] = {\n"]
    for r in rows:
        if r.handler:
            out.append(f"\t[{r.nr}] = (syscall_handler){r.handler},\n")
    out.append("};\n")
    return "".join(out)


def md_cell(text):
    return text.replace("|", "\\|")


def render_docs(rows):
    counts = {s: 0 for s in STATUSES}
    by_family = {f: {s: 0 for s in STATUSES} for f in FAMILIES}
    for r in rows:
        counts[r.status] += 1
        by_family[r.family][r.status] += 1
    implemented = counts["full"] + counts["partial"]
    out = ["# Linux x86_64 syscalls in sole\n\n",
           "<!-- Generated by syscalls/gen_syscalls.py from syscalls/syscalls.tbl. Do not edit:\n",
           f"     change the table, then run `{UPDATE_DOCS_HINT}`. -->\n\n",
           "One row per syscall of the host's `asm/unistd_64.h`.\n\n",
           "- **full**: behaves as on Linux.\n",
           "- **partial**: the common cases work; the note says what is missing.\n",
           "- **stub**: returns a fixed answer; never counted as implemented.\n",
           "- **none**: returns -ENOSYS (logged once per number).\n\n",
           f"**Implemented (full + partial): {implemented} of {len(rows)}.**\n\n",
           "| status | syscalls |\n|---|---:|\n"]
    out += [f"| {s} | {counts[s]} |\n" for s in STATUSES]
    out.append(f"| total | {len(rows)} |\n\n")

    out += ["## By family\n\n",
            "| family | " + " | ".join(STATUSES) + " | total |\n",
            "|---|" + "---:|" * (len(STATUSES) + 1) + "\n"]
    for f in FAMILIES:
        cells = [str(by_family[f][s]) for s in STATUSES]
        out.append(f"| {f} | " + " | ".join(cells) + f" | {sum(by_family[f].values())} |\n")
    out.append("| total | " + " | ".join(str(counts[s]) for s in STATUSES) + f" | {len(rows)} |\n\n")

    out += ["## Every syscall\n\n",
            "| nr | name | status | family | note |\n|---:|---|---|---|---|\n"]
    for r in rows:
        out.append(f"| {r.nr} | `{r.name}` | {r.status} | {r.family} | {md_cell(r.note)} |\n")
    return "".join(out)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--table", required=True, help="syscalls.tbl")
    ap.add_argument("--unistd", default=DEFAULT_UNISTD, help="asm/unistd_64.h (default: %(default)s)")
    ap.add_argument("--out-info", help="write syscall_info.c here")
    ap.add_argument("--out-dispatch", help="write syscall_dispatch.c here")
    ap.add_argument("--out-docs", help="write SYSCALLS.md here")
    ap.add_argument("--check-docs", metavar="MD",
                    help="fail unless MD equals the docs the table generates")
    opts = ap.parse_args(argv)

    rows = load(opts.table, opts.unistd)
    if opts.out_info:
        write(opts.out_info, render_info(rows))
    if opts.out_dispatch:
        write(opts.out_dispatch, render_dispatch(rows))
    if opts.out_docs:
        write(opts.out_docs, render_docs(rows))
    if opts.check_docs:
        try:
            with open(opts.check_docs, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != render_docs(rows):
            print(f"{opts.check_docs} is out of date with {opts.table}; "
                  f"run `{UPDATE_DOCS_HINT}` and commit it", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
