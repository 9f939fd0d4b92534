#!/usr/bin/env python3
"""Dependencies point one way: syscalls/ (the Linux ABI) sits on top of
kernel/, loader/, platforms/ and libc-glue/, and nothing in those floors
includes a header from syscalls/. The entry path reaches syscall_dispatch by
its symbol (kernel/arch/x86_64/traps.S), so it needs no header either.

Run from anywhere: it finds the repository from its own place and prints
every offending include with its file and line."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
FLOORS = ("kernel", "loader", "platforms", "libc-glue")
SOURCE_SUFFIXES = {".c", ".h", ".S"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"](syscalls/[^>"]+)[>"]')


def upward_includes():
    for floor in FLOORS:
        for path in sorted((ROOT / floor).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                match = INCLUDE.match(line)
                if match:
                    yield path.relative_to(ROOT), number, match.group(1)


def main():
    scanned = sum(1 for floor in FLOORS for p in (ROOT / floor).rglob("*") if p.suffix in SOURCE_SUFFIXES)
    if scanned < 50:
        print(f"only {scanned} source files found under {', '.join(FLOORS)}: wrong repository root {ROOT}?")
        return 1
    bad = list(upward_includes())
    for path, number, header in bad:
        print(f"{path}:{number}: includes {header}, a header of the syscall layer above it; "
              "move what it needs into kernel/ (or register a hook) instead")
    if bad:
        return 1
    print(f"{scanned} files in {', '.join(FLOORS)}: none includes a header from syscalls/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
