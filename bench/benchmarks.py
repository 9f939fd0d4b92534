"""The benchmarks: boot, memory, size, syscall cost, process creation, sqlite and stdin here;
nginx and redis in network.py (which also gives the memory table its server lines);
sqlite and sequential I/O on a volume in volumes.py; PostgreSQL under pgbench in postgres.py;
the rows with 2 vCPUs in smp.py.

Each takes the run's Settings and returns a report.Section. Every figure comes
from sole (`sole run`), from the Linux guest (linux_guest.py, on sole's own QEMU
command line) and, where it makes sense, from the same binary run natively.
"""
import os
import re
import shutil
import struct
import subprocess
import tempfile

import harness
import linux_guest
import network
import postgres
import smp
import sqlite_script
import volumes
from harness import BenchError, median, progress, ratio
from report import Plot, Section, SummaryRow, Table, number, times

SQLITE3 = "/usr/bin/sqlite3"
HELLO_LINE = "hello from sole"
# How long one probe of the memory search may take.
PROBE_TIMEOUT = 90
# A Linux boot that takes this long has hung (it takes seconds under TCG).
LINUX_BOOT_TIMEOUT = 60
NOT_RUN = "not run"


def guest_cell(guest, text):
    """TEXT in a Linux-guest column, or "not run" when this run has no Linux guest (--smoke)."""
    return text if guest else NOT_RUN


def floor_command(qemu, floor_kernel):
    """sole's QEMU command line with the floor kernel (it powers off at once), no initrd,
    and the UART on a null chardev, as nobody hands this QEMU the pipe sole gives it."""
    out, args = [], iter(qemu)
    for arg in args:
        if arg in ("-initrd", "-append", "-add-fd"):
            next(args)
        elif arg == "-chardev" and (value := next(args)).startswith("file,id=uart"):
            out += [arg, "null,id=uart"]
        elif arg == "-chardev":
            out += [arg, value]
        elif arg == "-kernel":
            next(args)
            out += [arg, floor_kernel]
        else:
            out.append(arg)
    return out


def milliseconds(values):
    return [value * 1000 for value in values]


def boot(settings):
    """End-to-end boot of a static hello, with the QEMU floor and sole's guest-side boot."""
    build = settings.build
    section = Section("boot", "Boot: a static hello, QEMU start to exit",
                      f"`test-apps/hello-musl-static` (musl, static), {settings.runs} runs "
                      "each, alternating. *sole* is `sole run` end to end (it packs its initrd too); "
                      "*floor* is QEMU with a kernel that powers off at its first instruction; "
                      "*Linux guest* boots Debian's cloud kernel with a prebuilt initramfs; "
                      "*guest side* is sole's kernel entry to the app's first instruction, from the TSC.")
    table = Table(["machine", "what", "min (ms)", "median (ms)", "failed runs"], [])
    groups = []
    for machine in settings.machines:
        vm = harness.sole_vm(build, machine, settings.accel, settings.memory_mb)
        floor = floor_command(vm.qemu, build.floor_kernel)
        guest = linux_guest.LinuxGuest(vm) if settings.linux_guest else None
        hello_initrd = linux_guest.initramfs([build.hello]) if guest else None
        sole_times, floor_times, guest_side, linux_times, native_times = [], [], [], [], []
        linux_failures = 0
        for run in range(settings.runs):
            progress("boot", f"{machine}: run {run + 1}/{settings.runs}")
            result = harness.sole_run(settings, [build.hello], machine)
            if not result.ok or HELLO_LINE not in result.stdout:
                raise BenchError(f"sole run {build.hello} failed (status {result.status}):\n{result.stderr}")
            sole_times.append(result.seconds)
            floor_times.append(harness.timed(floor).seconds)
            verbose = harness.sole_run(settings, [build.hello], machine, options=["--verbose"])
            microseconds = harness.guest_boot_microseconds(verbose.stderr)
            if microseconds is not None:
                guest_side.append(microseconds / 1000)
            native_times.append(harness.timed([build.hello]).seconds)
            if guest:
                linux = guest.run(hello_initrd, timeout=LINUX_BOOT_TIMEOUT)
                if linux.ok and HELLO_LINE in linux.output:
                    linux_times.append(linux.seconds)
                else:
                    linux_failures += 1
                    progress("boot", f"{machine}: the Linux guest failed or hung "
                             f"({'timed out' if linux.timed_out else f'status {linux.status}'})")
        rows = [("sole, end to end", milliseconds(sole_times), 0),
                ("floor: QEMU, kernel exits", milliseconds(floor_times), 0),
                ("sole, guest side", guest_side, 0),
                ("native process", milliseconds(native_times), 0)]
        if guest:
            rows.insert(1, ("Linux guest, end to end", milliseconds(linux_times), linux_failures))
        for what, values, failures in rows:
            table.rows.append([machine, what, number(min(values) if values else None),
                               number(median(values)), f"{failures} of {settings.runs}" if failures else ""])
        sole_ms, linux_ms = median(milliseconds(sole_times)), median(milliseconds(linux_times))
        section.summary.append(SummaryRow(
            f"boot, static hello, end to end, median ({machine})", number(sole_ms, 0, " ms"),
            guest_cell(guest, number(linux_ms, 0, " ms")), number(median(milliseconds(native_times)), 1, " ms"),
            times(ratio(linux_ms, sole_ms)), "Linux ÷ sole ≥ 20×"))
        section.summary.append(SummaryRow(
            f"boot, sole guest side, kernel entry to app ({machine})", number(median(guest_side), 2, " ms"),
            "", "", "", ""))
        groups.append((machine, [sole_ms, median(milliseconds(floor_times)), linux_ms]))
        section.commands.append((f"sole, {machine}", vm.qemu))
        section.commands.append((f"floor, {machine}", floor))
        if guest:
            section.commands.append((f"Linux guest, {machine}", guest.command("INITRAMFS")))
    section.tables.append(table)
    if settings.linux_guest:
        section.notes.append("The Linux guest is told the TSC rate (`tsc_early_khz`, as sole measured it): "
                             "microvm has no HPET or ACPI PM timer, and under TCG on a busy host its PIT "
                             "calibration fails often enough that the kernel then hangs at boot (2 of 8 tries "
                             "on microvm here without it; none with it).")
    section.plots.append(Plot("boot", "Static hello, QEMU start to exit (median)", "ms",
                              ["sole", "floor", "Linux guest"], groups, logscale=True))
    return section


def memory(settings):
    """The smallest -m at which a static hello, the sqlite3 script, nginx and redis-server still work."""
    build = settings.build
    section = Section("memory", "Memory: the smallest -m that still works",
                      f"A binary search in 1 MB steps from 1 to {harness.MEMORY_CEILING_MB} MB on "
                      f"`-M {settings.machines[0]}`. *hello* must print its line; *sqlite3* runs a "
                      "2,000-row script and must print the native checksum; *nginx* must serve its page "
                      "to curl and *redis-server* must answer redis-cli's PING, over the user network "
                      f"(`-p`), within {network.READY_TIMEOUT} s of QEMU's start.")
    machine = settings.machines[0]
    vm = harness.sole_vm(build, machine, settings.accel, settings.memory_mb)
    guest = linux_guest.LinuxGuest(vm) if settings.linux_guest else None
    work = tempfile.mkdtemp(prefix="bench-memory-")
    try:
        script = os.path.join(work, "memory.sql")
        with open(script, "w") as sql:
            sql.write(sqlite_script.script(2000, 50))
        expected = sqlite_script.checksum(harness.timed([SQLITE3, ":memory:", ".read memory.sql"], cwd=work).stdout)

        def batch_probes(name, argv, copies, correct):
            """(sole works at MB, Linux guest works at MB) for an app that runs to its
            end: it must exit 0 and its output pass CORRECT. COPIES are (host, guest) paths."""
            def sole_works(megabytes):
                options = [option for _, guest_path in copies for option in ("--copy", guest_path.lstrip("/"))]
                result = harness.sole_run(settings, argv, machine, megabytes, options, cwd=work,
                                          timeout=PROBE_TIMEOUT)
                works = result.ok and correct(result.stdout)
                progress("memory", f"{name}: sole at {megabytes} MB: {'works' if works else 'fails'}")
                return works

            def linux_works(megabytes):
                result = guest.run(initrd, megabytes, timeout=PROBE_TIMEOUT)
                works = result.ok and correct(result.output)
                progress("memory", f"{name}: Linux guest at {megabytes} MB: {'works' if works else 'fails'}")
                return works

            initrd = linux_guest.initramfs(argv, copies) if guest else None
            return sole_works, linux_works

        cases = [
            ("hello", *batch_probes("hello", [build.hello], [], lambda output: HELLO_LINE in output)),
            ("sqlite3 script", *batch_probes("sqlite3 script", [SQLITE3, ":memory:", ".read memory.sql"],
                                             [(script, "/memory.sql")],
                                             lambda output: sqlite_script.checksum(output) == expected)),
            ("nginx serving one page", *network.server_probes("nginx", settings, work)),
            ("redis-server answering PING", *network.server_probes("redis", settings, work)),
        ]
        table = Table(["app", "sole (MB)", "Linux guest (MB)", "Linux ÷ sole"], [])
        groups = []
        for name, sole_works, linux_works in cases:
            sole_mb = harness.smallest_memory(sole_works, harness.MEMORY_CEILING_MB)
            linux_mb = harness.smallest_memory(linux_works, harness.MEMORY_CEILING_MB) if guest else None
            table.rows.append([name, number(sole_mb, 0), guest_cell(guest, number(linux_mb, 0)),
                               times(ratio(linux_mb, sole_mb))])
            section.summary.append(SummaryRow(f"memory, smallest -m, {name}", number(sole_mb, 0, " MB"),
                                              guest_cell(guest, number(linux_mb, 0, " MB")), "",
                                              times(ratio(linux_mb, sole_mb)), "sole ≤ ¼ of Linux"))
            groups.append((name, [sole_mb, linux_mb]))
    finally:
        shutil.rmtree(work)
    section.tables.append(table)
    section.plots.append(Plot("memory", "Smallest guest memory that works", "MB",
                              ["sole", "Linux guest"], groups))
    section.commands.append((f"sole, {machine} (-m varies)", vm.qemu))
    if guest:
        section.commands.append((f"Linux guest, {machine} (-m varies)", guest.command("INITRAMFS")))
    return section


def loadable_sizes(elf_path):
    """Bytes of an ELF64's PT_LOAD segments: (code and read-only data, data, bss)."""
    with open(elf_path, "rb") as elf:
        image = elf.read()
    if image[:4] != b"\x7fELF" or image[4] != 2:
        raise BenchError(f"{elf_path} is not an ELF64 file; rebuild it with ninja")
    phoff, = struct.unpack_from("<Q", image, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", image, 0x36)
    text = data = bss = 0
    for index in range(phnum):
        kind, flags, _, _, _, filesz, memsz, _ = struct.unpack_from("<IIQQQQQQ", image, phoff + index * phentsize)
        if kind != 1:  # PT_LOAD
            continue
        if flags & 2:  # PF_W
            data += filesz
            bss += memsz - filesz
        else:
            text += filesz
    return text, data, bss


def stripped_size(elf_path):
    with tempfile.TemporaryDirectory() as folder:
        stripped = os.path.join(folder, "stripped")
        subprocess.run(["strip", "-o", stripped, elf_path], check=True)
        return os.path.getsize(stripped)


def size(settings):
    """The kernel image and the initrd, for sole and for the Linux guest."""
    build = settings.build
    section = Section("size", "Size: kernel image and initrd",
                      "sole's kernel is the ELF that QEMU boots (built with debug information; "
                      "*stripped* is what a release would ship). The initrd holds the app, its libraries "
                      "and ld.so; the Linux guest's also holds busybox and /init. For nginx both also hold "
                      "the configuration and the page of the nginx row, and the Linux guest's the "
                      "virtio-net modules it needs to serve them.")
    text, data, bss = loadable_sizes(build.kernel)
    kib = 1024
    table = Table(["what", "sole (KiB)", "Linux guest (KiB)", "Linux ÷ sole"], [])
    vmlinuz = os.path.getsize(linux_guest.kernel_image()) if settings.linux_guest else None
    sole_stripped = stripped_size(build.kernel)
    table.rows += [
        ["kernel file as built", number(os.path.getsize(build.kernel) / kib, 0), "", ""],
        ["kernel file, stripped (vmlinuz for Linux)", number(sole_stripped / kib, 0), number(vmlinuz and vmlinuz / kib, 0),
         times(ratio(vmlinuz, sole_stripped))],
        ["kernel code and read-only data", number(text / kib, 0), "", ""],
        ["kernel data + bss", f"{number(data / kib, 0)} + {number(bss / kib, 0)}", "", ""],
    ]
    groups = [("kernel", [sole_stripped / kib, vmlinuz and vmlinuz / kib])]
    progress("size", "initrds")
    hello_linux = len(linux_guest.initramfs([build.hello])) if settings.linux_guest else None
    with tempfile.TemporaryDirectory(prefix="bench-size-") as folder:
        initrds = [("static hello", harness.sole_initrd_size(settings, [build.hello]), hello_linux),
                   ("nginx, with its configuration and page", *network.nginx_initrd_sizes(settings, folder))]
    for name, sole_bytes, linux_bytes in initrds:
        table.rows.append([f"initrd, {name}", number(sole_bytes / kib, 0), number(linux_bytes and linux_bytes / kib, 0),
                           times(ratio(linux_bytes, sole_bytes))])
        groups.append((f"initrd, {name}", [sole_bytes / kib, linux_bytes and linux_bytes / kib]))
    section.summary.append(SummaryRow("kernel image (stripped; Linux: vmlinuz)", number(sole_stripped / kib, 0, " KiB"),
                                      number(vmlinuz and vmlinuz / kib, 0, " KiB"), "",
                                      times(ratio(vmlinuz, sole_stripped)), "sole ≤ 1 MB"))
    section.tables.append(table)
    section.plots.append(Plot("size", "Kernel image and initrd", "KiB", ["sole", "Linux guest"], groups,
                              logscale=True))
    return section


SYSCALL_MEASURES = {"getppid": "getppid (no-op syscall)", "pipe-4k": "4 KiB pipe write + read",
                    "mmap-munmap": "mmap + munmap of 4 KiB"}


def parse_cost(output):
    """{measure: (ns, cycles)} from the lines of syscall-cost or process-cost (tsc_timer.h)."""
    found = re.findall(r"^(\S+) ns=([\d.]+) cycles=(\d+) calls=\d+$", output, re.M)
    return {name: (float(ns), int(cycles)) for name, ns, cycles in found}


def best(runs, measure):
    """The run with the fewest ns for MEASURE (the least disturbed), as (ns, cycles)."""
    values = [run[measure] for run in runs if measure in run]
    return min(values) if values else None


def syscall(settings):
    """syscall-cost in sole, in the Linux guest and natively."""
    build = settings.build
    machine = settings.machines[0]
    argv = [build.syscall_cost, str(settings.getppid_calls), str(settings.round_trips)]
    section = Section("syscall", "Syscall cost",
                      f"`bench/syscall-cost.c` (glibc, static): {settings.getppid_calls:,} getppid calls, "
                      f"{settings.round_trips:,} pipe round trips and mmap/munmap pairs, timed by the TSC "
                      f"(calibrated against CLOCK_MONOTONIC). The best of {settings.runs} run(s) on "
                      f"`-M {machine}`; under TCG a guest's cycles are QEMU's virtual TSC, so ns are the "
                      "measure to compare.")
    vm = harness.sole_vm(build, machine, settings.accel, settings.memory_mb)
    guest = linux_guest.LinuxGuest(vm) if settings.linux_guest else None
    initrd = linux_guest.initramfs(argv) if guest else None
    sole_runs, linux_runs, native_runs = [], [], []
    for run in range(settings.runs):
        progress("syscall", f"run {run + 1}/{settings.runs}")
        result = harness.sole_run(settings, argv, machine)
        if not result.ok:
            raise BenchError(f"sole run {build.syscall_cost} failed (status {result.status}):\n{result.stderr}")
        sole_runs.append(parse_cost(result.stdout))
        native_runs.append(parse_cost(harness.timed(argv).stdout))
        if guest:
            linux = guest.run(initrd, timeout=LINUX_BOOT_TIMEOUT + 120)
            if linux.ok:
                linux_runs.append(parse_cost(linux.output))
            else:
                progress("syscall", f"the Linux guest failed (status {linux.status}); run not counted")
    table = Table(["measure", "sole ns (cycles)", "Linux guest ns (cycles)", "native ns (cycles)",
                   "Linux ÷ sole"], [])
    groups = []
    for measure, label in SYSCALL_MEASURES.items():
        figures = [best(runs, measure) for runs in (sole_runs, linux_runs, native_runs)]
        if figures[0] is None:
            raise BenchError(f"syscall-cost printed no '{measure}' line in sole:\n{sole_runs}")
        cells = [f"{number(f[0])} ({f[1]:,})" if f else number(None) for f in figures]
        cells[1] = guest_cell(guest, cells[1])
        over = ratio(figures[1] and figures[1][0], figures[0][0])
        table.rows.append([label] + cells + [times(over)])
        section.summary.append(SummaryRow(f"syscall cost, {label}", number(figures[0][0], 0, " ns"),
                                          guest_cell(guest, number(figures[1] and figures[1][0], 0, " ns")),
                                          number(figures[2] and figures[2][0], 0, " ns"), times(over),
                                          "Linux ÷ sole ≥ 2×" if measure == "getppid" else ""))
        groups.append((label, [f and f[0] for f in figures]))
    section.tables.append(table)
    section.plots.append(Plot("syscall", "Cost of one call (best run)", "ns", ["sole", "Linux guest", "native"],
                              groups, logscale=True))
    section.commands.append((f"sole, {machine}", vm.qemu))
    if guest:
        section.commands.append((f"Linux guest, {machine}", guest.command("INITRAMFS")))
    return section


PROCESS_TOUCH_MB = 256
# process-cost's measures: (the tables' label, the plot's; gnuplot would take _ for a subscript).
PROCESS_MEASURES = {"fork-exit-wait": ("fork + _exit + waitpid", "fork"),
                    f"fork-{PROCESS_TOUCH_MB}m": (f"fork + _exit + waitpid, {PROCESS_TOUCH_MB} MB touched",
                                                  f"fork,\n{PROCESS_TOUCH_MB} MB touched"),
                    "vfork-exec-hello": ("vfork + execve of a static hello + waitpid", "vfork + execve\nhello"),
                    "posix-spawn-true": ("posix_spawn of busybox true + waitpid", "posix-spawn\ntrue"),
                    "sh-c-true": ("posix_spawn of /bin/sh -c true + waitpid", "posix-spawn\nsh -c true")}
# The shell of sh-c-true in all three: Debian's dash, the host's /bin/sh.
SHELL = "/bin/sh"


def process(settings):
    """process-cost in sole, in the Linux guest and natively."""
    build = settings.build
    machine = settings.machines[0]
    iterations, big_forks = settings.process_iterations, settings.process_big_forks
    # The touched memory must fit beside the guest's own: a Linux guest needs about 80 MB.
    memory_mb = max(settings.memory_mb, 2 * PROCESS_TOUCH_MB)
    argv = [build.process_cost, build.hello, str(iterations), str(big_forks), str(PROCESS_TOUCH_MB)]
    section = Section("process", "Process creation",
                      f"`bench/process-cost.c` (glibc, static): {iterations:,} each of fork + child `_exit` "
                      f"+ waitpid, vfork + execve of `test-apps/hello-musl-static`, posix_spawn of "
                      f"`{linux_guest.BUSYBOX}` as `true` (Debian's busybox-static, the same static binary in "
                      "all three; `sole run` gets it and the hello by `--copy`) and posix_spawn of `{SHELL} -c true` (Debian's dash, the host's "
                      "`/bin/sh`, in all three: `sole run` packs it with its libraries by default, the Linux "
                      "guest's initramfs gets it in place of busybox's sh), each reaped by waitpid; and "
                      f"{big_forks:,} forks after the parent wrote one byte to each page of "
                      f"{PROCESS_TOUCH_MB} MB of anonymous memory. The children's stdout is /dev/null. Timed by "
                      f"the TSC (calibrated against CLOCK_MONOTONIC), the best of {settings.runs} run(s) on "
                      f"`-M {machine}` with {memory_mb} MB (the touched memory must fit); under TCG ns are the "
                      "measure to compare.")
    vm = harness.sole_vm(build, machine, settings.accel, memory_mb)
    guest = linux_guest.LinuxGuest(vm) if settings.linux_guest else None
    shell_copies = [(os.path.realpath(SHELL), SHELL)] + [
        (library, library) for library in linux_guest.shared_libraries(os.path.realpath(SHELL))]
    initrd = linux_guest.initramfs(argv, [(build.hello, build.hello)] + shell_copies) if guest else None
    copies = ["--copy", linux_guest.BUSYBOX, "--copy", build.hello]
    sole_runs, linux_runs, native_runs = [], [], []
    for run in range(settings.runs):
        progress("process", f"run {run + 1}/{settings.runs}")
        result = harness.sole_run(settings, argv, machine, memory_mb, copies)
        figures = parse_cost(result.stdout)
        if not result.ok or set(figures) != set(PROCESS_MEASURES):
            raise BenchError(f"sole run {build.process_cost} failed (status {result.status}) or printed other "
                             f"lines:\n{result.stdout}\n{result.stderr}")
        sole_runs.append(figures)
        native = harness.timed(argv)
        if not native.ok:
            raise BenchError(f"{build.process_cost} failed natively (status {native.status}): {native.stderr}")
        native_runs.append(parse_cost(native.stdout))
        if guest:
            linux = guest.run(initrd, memory_mb, timeout=LINUX_BOOT_TIMEOUT + 300)
            if linux.ok:
                linux_runs.append(parse_cost(linux.output))
            else:
                progress("process", f"the Linux guest failed (status {linux.status}); run not counted")
    table = Table(["measure", "sole µs (cycles)", "Linux guest µs (cycles)", "native µs (cycles)",
                   "Linux ÷ sole"], [])
    groups = []
    for measure, (label, plot_label) in PROCESS_MEASURES.items():
        figures = [best(runs, measure) for runs in (sole_runs, linux_runs, native_runs)]
        cells = [f"{number(f[0] / 1000)} ({f[1]:,})" if f else number(None) for f in figures]
        cells[1] = guest_cell(guest, cells[1])
        over = ratio(figures[1] and figures[1][0], figures[0][0])
        table.rows.append([label] + cells + [times(over)])
        section.summary.append(SummaryRow(f"process creation, {label}", number(figures[0][0] / 1000, 0, " µs"),
                                          guest_cell(guest, number(figures[1] and figures[1][0] / 1000, 0, " µs")),
                                          number(figures[2] and figures[2][0] / 1000, 0, " µs"), times(over),
                                          "sole ≤ ½ of the Linux guest"))
        groups.append((plot_label, [f and f[0] / 1000 for f in figures]))
    section.tables.append(table)
    section.plots.append(Plot("process", "Cost of one process, created and reaped (best run)", "µs",
                              ["sole", "Linux guest", "native"], groups, logscale=True))
    section.commands.append((f"sole, {machine}", vm.qemu))
    if guest:
        section.commands.append((f"Linux guest, {machine}", guest.command("INITRAMFS")))
    return section


def sqlite(settings):
    """The generated sqlite3 script, in sole, in the Linux guest and natively."""
    build = settings.build
    machine = settings.machines[0]
    rows, queries = settings.sqlite_rows, settings.sqlite_queries
    section = Section("sqlite", "sqlite3: inserts, an index, range queries",
                      f"Debian's `{SQLITE3}` runs a generated script (`bench/sqlite_script.py`): "
                      f"{rows:,} INSERTs in transactions of 1,000, CREATE INDEX, {queries:,} range queries, "
                      "on a database in memory-backed files (tmpfs natively, the initrd's overlay in the "
                      "guests). Phases are timed by sqlite's own clock inside the app; *end to end* "
                      f"includes boot. The median of {settings.runs} run(s) on `-M {machine}`.")
    argv = [SQLITE3, "bench.db", ".read bench.sql"]
    work = tempfile.mkdtemp(prefix="bench-sqlite-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        script = os.path.join(work, "bench.sql")
        with open(script, "w") as sql:
            sql.write(sqlite_script.script(rows, queries))
        vm = harness.sole_vm(build, machine, settings.accel, settings.memory_mb)
        guest = linux_guest.LinuxGuest(vm) if settings.linux_guest else None
        initrd = linux_guest.initramfs(argv, [(script, "/bench.sql")]) if guest else None
        results = {"sole": [], "Linux guest": [], "native": []}
        expected = None
        for run in range(settings.runs):
            progress("sqlite", f"run {run + 1}/{settings.runs}: native")
            database = os.path.join(work, "bench.db")
            if os.path.exists(database):
                os.remove(database)
            native = harness.timed(argv, cwd=work)
            os.remove(database)
            expected = sqlite_script.checksum(native.stdout)
            if not native.ok or expected is None:
                raise BenchError(f"{SQLITE3} failed natively (status {native.status}): {native.stderr}")
            results["native"].append((native.seconds, sqlite_script.phase_seconds(native.stdout)))
            progress("sqlite", f"run {run + 1}/{settings.runs}: sole")
            in_sole = harness.sole_run(settings, argv, machine, options=["--copy", "bench.sql"], cwd=work)
            if not in_sole.ok or sqlite_script.checksum(in_sole.stdout) != expected:
                raise BenchError(f"sqlite3 in sole failed or printed another checksum (status "
                                 f"{in_sole.status}):\n{in_sole.stdout[-500:]}\n{in_sole.stderr[-2000:]}")
            results["sole"].append((in_sole.seconds, sqlite_script.phase_seconds(in_sole.stdout)))
            if guest:
                progress("sqlite", f"run {run + 1}/{settings.runs}: Linux guest")
                linux = guest.run(initrd, timeout=1800)
                if linux.ok and sqlite_script.checksum(linux.output) == expected:
                    results["Linux guest"].append((linux.seconds, sqlite_script.phase_seconds(linux.output)))
                else:
                    progress("sqlite", f"the Linux guest failed (status {linux.status}); run not counted")
    finally:
        shutil.rmtree(work)
    table = Table(["phase (s)", "sole", "Linux guest", "native", "Linux ÷ sole", "sole ÷ native"], [])
    groups = []
    for phase in sqlite_script.PHASES + ("in-app total", "end to end"):
        figures = []
        for runs in results.values():
            if phase == "end to end":
                values = [seconds for seconds, _ in runs]
            elif phase == "in-app total":
                values = [sum(phases.values()) for _, phases in runs]
            else:
                values = [phases[phase] for _, phases in runs]
            figures.append(median(values))
        cells = [number(value, 3) for value in figures]
        cells[1] = guest_cell(guest, cells[1])
        table.rows.append([phase] + cells + [times(ratio(figures[1], figures[0])), times(ratio(figures[0], figures[2]))])
        groups.append((phase, figures))
        if phase == "in-app total":
            section.summary.append(SummaryRow(f"sqlite3 script, {rows:,} rows, in-app time",
                                              number(figures[0], 2, " s"),
                                              guest_cell(guest, number(figures[1], 2, " s")),
                                              number(figures[2], 2, " s"), times(ratio(figures[1], figures[0])), ""))
    section.tables.append(table)
    section.notes.append(f"Every run printed the native checksum: `{expected}`.")
    section.plots.append(Plot("sqlite", f"sqlite3 script, {rows:,} rows (median)", "seconds",
                              list(results), groups))
    section.commands.append((f"sole, {machine}", vm.qemu))
    if guest:
        section.commands.append((f"Linux guest, {machine}", guest.command("INITRAMFS")))
    return section


STDIN_BYTES = 10_000_000
SHA256SUM = "/usr/bin/sha256sum"
READY_MARK = "@@bench-ready"


def stdin_throughput(settings):
    """10 MB of stdin to sha256sum: in sole (`sole run -i`), in the Linux guest (typed on
    its serial console, raw) and natively."""
    build = settings.build
    machine = settings.machines[0]
    section = Section("stdin", "stdin: 10 MB to sha256sum",
                      f"{STDIN_BYTES:,} random bytes from a file on stdin of Debian's `{SHA256SUM}`, "
                      f"the median of {settings.runs} run(s) on `-M {machine}`, end to end (boot included). "
                      "*sole* is `sole run -i`, its console on a virtio-serial port; the *Linux guest* "
                      "reads them on its console, the UART (ttyS0, `stty raw -echo`), since it has no other "
                      "way in for them on the same QEMU line; every run must print the native sum.")
    work = tempfile.mkdtemp(prefix="bench-stdin-")
    try:
        data_path = os.path.join(work, "stdin.bin")
        data = os.urandom(STDIN_BYTES)
        with open(data_path, "wb") as out:
            out.write(data)
        vm = harness.sole_vm(build, machine, settings.accel, settings.memory_mb)
        guest = linux_guest.LinuxGuest(vm) if settings.linux_guest else None
        script = (f"exec </dev/console; {linux_guest.BUSYBOX} stty raw -echo; echo {READY_MARK}; "
                  f"{linux_guest.BUSYBOX} head -c {STDIN_BYTES} | {SHA256SUM}")
        sum_copies = [(SHA256SUM, SHA256SUM)] + [(library, library)
                                                 for library in linux_guest.shared_libraries(SHA256SUM)]
        initrd = linux_guest.initramfs([linux_guest.BUSYBOX, "sh", "-c", script], sum_copies) if guest else None
        expected = None
        times_by = {"sole": [], "Linux guest": [], "native": []}
        for run in range(settings.runs):
            progress("stdin", f"run {run + 1}/{settings.runs}")
            native = harness.timed([SHA256SUM], stdin_path=data_path)
            expected = native.stdout.split()[0] if native.ok else None
            if not expected:
                raise BenchError(f"{SHA256SUM} failed natively (status {native.status}): {native.stderr}")
            times_by["native"].append(native.seconds)
            in_sole = harness.sole_run(settings, [SHA256SUM], machine, options=["-i"], stdin_path=data_path)
            if not in_sole.ok or in_sole.stdout.split()[:1] != [expected]:
                raise BenchError(f"sha256sum in sole failed or printed another sum (status {in_sole.status}):\n"
                                 f"{in_sole.stdout}\n{in_sole.stderr[-2000:]}")
            times_by["sole"].append(in_sole.seconds)
            if guest:
                linux = guest.run_with_input(initrd, data, READY_MARK, timeout=LINUX_BOOT_TIMEOUT + 600)
                if linux.ok and expected in linux.output:
                    times_by["Linux guest"].append(linux.seconds)
                else:
                    progress("stdin", f"the Linux guest failed (status {linux.status}); run not counted")
    finally:
        shutil.rmtree(work)
    figures = [median(values) for values in times_by.values()]
    cells = [number(value, 2) for value in figures]
    cells[1] = guest_cell(guest, cells[1])
    table = Table(["what (s)", "sole", "Linux guest", "native", "Linux ÷ sole"],
                  [[f"{STDIN_BYTES // 1_000_000} MB stdin to sha256sum, end to end"] + cells
                   + [times(ratio(figures[1], figures[0]))]])
    section.summary.append(SummaryRow(f"{STDIN_BYTES // 1_000_000} MB stdin to sha256sum, end to end ({machine})",
                                      number(figures[0], 2, " s"), guest_cell(guest, number(figures[1], 1, " s")),
                                      number(figures[2], 2, " s"), times(ratio(figures[1], figures[0])),
                                      "sole < 2 s"))
    section.tables.append(table)
    section.plots.append(Plot("stdin", "10 MB stdin to sha256sum (median)", "seconds", list(times_by),
                              [("end to end", figures)], logscale=True))
    section.commands.append((f"sole, {machine}", vm.qemu))
    if guest:
        section.commands.append((f"Linux guest, {machine}", guest.command("INITRAMFS")))
    return section


BENCHMARKS = {"boot": boot, "memory": memory, "size": size, "syscall": syscall, "process": process,
              "sqlite": sqlite, "stdin": stdin_throughput, "nginx": network.nginx, "nginx-workers": network.nginx_workers,
              "redis": network.redis, "volume-sqlite": volumes.sqlite, "volume-io": volumes.sequential,
              "postgres": postgres.pgbench, **smp.BENCHMARKS}
