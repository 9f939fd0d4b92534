#!/usr/bin/env python3
"""The kernel never reads %fs on its own: while it runs, FS_BASE is the app's,
so a musl function built with the stack protector (strcspn is one) would read
its canary at %fs:0x28 from app memory and could fault the kernel. musl's
vsnprintf and what it calls may, because libc-glue/kformat.c enters it only
through libc_enter, which points FS_BASE at the kernel's own TLS.

Usage: test_kernel_tls.py KERNEL_ELF. Names every function that reads %fs
outside that entry, or that the rest of the kernel calls directly, and exits 1
when there is one."""
import re
import subprocess
import sys

ENTERED_FROM = "kvsnprintf"  # libc-glue/kformat.c: the one door into musl that sets the kernel's TLS


def read_listing(elf):
    """(functions that read %fs, {function: the functions it calls})."""
    listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", elf], capture_output=True, text=True,
                             check=True).stdout
    reads_fs, calls, current = set(), {}, None
    for line in listing.splitlines():
        header = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if header:
            current = header.group(1)
            calls.setdefault(current, set())
            continue
        if not current:
            continue
        if "%fs:" in line:
            reads_fs.add(current)
        call = re.search(r"\b(?:call|jmp)\s+[0-9a-f]+ <([^+>]+)>", line)
        if call and call.group(1) != current:
            calls[current].add(call.group(1))
    return reads_fs, calls


def own_functions(elf):
    """The kernel's own functions: those the debug information gives a source line (musl's have none)."""
    symbols = subprocess.run(["nm", "-l", "--defined-only", elf], capture_output=True, text=True, check=True).stdout
    return {line.split()[2] for line in symbols.splitlines() if "\t" in line and len(line.split()) >= 3}


def main():
    reads_fs, calls = read_listing(sys.argv[1])
    own = own_functions(sys.argv[1])
    touches_fs = set(reads_fs)  # musl functions that read %fs themselves or through what they call
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in own and name not in touches_fs and callees & touches_fs:
                touches_fs.add(name)
                changed = True
    problems = [f"{name} reads %fs" for name in sorted(reads_fs & own)]
    for caller in sorted(own - {ENTERED_FROM}):
        for callee in sorted(calls.get(caller, set()) & touches_fs - own):
            problems.append(f"{caller} calls musl's {callee}, which reads %fs (the stack protector's canary)")
    for problem in problems:
        print(f"{problem}: FS_BASE is the app's while the kernel runs; write the loop in the kernel instead, "
              "or go through libc-glue/kformat.c")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
