#!/usr/bin/env python3
"""Unit tests for gen_syscalls.py: a small good table generates what it should,
and each kind of mistake fails with the line that holds it."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SYSCALLS_DIR = os.path.dirname(HERE)
GEN = os.path.join(SYSCALLS_DIR, "gen_syscalls.py")
HEADER = os.path.join(SYSCALLS_DIR, "syscall_table.h")

# Number 2 is a hole, as Linux has between 334 and 424.
UNISTD = """\
#ifndef _ASM_UNISTD_64_H
#define _ASM_UNISTD_64_H

#define __NR_read 0
#define __NR_write 1
#define __NR_close 3
#define __NR_getpid 4

#endif
"""

# Lines 1-2 are comments, the rows sit on lines 3-6.
GOOD_ROWS = [
    "0 read   full    fs      -         f:fd,r:buf,u:count",
    "1 write  partial fs      -         f:fd,w:buf,u:count  no \"O_DIRECT\" | yet",
    "3 close  stub    fs      close_any f:fd                always 0",
    "4 getpid none    process -         void                single process",
]
FIRST_ROW_LINE = 3


def table(rows):
    return "# a tiny table\n\n" + "".join(r + "\n" for r in rows)


def compiler():
    return shlex.split(os.environ.get("CC", "cc"))


class GenSyscallsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="gen_syscalls_test.")
        self.addCleanup(shutil.rmtree, self.dir)
        self.unistd = self.path("unistd_64.h")
        with open(self.unistd, "w") as f:
            f.write(UNISTD)

    def path(self, name):
        return os.path.join(self.dir, name)

    def run_gen(self, rows, *extra):
        tbl = self.path("syscalls.tbl")
        with open(tbl, "w") as f:
            f.write(table(rows))
        return subprocess.run(
            [sys.executable, GEN, "--table", tbl, "--unistd", self.unistd,
             "--out-info", self.path("syscall_info.c"),
             "--out-dispatch", self.path("syscall_dispatch.c"),
             "--out-docs", self.path("SYSCALLS.md"), *extra],
            capture_output=True, text=True)

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read()

    def assert_fails_at(self, rows, line, problem):
        result = self.run_gen(rows)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertRegex(result.stderr, rf"syscalls\.tbl:{line}: .*{problem}")
        self.assertFalse(os.path.exists(self.path("syscall_info.c")))

    def with_row(self, index, row):
        rows = list(GOOD_ROWS)
        rows[index] = row
        return rows

    # The good table.

    def test_good_table_generates(self):
        result = self.run_gen(GOOD_ROWS)
        self.assertEqual(result.returncode, 0, result.stderr)

        info = self.read("syscall_info.c")
        self.assertIn('#include "syscalls/syscall_table.h"', info)
        self.assertIn("SYSCALL_COUNT == 5", info)
        self.assertIn('[0] = { "read", SYSCALL_FULL, SYSCALL_FAMILY_FS, "f:fd,r:buf,u:count", "" }', info)
        self.assertIn('"no \\"O_DIRECT\\" | yet"', info)
        self.assertIn('[4] = { "getpid", SYSCALL_NONE, SYSCALL_FAMILY_PROCESS, "", "single process" }', info)
        self.assertNotIn("[2]", info)

        dispatch = self.read("syscall_dispatch.c")
        self.assertIn("long sys_read();", dispatch)
        self.assertIn("[0] = (syscall_handler)sys_read,", dispatch)
        self.assertIn("[3] = (syscall_handler)close_any,", dispatch)
        self.assertNotIn("sys_getpid", dispatch)  # none: NULL, -ENOSYS
        self.assertNotIn("[2]", dispatch)

        docs = self.read("SYSCALLS.md")
        self.assertIn("Implemented (full + partial): 2 of 4.", docs)
        for status, count in (("full", 1), ("partial", 1), ("stub", 1), ("none", 1), ("total", 4)):
            self.assertIn(f"| {status} | {count} |", docs)
        self.assertIn("| fs | 1 | 1 | 1 | 0 | 3 |", docs)
        self.assertIn("| 1 | `write` | partial | fs | no \"O_DIRECT\" \\| yet |", docs)

    def test_generated_c_compiles(self):
        """The generated files build with -Werror against the real header."""
        self.assertEqual(self.run_gen(GOOD_ROWS).returncode, 0)
        include = self.path("include")
        os.makedirs(os.path.join(include, "syscalls"))
        with open(HEADER) as f:
            header = re.sub(r"#define SYSCALL_COUNT \d+", "#define SYSCALL_COUNT 5", f.read())
        with open(os.path.join(include, "syscalls", "syscall_table.h"), "w") as f:
            f.write(header)
        for name in ("syscall_info.c", "syscall_dispatch.c"):
            self.compile(self.path(name), include)

    def compile(self, source, include):
        for flags in (["-ffreestanding", "-nostdlib"], []):
            result = subprocess.run(
                compiler() + ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-Wstrict-prototypes",
                              *flags, "-I", include, "-c", source, "-o", self.path("out.o")],
                capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, f"{source} {flags}:\n{result.stderr}")

    def test_real_generated_files_compile(self):
        """The files the build generated from the real syscalls.tbl (set by meson)."""
        sources = [os.environ.get(v) for v in ("SYSCALL_INFO_C", "SYSCALL_DISPATCH_C")]
        if not all(sources):
            self.skipTest("SYSCALL_INFO_C and SYSCALL_DISPATCH_C not set")
        include = os.path.dirname(SYSCALLS_DIR)  # the repo root
        for source in sources:
            self.compile(source, include)

    def test_check_docs(self):
        self.assertEqual(self.run_gen(GOOD_ROWS).returncode, 0)
        docs = self.path("SYSCALLS.md")

        def check():
            return subprocess.run(
                [sys.executable, GEN, "--table", self.path("syscalls.tbl"),
                 "--unistd", self.unistd, "--check-docs", docs],
                capture_output=True, text=True)

        result = check()
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(docs, "a") as f:
            f.write("hand edit\n")
        result = check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("run `meson compile -C build update-syscall-docs`", result.stderr)

    # Each mistake, reported on its line.

    def test_missing_syscall(self):
        rows = GOOD_ROWS[:1] + GOOD_ROWS[2:]  # write gone: it belongs before close
        self.assert_fails_at(rows, FIRST_ROW_LINE + 1, "missing row for write")

    def test_missing_last_syscall(self):
        self.assert_fails_at(GOOD_ROWS[:3], FIRST_ROW_LINE + 3, "missing row for getpid")

    def test_duplicate(self):
        rows = GOOD_ROWS[:2] + [GOOD_ROWS[1]] + GOOD_ROWS[2:]
        self.assert_fails_at(rows, FIRST_ROW_LINE + 2, "duplicate row for write")

    def test_wrong_number(self):
        rows = self.with_row(2, "2 close stub fs - f:fd always 0")
        self.assert_fails_at(rows, FIRST_ROW_LINE + 2, "close has number 2, but unistd_64.h says 3")

    def test_unknown_syscall(self):
        rows = GOOD_ROWS + ["5 frobnicate none misc - -"]
        self.assert_fails_at(rows, FIRST_ROW_LINE + 4, "unknown syscall frobnicate")

    def test_out_of_order(self):
        rows = [GOOD_ROWS[1], GOOD_ROWS[0]] + GOOD_ROWS[2:]
        self.assert_fails_at(rows, FIRST_ROW_LINE + 1, "ascending number order")

    def test_bad_status(self):
        rows = self.with_row(1, "1 write done fs - f:fd,w:buf,u:count")
        self.assert_fails_at(rows, FIRST_ROW_LINE + 1, "bad status 'done'")

    def test_bad_family(self):
        rows = self.with_row(0, "0 read full files - f:fd,r:buf,u:count")
        self.assert_fails_at(rows, FIRST_ROW_LINE, "bad family 'files'")

    def test_bad_args_code(self):
        rows = self.with_row(0, "0 read full fs - f:fd,q:buf,u:count")
        self.assert_fails_at(rows, FIRST_ROW_LINE, "bad item 'q:buf'")

    def test_input_buffer_needs_length(self):
        rows = self.with_row(1, "1 write full fs - f:fd,w:buf")
        self.assert_fails_at(rows, FIRST_ROW_LINE + 1, "'w:buf' takes its length from the next argument")

    def test_none_with_handler(self):
        rows = self.with_row(3, "4 getpid none process sys_getpid void")
        self.assert_fails_at(rows, FIRST_ROW_LINE + 3, "handler must be -")

    def test_partial_needs_note(self):
        rows = self.with_row(1, "1 write partial fs - f:fd,w:buf,u:count")
        self.assert_fails_at(rows, FIRST_ROW_LINE + 1, "add a note")

    def test_too_few_columns(self):
        rows = self.with_row(0, "0 read full fs -")
        self.assert_fails_at(rows, FIRST_ROW_LINE, "expected at least 6 columns")


if __name__ == "__main__":
    unittest.main(verbosity=2)
