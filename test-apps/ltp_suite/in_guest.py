"""Runs runtest entries in the Linux guest that bench/ boots (bench/linux_guest.py):
Debian's cloud kernel on sole's own QEMU command line, many entries per boot.

The initramfs holds busybox, the entries' programs with their folders' helpers
and data files (at the same paths as on the host), the shared libraries they
need (as the host's ldd resolves them), the accounts and tools LTP assumes, the
kernel's own config as /boot/config-VERSION (for the tests that check a CONFIG_
option), and a script that brings lo up, mounts /dev/shm and /tmp as tmpfs and
runs each entry in turn under busybox
timeout, between markers that carry its name, exit status and time. After each
entry it kills whatever the entry left running and empties /tmp.

The host reads the console as it comes. If an entry's end marker does not come
within its time limit and a grace period (the guest hung), or QEMU ends early (it
panicked), that entry is recorded and the rest of the batch gets a new guest.
"""
import functools
import glob
import os
import selectors
import shlex
import subprocess
import sys
import tempfile
import time

from . import environment, results

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "bench")
sys.path.insert(0, BENCH)
import harness  # noqa: E402  (bench/'s modules, reused as they are)
import linux_guest  # noqa: E402

MEMORY_MB = 256
BEGIN, END, KERNEL = "@@ltp-begin ", "@@ltp-end ", "@@ltp-kernel "
SCRIPT = "/ltp-batch.sh"
BOOT_SECONDS = 120  # from QEMU's start to the first marker
GRACE_SECONDS = 30  # beyond an entry's limit, before the guest is taken as hung


class Guest:
    """The Linux guest on sole's QEMU command line for the build BUILD."""

    def __init__(self, build):
        vm = harness.sole_vm(build, "microvm", "tcg", MEMORY_MB, options=("--net", "none"))
        self.guest = linux_guest.LinuxGuest(vm)
        self.kernel = os.path.basename(linux_guest.kernel_image()).replace("vmlinuz-", "")

    def run(self, catalog, entries, limit_of, on_outcome):
        """Runs ENTRIES, each limited to LIMIT_OF(entry) seconds, calling
        ON_OUTCOME(results.Outcome) for each as it ends."""
        pending = list(entries)
        while pending:
            done = self._boot(catalog, pending, limit_of, on_outcome)
            pending = pending[done:]

    def _boot(self, catalog, entries, limit_of, on_outcome):
        """One guest running ENTRIES in order; returns how many it settled."""
        initrd = initramfs(catalog, entries, limit_of)
        with tempfile.NamedTemporaryFile(prefix="ltp-initramfs-", suffix=".cpio") as initrd_file:
            initrd_file.write(initrd)
            initrd_file.flush()
            # The unpacked initramfs stays in RAM (rootfs): the guest gets that much on top of sole's
            # memory, or a test that forks 1000 children (futex_cmp_requeue01) meets the OOM killer.
            memory_mb = MEMORY_MB + len(initrd) // (1 << 20) + 16
            proc = subprocess.Popen(self.guest.command(initrd_file.name, memory_mb), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            try:
                return self._follow(proc, entries, limit_of, on_outcome)
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()

    def _follow(self, proc, entries, limit_of, on_outcome):
        """Reads the console of PROC, turning each entry's markers into an Outcome."""
        by_name = {entry.name: entry for entry in entries}
        settled, current, lines, buffer = 0, None, [], b""
        deadline = time.monotonic() + BOOT_SECONDS
        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if not selector.select(timeout=min(remaining, 5)):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            for raw in complete:
                line = raw.decode(errors="replace").rstrip("\r")
                if line.startswith(KERNEL):
                    self.kernel = line[len(KERNEL):].strip()
                elif line.startswith(BEGIN) and line[len(BEGIN):].strip() in by_name:
                    current, lines = line[len(BEGIN):].strip(), []
                    time_limit = limit_of(by_name[current])
                    deadline = time.monotonic() + time_limit + GRACE_SECONDS
                elif line.startswith(END) and current:
                    name, status, seconds = line[len(END):].split()[:3]
                    output = "\n".join(lines)
                    timed_out = int(status) == 137 and float(seconds) >= time_limit - 1
                    on_outcome(results.classify(name, int(status), output, float(seconds), timed_out))
                    settled, current = settled + 1, None
                    deadline = time.monotonic() + GRACE_SECONDS  # until the next entry begins
                    if settled == len(entries):
                        return settled
                elif current:
                    lines.append(line)
        # QEMU ended or the guest stopped answering: the running entry is settled as such.
        hung = proc.poll() is None
        if current:
            output = "\n".join(lines)
            if hung:
                on_outcome(results.classify(current, None, output, limit_of(by_name[current]), timed_out=True))
            else:
                on_outcome(results.classify(current, None, output, 0, crashed="the Linux guest stopped (panic?)"))
            return settled + 1
        if settled == 0:
            raise harness.BenchError(f"the Linux guest ran none of its {len(entries)} entries "
                                     f"(QEMU {'hung' if hung else 'ended'}); its console:\n{buffer[-2000:]!r}")
        return settled


@functools.lru_cache(maxsize=None)
def libraries(path):
    """Shared libraries of the host file PATH (none for a script or data file)."""
    with open(path, "rb") as f:
        if f.read(4) != b"\x7fELF":
            return ()
    return tuple(linux_guest.shared_libraries(path))


def batch_script(catalog, entries, limit_of):
    """The busybox sh script that runs ENTRIES one by one."""
    tree = catalog.tree
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in environment.ltp_env(tree).items())
    lines = ["bb=/bin/busybox",
             f"export {exports}",
             "$bb mkdir -p /dev/shm && $bb mount -t tmpfs shm /dev/shm",
             "$bb mount -t tmpfs tmp /tmp",
             "$bb ip link set lo up",
             f'echo "{KERNEL}$($bb uname -r)"',
             "now() { read up _ </proc/uptime; echo $up; }",
             "sweep() { for p in /proc/[0-9]*; do p=${p#/proc/}; "
             "[ $p -gt 1 ] && [ $p != $$ ] && kill -9 $p 2>/dev/null; done; $bb rm -rf /tmp/* /dev/shm/*; }",
             "run() { name=$1; limit=$2; shift 2; echo \"" + BEGIN + "$name\"; t0=$(now); "
             f"cd {shlex.quote(tree.bin)}; $bb timeout -s KILL $limit \"$@\" </dev/null 2>&1; st=$?; "
             "t1=$(now); echo; echo \"" + END + "$name $st $($bb awk \"BEGIN{print $t1-$t0}\")\"; sweep; }"]
    for entry in entries:
        lines.append(f"run {shlex.quote(entry.name)} {limit_of(entry)} {shlex.join(entry.argv)}")
    return "\n".join(lines) + "\n"


def initramfs(catalog, entries, limit_of):
    """The initramfs bytes that run ENTRIES."""
    copies, seen = [], set()

    def add(host, guest=None):
        if os.path.isdir(host):
            for name in sorted(os.listdir(host)):
                add(os.path.join(host, name), os.path.join(guest or host, name))
        elif (guest or host) not in seen:
            seen.add(guest or host)
            copies.append((host, guest or host))

    files = [(path, path) for entry in entries for path in catalog.files(entry)] + environment.tool_copies()
    for host, guest in files:
        add(host, guest)
        if os.path.isfile(host):
            for library in libraries(host):
                add(library)
    for config in glob.glob(os.path.join(os.path.dirname(linux_guest.kernel_image()), "config-*")):
        add(config, "/boot/" + os.path.basename(config))
    for host, guest in environment.account_files(catalog.tree):
        add(host, guest)
    with tempfile.NamedTemporaryFile("w", prefix="ltp-batch-", suffix=".sh", delete=False) as script:
        script.write(batch_script(catalog, entries, limit_of))
    try:
        add(script.name, SCRIPT)
        return linux_guest.initramfs(["/bin/busybox", "sh", SCRIPT], copies, workdir="/")
    finally:
        os.unlink(script.name)
