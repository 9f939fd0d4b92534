"""The rows with several CPUs: parallel work on 1 and 2 vCPUs, and the servers that use
2 CPUs (nginx with 2 workers, redis with 2 I/O threads, postgres under pgbench).

The parallel rows (bench/timed-run times the work inside each VM, not the boot):
  - Go: bench/go-parallel, 2 goroutines of a fixed xorshift loop, GOMAXPROCS 2;
  - xz: Debian's `xz -T2 -1` of a file of text lines (settings.parallel_mb).
Each runs in sole with 1 vCPU and with 2, in the Linux guest with 2, and natively.
The target: sole with 2 CPUs at least 1.6× sole with 1. The server rows are the
one-CPU rows' own (network.py, postgres.py) with both guests on 2 vCPUs.
"""
import dataclasses
import os
import random
import re
import shutil
import tempfile

import harness
import linux_guest
import network
import postgres
from harness import BenchError, median, progress, ratio
from report import Plot, Section, SummaryRow, Table, number, times

XZ = "/usr/bin/xz"
DATA_PATH = "/data/words.txt"
GOROUTINES = 2
SPEEDUP_TARGET = "2 CPUs ÷ 1 CPU ≥ 1.6×"
WHERES = ("sole, 1 CPU", "sole, 2 CPUs", "Linux guest, 2 CPUs", "native")
# Room for the file in the initrd (and unpacked, in the Linux guest), and xz's buffers.
MEMORY_MB = 512
ELAPSED = re.compile(r"elapsed_ms=([\d.]+) status=(\d+)")


def write_words(path, megabytes):
    """MEGABYTES of lines of random words from a fixed vocabulary: text xz compresses
    about 3:1, the same file on every run."""
    chooser = random.Random(7)
    vocabulary = ["".join(chooser.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(chooser.randint(2, 9)))
                  for _ in range(5000)]
    written = 0
    with open(path, "w") as out:
        while written < megabytes * 1_000_000:
            line = " ".join(chooser.choice(vocabulary) for _ in range(12)) + "\n"
            out.write(line)
            written += len(line)


def elapsed_seconds(where, output):
    """The seconds timed-run printed in OUTPUT; a BenchError when it printed none, or
    when the work failed."""
    found = ELAPSED.search(output)
    if not found:
        raise BenchError(f"{where}: timed-run printed no 'elapsed_ms=N status=S' line:\n{output[-2000:]}")
    if found.group(2) != "0":
        raise BenchError(f"{where}: the work exited with status {found.group(2)}:\n{output[-2000:]}")
    return float(found.group(1)) / 1000


class Workload:
    """One parallel row: ARGV (ARGV[0] a host path) with COPIES as (host, guest) pairs."""

    def __init__(self, label, argv, copies):
        self.label = label
        self.argv = argv
        self.copies = copies


def run_everywhere(settings, workload, guest):
    """{where: seconds} of one run of WORKLOAD in each place; the Linux guest's is None
    when it failed, and left out without GUEST."""
    build = settings.build
    timed = [build.timed_run] + workload.argv
    native = harness.timed([build.timed_run] + [native_path(workload, arg) for arg in workload.argv],
                           timeout=1800)
    seconds = {"native": elapsed_seconds("native", native.stdout + native.stderr)}
    copies = [option for host, guest_path in workload.copies for option in ("--copy", f"{host}:{guest_path}")]
    for cpus in (1, 2):
        on = dataclasses.replace(settings, cpus=cpus, memory_mb=MEMORY_MB)
        in_sole = harness.sole_run(on, timed, settings.machines[0], options=copies, timeout=1800)
        seconds[WHERES[cpus - 1]] = elapsed_seconds(f"sole with {cpus} CPU(s)", in_sole.stdout + in_sole.stderr)
    if guest:
        initrd = linux_guest.initramfs(timed, [(build.timed_run, build.timed_run)] + workload.copies)
        linux = guest.run(initrd, MEMORY_MB, timeout=1800)
        seconds[WHERES[2]] = elapsed_seconds("Linux guest", linux.output) if linux.status == 0 else None
        if seconds[WHERES[2]] is None:
            progress("parallel", f"the Linux guest failed (status {linux.status}); run not counted")
    return seconds


def native_path(workload, arg):
    """ARG as the host names it: a guest path of a copy becomes its host file."""
    for host, guest_path in workload.copies:
        if arg == guest_path:
            return host
    return arg


def parallel(settings):
    """The Go loop and xz -T2 on 1 and 2 vCPUs in sole, on 2 in the Linux guest, and natively."""
    build = settings.build
    machine = settings.machines[0]
    section = Section("parallel", "Several CPUs: parallel work on 1 and 2 vCPUs",
                      f"The same CPU-bound work in sole with `--cpus 1` and `--cpus 2`, in the Linux guest with "
                      f"`-smp 2` (sole's QEMU line with --cpus 2), and natively; `-M {machine}`, {MEMORY_MB} MB. "
                      f"*Go*: bench/go-parallel, {GOROUTINES} goroutines of {settings.go_iterations:,} xorshift "
                      f"steps each, GOMAXPROCS {GOROUTINES}. *xz*: Debian's `xz -T2 -1` of {settings.parallel_mb} MB "
                      "of text lines. bench/timed-run times the work by the clock inside each VM (no boot), the "
                      f"median of {settings.runs} run(s). Under TCG QEMU runs each vCPU on a host thread of its "
                      f"own; this host has {os.cpu_count()} cores.")
    folder = tempfile.mkdtemp(prefix="bench-parallel-")
    try:
        data = os.path.join(folder, "words.txt")
        progress("parallel", f"writing {settings.parallel_mb} MB of text for xz")
        write_words(data, settings.parallel_mb)
        workloads = [
            Workload(f"Go, {GOROUTINES} goroutines", [build.go_parallel, str(settings.go_iterations),
                                                      str(GOROUTINES)], [(build.go_parallel, build.go_parallel)]),
            Workload(f"xz -T2 -1, {settings.parallel_mb} MB", [XZ, "-T2", "-1", "-c", DATA_PATH],
                     [(XZ, XZ), (data, DATA_PATH)]),
        ]
        guest = None
        if settings.linux_guest:
            vm = harness.sole_vm(build, machine, settings.accel, MEMORY_MB, cpus=2)
            guest = linux_guest.LinuxGuest(vm)
        figures = {workload.label: {where: [] for where in WHERES} for workload in workloads}
        for run in range(settings.runs):
            for workload in workloads:
                progress("parallel", f"run {run + 1}/{settings.runs}: {workload.label}")
                for where, value in run_everywhere(settings, workload, guest).items():
                    if value is not None:
                        figures[workload.label][where].append(value)
    finally:
        shutil.rmtree(folder)
    table = Table(["work (s)"] + list(WHERES) + ["sole: 2 CPUs ÷ 1", "Linux ÷ sole, 2 CPUs"], [])
    groups = []
    for label, by_where in figures.items():
        values = [median(by_where[where]) for where in WHERES]
        speedup, advantage = ratio(values[0], values[1]), ratio(values[2], values[1])
        table.rows.append([label] + [number(value, 2) for value in values] + [times(speedup), times(advantage)])
        section.summary.append(SummaryRow(f"{label}: sole 2 CPUs ÷ sole 1 CPU (speed-up), {machine}",
                                          times(speedup), "", "", "", SPEEDUP_TARGET))
        section.summary.append(SummaryRow(f"{label}, 2 vCPUs, {machine}", number(values[1], 2, " s"),
                                          number(values[2], 2, " s") if guest else "not run",
                                          number(values[3], 2, " s"), times(advantage), "sole ≥ Linux"))
        groups.append((label, values))
    section.tables.append(table)
    section.plots.append(Plot("parallel", "Parallel work on 1 and 2 vCPUs (median seconds)", "seconds",
                              list(WHERES), groups))
    if guest:
        section.commands.append((f"Linux guest, 2 vCPUs, {machine}", guest.command("INITRAMFS", MEMORY_MB)))
    return section


def on_two_cpus(row, name, title_suffix):
    """The benchmark ROW (a function of the settings) with both guests on 2 vCPUs, as a
    section of its own: NAME, its title with TITLE_SUFFIX, and its rows' measures marked."""
    def benchmark(settings):
        section = row(dataclasses.replace(settings, cpus=2))
        section.name = name
        section.title += title_suffix
        section.intro += " Here both guests have 2 vCPUs (sole run --cpus 2; -smp 2 on the Linux guest's line)."
        for plot in section.plots:
            plot.name = f"{plot.name}-2cpus"
            plot.title += title_suffix
        for summary in section.summary:
            summary.measure += ", 2 vCPUs"
        return section
    return benchmark


BENCHMARKS = {
    "parallel": parallel,
    "nginx-workers-2cpus": on_two_cpus(network.nginx_workers, "nginx-workers-2cpus", ", on 2 vCPUs"),
    "redis-io-threads-2cpus": on_two_cpus(network.redis_io_threads, "redis-io-threads-2cpus", ", on 2 vCPUs"),
    "postgres-2cpus": on_two_cpus(postgres.pgbench, "postgres-2cpus", ", on 2 vCPUs"),
}
