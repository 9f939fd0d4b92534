#!/usr/bin/env python3
"""The soundness test of `sole coverage`: every syscall that strace -f sees a
real program make natively must be in the static set the analysis gives for
it. Also reports how much the static set over-approximates what was seen.
Usage: soundness.py SOLE [PROGRAM...]  (programs: see workloads.WORKLOADS)"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workloads  # noqa: E402

CALL = re.compile(r"^\d+\s+(?:<\.\.\. )?([a-z_0-9]+)(?:\(| resumed>)")


def observed_syscalls(name):
    with tempfile.NamedTemporaryFile(suffix=".strace") as trace:
        workloads.run(name, ["strace", "-f", "-qq", "-o", trace.name])
        names = set()
        with open(trace.name) as lines:
            for line in lines:
                match = CALL.match(line)
                if match:
                    names.add(match.group(1))
        return names


def static_syscalls(sole, binary):
    done = subprocess.run([sole, "coverage", "--json", binary], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"sole coverage {binary} failed: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    return report, {s["name"] for s in report["syscalls"]}


def main():
    sole, names = sys.argv[1], sys.argv[2:] or list(workloads.WORKLOADS)
    failures = 0
    print(f"{'program':<14} {'static':>6} {'seen':>5} {'missing':>7}  over-approximation")
    for name in names:
        binary = workloads.WORKLOADS[name][0]
        report, static = static_syscalls(sole, binary)
        seen = observed_syscalls(name)
        missing = sorted(seen - static)
        failures += bool(missing)
        print(f"{name:<14} {len(static):>6} {len(seen):>5} {len(missing):>7}  "
              f"{len(static) / max(len(seen), 1):.1f}x ({report['seconds']:.2f} s analysis, "
              f"{len(report['unknown'])} unknown-number sites)")
        if missing:
            print(f"  seen natively but not in the static set: {', '.join(missing)}")
    if failures:
        print(f"soundness: {failures} program(s) made syscalls the static analysis missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
