"""Runs one runtest entry inside sole: one VM per entry, booted by `sole run`.

The VM gets the entry's program with its folder's helpers and data files at the
same paths as on the host (so $LTPROOT is the install folder's opt/ltp), starts
in $LTPROOT/testcases/bin (LTP adds the start folder to PATH for helpers) and
gets LTP's environment (environment.ltp_env). The program is not pid 1: the
VM's /bin/sh starts it and waits (LTP's library takes a test process whose parent
is pid 1 for one whose main process died: "Main test process might have exit!"),
as a harness (kirk, runltp) or the guest's /init does on Linux. The kernel's "syscall NAME (N) is
not implemented" warnings on stderr name the syscalls that answered ENOSYS.

LTP learns which kernel features exist from a kernel .config; the VM gets sole's
(kernel/linux.config) at KERNEL_CONFIG, as the guest has Debian's in /boot.
"""
import os
import re
import shlex
import signal
import subprocess
import time

from . import environment, results

NOT_IMPLEMENTED = re.compile(r"^sole: syscall (\S+) \(\d+\) is not implemented", re.M)
# sole's own reports that the VM went wrong (not the app's exit status): a kernel
# panic, or a crash report of the app (a fault sole reports, not a signal LTP sent).
SOLE_CRASH = re.compile(r"^sole: (kernel panic.*|app killed by SIG\w+.*|.*QEMU.*failed.*)$", re.M)
MEMORY = "256M"
SOURCE_CONFIG = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                             "kernel", "linux.config")
KERNEL_CONFIG = "/boot/config-sole"


def command(build, catalog, entry, extra_options=()):
    """The `sole run` command line of ENTRY."""
    tree = catalog.tree
    argv = [build.sole, "run", "--accel", "tcg", "-m", MEMORY, "--net", "none", "-w", tree.bin, *extra_options]
    for key, value in environment.ltp_env(tree).items():
        argv += ["-e", f"{key}={value}"]
    argv += ["-e", f"KCONFIG_PATH={KERNEL_CONFIG}", "--copy", f"{SOURCE_CONFIG}:{KERNEL_CONFIG}"]
    for path in catalog.files(entry):
        argv += ["--copy", path]
    for host, guest in environment.tool_copies() + environment.account_files(tree):
        argv += ["--copy", f"{host}:{guest}"]
    program = shlex.join([os.path.join(tree.bin, entry.program), *entry.argv[1:]])
    return argv + ["--", "/bin/sh", "-c", program + "; exit $?"]


def run(build, catalog, entry, time_limit, extra_options=()):
    """ENTRY's results.Outcome in sole (EXTRA_OPTIONS go to sole run), killed (QEMU
    with it) after TIME_LIMIT seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(command(build, catalog, entry, extra_options), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    timed_out = False
    try:
        output, _ = proc.communicate(timeout=time_limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        timed_out = True
    seconds = time.perf_counter() - start
    text = output.decode(errors="replace")
    crash = SOLE_CRASH.search(text)
    status = None if timed_out else proc.returncode
    if status == 125:  # sole itself refused (a bad --copy, a missing file): not the test's doing
        crash = crash or re.search(r"^sole: .*$", text, re.M)
    outcome = results.classify(entry.name, status, text, seconds, timed_out,
                               crash.group(0) if crash and (status is None or status >= 125) else "")
    outcome.enosys = sorted(set(NOT_IMPLEMENTED.findall(text)))
    return outcome
