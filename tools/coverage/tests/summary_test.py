#!/usr/bin/env python3
"""`sole run --syscall-summary` and `sole coverage --run` on static programs:
the table counts calls, errors and ENOSYS answers, and lands on stderr or in
the file named. Usage: summary_test.py SOLE HELLO BUSYBOX"""
import os
import subprocess
import sys
import tempfile

sole, hello, busybox = sys.argv[1:4]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def rows(table):
    found = {}
    for line in table.splitlines():
        fields = line.split()
        if len(fields) == 8 and fields[0][0].isdigit():
            found[fields[6]] = {"calls": int(fields[3]), "errors": int(fields[4]), "enosys": int(fields[5]),
                                "status": fields[7]}
    return found


done = subprocess.run([sole, "run", "--syscall-summary", hello], capture_output=True, text=True, timeout=120)
check(done.returncode == 0 and done.stdout == "hello from sole\n", f"the app's output is untouched: {done.stdout!r}")
table = rows(done.stderr)
check(table.get("exit_group", {}).get("calls") == 1, f"exit_group counted once: {done.stderr}")
check(any(name in table for name in ("write", "writev")), "the write is counted")
check("total" in done.stderr and "% time" in done.stderr, "strace -c style header and total")

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "summary.txt")
    # ls of a missing path: an error; an unknown syscall number would be ENOSYS
    done = subprocess.run([sole, "run", f"--syscall-summary={path}", busybox, "ls", "/no/such/path"],
                          capture_output=True, text=True, timeout=120)
    check(done.returncode == 1, f"busybox ls fails as natively: {done.returncode}")
    with open(path) as f:
        table = rows(f.read())
    check(sum(row["errors"] for row in table.values()) >= 1, f"the failed lookup counts as an error: {table}")
    check("summary" not in done.stderr, "the table went to the file, not stderr")

done = subprocess.run([sole, "coverage", "--run", "--", busybox, "echo", "hi"], capture_output=True, text=True,
                      timeout=120)
check(done.returncode == 0 and "hi\n" in done.stdout and "distinct syscalls" in done.stdout,
      f"coverage --run: {done.stdout} {done.stderr}")
check("every observed one is in it" in done.stdout, f"the static set holds what busybox made: {done.stdout}")

for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
