"""The volume rows (`sole run -v`): the sqlite3 script with its database on a host
folder, and a sequential write and read of a 256 MB file there (bench/sequential-io.c).

Each runs in sole (its 9P2000.L client over virtio-9p), in the Linux guest with the
same export (the QEMU line is sole's own with -v, so the same -fsdev local; Linux
mounts it with v9fs, cache=mmap and sole's msize: linux_guest.GuestVolume, on
Debian's generic kernel, as the cloud kernel builds no 9p) and natively on the same
folder. The folder is on the host's disk under $TMPDIR (not /dev/shm), emptied
before each run. Times come from inside the app, apart from boot.
"""
import os
import shutil
import tempfile

import harness
import linux_guest
import sqlite_script
from harness import BenchError, median, progress, ratio
from report import Plot, Section, SummaryRow, Table, number, times

SQLITE3 = "/usr/bin/sqlite3"
GUEST_PATH = "/data"
SEQUENTIAL_MB = 256
TARGET = "Linux ÷ sole ≥ 1.5×"
WHERES = ("sole", "Linux guest", "native")


def empty_folder(path):
    for name in os.listdir(path):
        full = os.path.join(path, name)
        shutil.rmtree(full) if os.path.isdir(full) and not os.path.islink(full) else os.remove(full)


class VolumeRuns:
    """A host folder shared at GUEST_PATH, and the three ways to run ARGV (whose paths
    under GUEST_PATH are the folder's) there; COPIES are (host, guest) files the
    guests get in their initrd."""

    def __init__(self, settings, machine, folder):
        self.settings, self.machine, self.folder = settings, machine, folder
        self.volume = ["-v", f"{folder}:{GUEST_PATH}"]
        self.vm = harness.sole_vm(settings.build, machine, settings.accel, settings.memory_mb, options=self.volume)
        self.guest = None
        if settings.linux_guest:
            self.guest = linux_guest.LinuxGuest(self.vm, linux_guest.VOLUME_METAPACKAGE)
            self.guest_volume = linux_guest.GuestVolume.of_sole_vm(self.guest.qemu, GUEST_PATH)

    def sole(self, argv, copies=()):
        empty_folder(self.folder)
        options = self.volume + [f"--copy={host}:{guest}" for host, guest in copies]
        result = harness.sole_run(self.settings, argv, self.machine, options=options, timeout=1800)
        return result.ok, result.stdout, result

    def linux(self, argv, copies=()):
        empty_folder(self.folder)
        result = self.guest.run(linux_guest.initramfs(argv, copies, volume=self.guest_volume), timeout=1800)
        return result.ok, result.output, result

    def native(self, argv):
        empty_folder(self.folder)
        native_argv = [arg.replace(GUEST_PATH + "/", self.folder + "/") for arg in argv]
        result = harness.timed(native_argv, timeout=1800)
        return result.ok, result.stdout, result

    def commands(self, section):
        section.commands.append((f"sole, {self.machine}", self.vm.qemu))
        if self.guest:
            section.commands.append((f"Linux guest, {self.machine}", self.guest.command("INITRAMFS")))


def volume_folder():
    return tempfile.mkdtemp(prefix="bench-volume-", dir=os.environ.get("TMPDIR", "/tmp"))


def sqlite(settings):
    """The sqlite3 script of the sqlite section, its database on a volume."""
    machine = settings.machines[0]
    rows, queries = settings.sqlite_rows, settings.sqlite_queries
    section = Section("volume-sqlite", "sqlite3 on a volume",
                      f"The sqlite section's script (`bench/sqlite_script.py`: {rows:,} INSERTs in transactions "
                      f"of 1,000, CREATE INDEX, {queries:,} range queries), its database `{GUEST_PATH}/bench.db` "
                      "in a host folder on disk: sole with `-v`, the Linux guest with the same 9p export "
                      "mounted by v9fs (cache=mmap), native on the folder itself. sqlite's default "
                      "rollback journal and fsync at every COMMIT. Phases are timed by sqlite's own clock; "
                      f"the median of {settings.runs} run(s) on `-M {machine}`.")
    scripts = tempfile.mkdtemp(prefix="bench-volume-sql-")
    folder = volume_folder()
    try:
        script = os.path.join(scripts, "bench.sql")
        with open(script, "w") as sql:
            sql.write(sqlite_script.script(rows, queries))
        runs = VolumeRuns(settings, machine, folder)
        argv = [SQLITE3, f"{GUEST_PATH}/bench.db", ".read /bench.sql"]
        results = {where: [] for where in WHERES}
        expected = None
        for run in range(settings.runs):
            for where in ("native", "sole", "Linux guest"):  # native first: its checksum is the one expected
                if where == "Linux guest" and not runs.guest:
                    continue
                progress("volume-sqlite", f"run {run + 1}/{settings.runs}: {where}")
                if where == "native":
                    ok, output, result = runs.native([SQLITE3, f"{GUEST_PATH}/bench.db", f".read {script}"])
                elif where == "sole":
                    ok, output, result = runs.sole(argv, [(script, "/bench.sql")])
                else:
                    ok, output, result = runs.linux(argv, [(script, "/bench.sql")])
                phases = sqlite_script.phase_seconds(output)
                if expected is None and where == "native":
                    expected = sqlite_script.checksum(output)
                if not ok or phases is None or sqlite_script.checksum(output) != expected:
                    if where == "Linux guest":
                        progress("volume-sqlite", "the Linux guest failed; run not counted")
                        continue
                    raise BenchError(f"sqlite3 on a volume failed ({where}):\n{output[-500:]}\n"
                                     f"{getattr(result, 'stderr', '')[-2000:]}")
                results[where].append(phases)
        runs.commands(section)
    finally:
        shutil.rmtree(scripts)
        shutil.rmtree(folder)
    table = Table(["phase (s)", "sole", "Linux guest", "native", "Linux ÷ sole", "sole ÷ native"], [])
    groups = []
    for phase in sqlite_script.PHASES + ("in-app total",):
        figures = [median([sum(p.values()) if phase == "in-app total" else p[phase] for p in results[where]])
                   for where in WHERES]
        table.rows.append([phase] + [number(value, 3) for value in figures]
                          + [times(ratio(figures[1], figures[0])), times(ratio(figures[0], figures[2]))])
        groups.append((phase, figures))
        if phase == "in-app total":
            section.summary.append(SummaryRow(f"sqlite3 script on a volume, {rows:,} rows, in-app time",
                                              number(figures[0], 2, " s"), number(figures[1], 2, " s"),
                                              number(figures[2], 2, " s"), times(ratio(figures[1], figures[0])),
                                              TARGET))
    section.tables.append(table)
    section.notes.append(f"Every run printed the native checksum: `{expected}`.")
    section.plots.append(Plot("volume-sqlite", f"sqlite3 script on a volume, {rows:,} rows (median)", "seconds",
                              list(WHERES), groups))
    return section


def parse_sequential(output):
    """{"write": seconds, "read": seconds} from bench/sequential-io's lines, or None."""
    figures = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) == 3 and words[0] in ("write", "read") and words[1].startswith("seconds="):
            figures[words[0]] = float(words[1][len("seconds="):])
    return figures if len(figures) == 2 else None


def sequential(settings):
    """A 256 MB file written (with fsync) and read back on a volume."""
    machine = settings.machines[0]
    program = os.path.join(settings.build.folder, "bench", "sequential-io")
    if not os.path.exists(program):
        raise BenchError(f"{program} is missing; run ninja -C {settings.build.folder} first")
    section = Section("volume-io", f"Sequential I/O on a volume: a {SEQUENTIAL_MB} MB file",
                      f"`bench/sequential-io` (static glibc) writes `{GUEST_PATH}/big` in writes of 1 MiB, "
                      "fsyncs and closes it, then reads it back in reads of 1 MiB and checks every byte; it "
                      "times both with CLOCK_MONOTONIC. The folder and the guests as in *sqlite3 on a "
                      f"volume*; `-m {settings.memory_mb}M`, so the file does not fit in either guest's memory. "
                      f"The median of {settings.runs} run(s) on `-M {machine}`.")
    folder = volume_folder()
    argv = [program, f"{GUEST_PATH}/big", str(SEQUENTIAL_MB)]
    results = {where: [] for where in WHERES}
    try:
        runs = VolumeRuns(settings, machine, folder)
        for run in range(settings.runs):
            for where in WHERES:
                if where == "Linux guest" and not runs.guest:
                    continue
                progress("volume-io", f"run {run + 1}/{settings.runs}: {where}")
                ok, output, result = {"sole": runs.sole, "Linux guest": runs.linux, "native": runs.native}[where](argv)
                figures = parse_sequential(output) if ok else None
                if figures is None:
                    if where == "Linux guest":
                        progress("volume-io", "the Linux guest failed; run not counted")
                        continue
                    raise BenchError(f"sequential-io on a volume failed ({where}):\n{output[-500:]}\n"
                                     f"{getattr(result, 'stderr', '')[-2000:]}")
                results[where].append(figures)
        runs.commands(section)
    finally:
        shutil.rmtree(folder)
    table = Table(["what", "sole MB/s", "Linux guest MB/s", "native MB/s", "sole ÷ Linux"], [])
    groups = []
    for what in ("write", "read"):
        rates = [median([SEQUENTIAL_MB / f[what] for f in results[where]]) for where in WHERES]
        label = "write + fsync" if what == "write" else "read"
        table.rows.append([label] + [number(rate, 0) for rate in rates] + [times(ratio(rates[0], rates[1]))])
        groups.append((label, rates))
        section.summary.append(SummaryRow(f"volume, sequential {label} of {SEQUENTIAL_MB} MB",
                                          number(rates[0], 0, " MB/s"), number(rates[1], 0, " MB/s"),
                                          number(rates[2], 0, " MB/s"), times(ratio(rates[0], rates[1])),
                                          "sole ÷ Linux ≥ 1.5×"))
    section.tables.append(table)
    section.plots.append(Plot("volume-io", f"Sequential I/O of {SEQUENTIAL_MB} MB on a volume (median)", "MB/s",
                              list(WHERES), groups))
    return section
