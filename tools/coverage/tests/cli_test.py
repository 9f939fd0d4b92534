#!/usr/bin/env python3
"""`sole coverage` on the project's static test programs: the views (summary,
--details, --json, --table, --help) and the errors. Usage: cli_test.py SOLE APP"""
import json
import subprocess
import sys

sole, app = sys.argv[1], sys.argv[2]
failures = []


def run(*args):
    return subprocess.run([sole, "coverage", *args], capture_output=True, text=True, timeout=60)


def check(condition, what):
    if not condition:
        failures.append(what)


done = run(app)
check(done.returncode == 0 and "may make" in done.stdout and "verdict:" in done.stdout, f"summary: {done}")
report = json.loads(run("--json", app).stdout)
names = {s["name"] for s in report["syscalls"]}
check({"writev", "exit_group", "arch_prctl"} <= names, f"--json misses musl's start-up syscalls: {sorted(names)}")
check(report["counts"]["total"] == len(names), "--json counts")
check(report["kind"] == "static" and not report["libraries"], f"--json kind {report['kind']}")
check(all(s["from"] == ["own code"] for s in report["syscalls"]), "a static binary's syscalls come from its own code")
details = run("--details", app).stdout
check("writev" in details and "objects analysed" in details, "--details")
table = run("--table").stdout
check("family" in table and "all" in table, "--table")
table_json = json.loads(run("--table", "--json").stdout)
check(len(table_json["syscalls"]) > 300, "--table --json lists the table")
check("Usage: sole coverage" in run("--help").stdout, "--help")
bad = run("--nope", app)
check(bad.returncode == 125 and "--nope" in bad.stderr, f"bad flag: {bad}")
missing = run("/nonexistent/program")
check(missing.returncode == 127, f"missing binary: {missing}")
not_elf = run(__file__)
check(not_elf.returncode == 126 and "not" in not_elf.stderr, f"not an ELF: {not_elf}")

for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
