"""What every benchmark shares: the build's paths, running and timing commands,
sole's QEMU command line, the machine's description and small statistics.
"""
import dataclasses
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The largest -m the memory searches (smallest_memory) try.
MEMORY_CEILING_MB = 512


class BenchError(Exception):
    """A benchmark could not run; the message names the tool at fault and the fix."""


@dataclass
class Build:
    """The files of a build folder (build/ by default) that the benchmarks run."""
    folder: str

    @property
    def sole(self):
        return os.path.join(self.folder, "sole")

    @property
    def kernel(self):
        return os.path.join(self.folder, "kernel", "sole-kernel.elf")

    @property
    def hello(self):
        return os.path.join(self.folder, "test-apps", "hello-musl-static")

    @property
    def floor_kernel(self):
        return os.path.join(self.folder, "bench", "floor-kernel.elf")

    @property
    def syscall_cost(self):
        return os.path.join(self.folder, "bench", "syscall-cost")

    @property
    def process_cost(self):
        return os.path.join(self.folder, "bench", "process-cost")

    @property
    def timed_run(self):
        return os.path.join(self.folder, "bench", "timed-run")

    @property
    def go_parallel(self):
        return os.path.join(self.folder, "bench", "go-parallel")

    def check(self):
        for path in (self.sole, self.kernel, self.hello, self.floor_kernel, self.syscall_cost, self.process_cost):
            if not os.path.exists(path):
                raise BenchError(f"{path} is missing; run ./setup (or ninja -C {self.folder}) first")


@dataclass
class Settings:
    """How the benchmarks run: sizes and repetitions come from the profile
    (full, --quick or --smoke), the rest from the command line."""
    build: Build
    accel: str
    memory_mb: int
    runs: int
    linux_guest: bool
    sqlite_rows: int
    sqlite_queries: int
    getppid_calls: int
    round_trips: int
    process_iterations: int
    process_big_forks: int
    machines: tuple
    wrk_seconds: int
    redis_requests: int
    pgbench_seconds: int
    # The parallel rows (bench/smp.py): the xz row's input in MB, the Go row's
    # loop length per goroutine; the defaults are the full profile's.
    parallel_mb: int = 100
    go_iterations: int = 1_000_000_000
    cpus: int = 1         # vCPUs of sole and the Linux guest (sole run --cpus)

    def to_json(self):
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text):
        """The Settings that to_json wrote (bench/network.py gets them in its namespace this way)."""
        fields = json.loads(text)
        fields["build"] = Build(**fields["build"])
        fields["machines"] = tuple(fields["machines"])
        return cls(**fields)


@dataclass
class Timed:
    """A finished command: wall seconds, exit status and both output streams."""
    seconds: float
    status: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self):
        return self.status == 0 and not self.timed_out


def timed(command, cwd=None, timeout=300, stdin_path=None):
    """Runs COMMAND with stdin from STDIN_PATH (else /dev/null) and measures its wall time."""
    start = time.perf_counter()
    try:
        with open(stdin_path or os.devnull, "rb") as stdin:
            proc = subprocess.run(command, cwd=cwd, stdin=stdin, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        return Timed(time.perf_counter() - start, -1, (expired.stdout or b"").decode(errors="replace"),
                     (expired.stderr or b"").decode(errors="replace"), timed_out=True)
    return Timed(time.perf_counter() - start, proc.returncode, proc.stdout.decode(errors="replace"),
                 proc.stderr.decode(errors="replace"))


def sole_command(settings, argv, machine="microvm", memory_mb=None, options=()):
    """The `sole run` command line of ARGV with the settings' accelerator and memory."""
    memory = memory_mb or settings.memory_mb
    return [settings.build.sole, "run", "--machine", machine, "--accel", settings.accel,
            "-m", f"{memory}M", "--cpus", str(settings.cpus), *options, *argv]


def sole_run(settings, argv, machine="microvm", memory_mb=None, options=(), cwd=None, timeout=300,
             stdin_path=None):
    """`sole run` of ARGV with the settings' accelerator and memory, timed end to end."""
    return timed(sole_command(settings, argv, machine, memory_mb, options), cwd=cwd, timeout=timeout,
                 stdin_path=stdin_path)


@dataclass
class SoleVm:
    """How `sole run` starts QEMU, from its --verbose log: the command line and the
    TSC rate sole's kernel measured (the Linux guest is told it, see linux_guest.py)."""
    qemu: list
    tsc_khz: int


def sole_vm(build, machine, accel, memory_mb, options=(), cpus=1):
    """SoleVm of a `sole run --verbose` of the static hello, with sole's OPTIONS
    (such as -p or --net, which change QEMU's network options) on CPUS vCPUs."""
    result = timed([build.sole, "run", "--verbose", "--machine", machine, "--accel", accel,
                    "-m", f"{memory_mb}M", "--cpus", str(cpus), *options, build.hello])
    command = re.search(r"^sole: qemu command: (.*)$", result.stderr, re.M)
    tsc = re.search(r"TSC at (\d+) kHz", result.stderr)
    if not command or not tsc:
        raise BenchError(f"{build.sole} run --verbose printed no 'sole: qemu command:' line or no "
                         f"'TSC at N kHz' line (status {result.status}):\n{result.stderr}")
    return SoleVm(shlex.split(command.group(1)), int(tsc.group(1)))


def guest_boot_microseconds(stderr):
    """sole's guest-side boot time from its --verbose log, or None."""
    found = re.search(r"boot: kernel entry to app in (\d+) us", stderr)
    return int(found.group(1)) if found else None


def initrd_bytes(stderr):
    """The initrd size from sole's --verbose log, or None."""
    found = re.search(r"initrd: \d+ entries, (\d+) bytes", stderr)
    return int(found.group(1)) if found else None


def sole_initrd_size(settings, argv, options=()):
    """Bytes of the initrd `sole run` packs for ARGV with OPTIONS (such as --copy); ARGV
    must exit by itself."""
    result = sole_run(settings, argv, options=["--verbose", *options])
    size = initrd_bytes(result.stderr)
    if not result.ok or size is None:
        raise BenchError(f"sole run --verbose {shlex.join(argv)} failed (status {result.status}) or printed no "
                         f"'initrd: N entries, B bytes' line:\n{result.stderr}")
    return size


def progress(section, message):
    """One progress line on stderr, so a long run shows where it is."""
    print(f"bench [{section}] {message}", file=sys.stderr, flush=True)


def smallest_memory(works, ceiling):
    """The smallest whole MB in [1, CEILING] at which WORKS(MB) holds (it is assumed to
    hold from some size on), or None when it fails even at CEILING."""
    if not works(ceiling):
        return None
    low, high = 1, ceiling
    while low < high:
        middle = (low + high) // 2
        if works(middle):
            high = middle
        else:
            low = middle + 1
    return high


def median(values):
    return statistics.median(values) if values else None


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def qemu_version():
    proc = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True)
    return proc.stdout.splitlines()[0] if proc.returncode == 0 and proc.stdout else "unknown"


def machine_description(settings):
    """The lines that say where and how the figures were measured."""
    return [f"nproc: {os.cpu_count()}",
            f"CPU: {cpu_model()}",
            f"accelerator: {settings.accel}",
            f"QEMU: {qemu_version()}",
            f"host kernel: {platform.release()}",
            f"guest memory for the timed rows: {settings.memory_mb} MB (`-m`) for sole and the Linux guest"]
