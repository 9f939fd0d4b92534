"""The postgres rows: pgbench against Debian's PostgreSQL 15 in sole, in the Linux
guest and natively (TPS of 4 clients on a scale-10 database), and the smallest -m
at which postgres still serves pgbench, in sole and in the Linux guest.

The cluster is made once per run, on the host: initdb as the host's postgres user
(trust authentication, C locale, UTF8) plus serve-test's pg_hba line for clients
behind QEMU's user network. Every server start gets a fresh copy of it (`cp -a`, so
owners and modes stay) in a host folder on disk under $TMPDIR, where:

  sole         runs postgres as postgres (`--user`) with the folder as a volume
               (`-v` at /var/lib/pg), serve-test's --copy folders and settings: the
               README's commands. (A cluster packed by --copy would not do: the
               initrd's files are root's, and postgres refuses a data folder it
               does not own.)
  Linux guest  gets the same 9p export on sole's own QEMU line, mounted by v9fs on
               Debian's generic kernel (the cloud kernel has no 9p), the same
               folders in its initramfs; its /init adds the postgres user (the
               host's uid and gid, which own the files), mounts a tmpfs on
               /dev/shm and runs postgres as that user (busybox setpriv).
  native       postgres on the folder itself, as the host's postgres user, on a
               free port of 127.0.0.1.

QEMU's user network only (hostfwd on 127.0.0.1), on the first machine of the run.
The servers start and stop through network.serving, as nginx's and redis's do.
"""
import dataclasses
import os
import pwd
import re
import shlex
import shutil
import subprocess
import tempfile

import harness
import linux_guest
import network
from harness import BenchError, progress, ratio
from network import LINUX, NATIVE, SOLE, serve_test
from report import Plot, Section, SummaryRow, Table, number, times

GUEST_FOLDER = "/var/lib/pg"
CLIENTS, SCALE = 4, 10
TPS_TARGET = "sole ÷ Linux ≥ 1.3×"
MEMORY_TARGET = "sole ≤ ¼ of Linux"
# -m of the timed rows at least: the Linux guest unpacks its initramfs (postgres's folders
# and their libraries, about 110 MB) beside the archive itself, so serve-test's and the
# README's 256 MB are too few for it.
POSTGRES_MEMORY_MB = 512
# How long pgbench -i -s SCALE may take (under TCG a guest needs about 20 s).
INIT_TIMEOUT = 600


def make_cluster(folder):
    """initdb as the host's postgres user into FOLDER/data, with serve-test's pg_hba line."""
    shutil.chown(folder, "postgres", "postgres")
    data = os.path.join(folder, "data")
    proc = subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(serve_test.PG_BIN, "initdb"),
                           "-A", "trust", "--no-locale", "-E", "UTF8", "-D", data],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise BenchError(f"initdb as postgres failed (status {proc.returncode}):\n{proc.stdout[-1000:]}"
                         f"{proc.stderr[-1000:]}")
    with open(os.path.join(data, "pg_hba.conf"), "a") as hba:
        hba.write(serve_test.PG_HBA_LINE)


def fresh_copy(cluster, folder):
    """FOLDER/data becomes a copy of the pristine CLUSTER/data, owners and modes kept."""
    shutil.rmtree(os.path.join(folder, "data"), ignore_errors=True)
    subprocess.run(["cp", "-a", os.path.join(cluster, "data"), folder], check=True)


def linux_init(argv, user):
    """What the Linux guest's /init runs: the postgres user as on the host, /dev/shm,
    a /tmp anyone may write (the socket goes there), then ARGV as that user (busybox su)."""
    busybox = linux_guest.BUSYBOX
    return [busybox, "sh", "-c",
            f"echo postgres:x:{user.pw_uid}:{user.pw_gid}::/var/lib/postgresql:/bin/sh >> /etc/passwd && "
            f"echo postgres:x:{user.pw_gid}: >> /etc/group && "
            f"{busybox} mkdir -p /dev/shm && {busybox} mount -t tmpfs shm /dev/shm && "
            f"{busybox} chmod 1777 /dev/shm /tmp && "
            f"exec {busybox} su -s /bin/sh postgres -c {shlex.quote('exec ' + shlex.join(argv))}"]


def postgres_app(cluster, folder):
    """The network.ServerApp of postgres on FOLDER/data, a fresh copy of CLUSTER's at each start."""
    server = os.path.join(serve_test.PG_BIN, "postgres")
    argv = [server, "-D", f"{GUEST_FOLDER}/data"] + serve_test.PG_SETTINGS
    sole_options = ["--user", "postgres", "-v", f"{folder}:{GUEST_FOLDER}"]

    def native_argv(port):  # TCP only: no Unix socket, which would need a folder postgres may write
        return ["runuser", "-u", "postgres", "--", server, "-D", os.path.join(folder, "data"), "-p", str(port)] \
            + serve_test.PG_SETTINGS + ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]

    return network.ServerApp("postgres", 5432, argv, [(path, path) for path in serve_test.PG_FILES], native_argv,
                             lambda host, port: serve_test.postgres_answers(port), pgbench_load,
                             sole_options=sole_options, volume_path=GUEST_FOLDER,
                             linux_argv=linux_init(argv, pwd.getpwnam("postgres")),
                             prepare=lambda: fresh_copy(cluster, folder))


def run_pgbench(port, args, timeout):
    try:
        return serve_test.pgbench(port, args, timeout)
    except (serve_test.TestFailure, serve_test.Skip) as failure:
        raise BenchError(str(failure)) from None


def pgbench_load(host, port, settings):
    """pgbench -i -s SCALE, then CLIENTS clients for the settings' pgbench seconds:
    {tps, latency_ms, init_s}."""
    init = run_pgbench(port, ["-i", "-s", str(SCALE)], INIT_TIMEOUT)
    output = run_pgbench(port, ["-c", str(CLIENTS), "-T", str(settings.pgbench_seconds)],
                         settings.pgbench_seconds + network.CLIENT_GRACE)
    done = re.search(r"done in ([\d.]+) s", init)
    tps = re.search(r"^tps = ([\d.]+)", output, re.M)
    latency = re.search(r"^latency average = ([\d.]+) ms", output, re.M)
    if not done or not tps or not latency:
        raise BenchError(f"pgbench printed no 'done in', 'tps =' or 'latency average' line:\n{init[-500:]}\n{output}")
    return {"tps": float(tps.group(1)), "latency_ms": float(latency.group(1)), "init_s": float(done.group(1))}


def serves_pgbench(app, where, settings, folder, megabytes):
    """Whether APP in WHERE with -m MEGABYTES serves serve-test's short pgbench runs."""
    try:
        with network.serving(app, where, "user", settings, folder, megabytes) as endpoint:
            for args in serve_test.PGBENCH_SHORT_RUN:
                run_pgbench(endpoint.port, args, network.READY_TIMEOUT)
        outcome = "serves pgbench"
    except BenchError as error:
        outcome = "fails: " + str(error).strip().splitlines()[0]
    progress("postgres", f"{where} at {megabytes} MB: {outcome}")
    return outcome == "serves pgbench"


def pgbench(settings):
    """pgbench TPS in sole, in the Linux guest and natively; the smallest -m in sole and the Linux guest."""
    machine = settings.machines[0]
    memory_mb = max(settings.memory_mb, POSTGRES_MEMORY_MB)
    settings = dataclasses.replace(settings, machines=(machine,), memory_mb=memory_mb)
    wheres = (SOLE, LINUX, NATIVE) if settings.linux_guest else (SOLE, NATIVE)
    short = " then ".join("pgbench " + " ".join(args) for args in serve_test.PGBENCH_SHORT_RUN)
    section = Section("postgres", "PostgreSQL 15: pgbench",
                      f"Debian's PostgreSQL 15 (`postgres -c shared_buffers=16MB`, serve-test's settings) on a "
                      f"cluster made by initdb on the host, a fresh copy of it on a host folder for each start: "
                      f"sole mounts it with `-v` and runs postgres with `--user postgres`, the Linux guest mounts "
                      f"the same 9p export with v9fs (Debian's generic kernel: the cloud kernel has no 9p), native "
                      f"runs on the folder as the host's postgres user. `pgbench -i -s {SCALE}`, then "
                      f"`pgbench -c {CLIENTS} -T {settings.pgbench_seconds}` (one client thread) from the host, "
                      f"{settings.runs} run(s), on `-M {machine}` with {memory_mb} MB over QEMU's user network "
                      f"(hostfwd on 127.0.0.1). The smallest -m is a binary search in 1 MB steps from 1 to "
                      f"{harness.MEMORY_CEILING_MB} MB: postgres must start and serve `{short}` (serve-test's "
                      "runs) with no failed transaction.")
    cluster = tempfile.mkdtemp(prefix="bench-postgres-cluster-", dir=os.environ.get("TMPDIR", "/tmp"))
    folder = tempfile.mkdtemp(prefix="bench-postgres-", dir=os.environ.get("TMPDIR", "/tmp"))
    os.chmod(folder, 0o755)
    try:
        progress("postgres", "initdb on the host")
        make_cluster(cluster)
        app = postgres_app(cluster, folder)
        figures, qemu = {where: [] for where in wheres}, {}
        for run in range(settings.runs):
            for where in wheres:
                progress("postgres", f"run {run + 1}/{settings.runs}: {where}: pgbench -i -s {SCALE}, "
                         f"then -c {CLIENTS} -T {settings.pgbench_seconds}")
                with network.serving(app, where, "user", settings, folder) as endpoint:
                    figures[where].append(app.load(endpoint.host, endpoint.port, settings))
                    qemu[where] = endpoint.qemu
                progress("postgres", f"{where}: {figures[where][-1]['tps']:,.1f} TPS")
        smallest = {}
        for where in (where for where in wheres if where != NATIVE):
            smallest[where] = harness.smallest_memory(
                lambda megabytes: serves_pgbench(app, where, settings, folder, megabytes), harness.MEMORY_CEILING_MB)
            progress("postgres", f"{where}: smallest -m {smallest[where]} MB")
    finally:
        shutil.rmtree(cluster)
        shutil.rmtree(folder)
    medians = {where: {key: harness.median([run[key] for run in runs]) for key in ("tps", "latency_ms", "init_s")}
               for where, runs in figures.items()}
    tps = {where: medians.get(where, {}).get("tps") for where in (SOLE, LINUX, NATIVE)}
    table = Table(["server", f"pgbench -i -s {SCALE} (s)", "TPS", "latency average (ms)", "sole ÷ Linux (TPS)"], [])
    for where in wheres:
        table.rows.append([where, number(medians[where]["init_s"], 1), number(medians[where]["tps"], 1),
                           number(medians[where]["latency_ms"], 1),
                           times(ratio(tps[SOLE], tps[LINUX])) if where == SOLE else ""])
    memory_table = Table(["server", "smallest -m (MB)", "Linux ÷ sole"],
                         [[where, number(smallest[where], 0),
                           times(ratio(smallest.get(LINUX), smallest[SOLE])) if where == SOLE else ""]
                          for where in smallest])
    section.tables += [table, memory_table]
    not_run = "not run"
    section.summary += [
        SummaryRow(f"postgres pgbench TPS, {CLIENTS} clients, scale {SCALE}, {settings.pgbench_seconds} s, {machine}, "
                   f"{network.BACKENDS['user']}", number(tps[SOLE], 1),
                   number(tps[LINUX], 1) if settings.linux_guest else not_run, number(tps[NATIVE], 1),
                   times(ratio(tps[SOLE], tps[LINUX])), TPS_TARGET),
        SummaryRow("memory, smallest -m, postgres serving pgbench", number(smallest[SOLE], 0, " MB"),
                   number(smallest.get(LINUX), 0, " MB") if settings.linux_guest else not_run, "",
                   times(ratio(smallest.get(LINUX), smallest[SOLE])), MEMORY_TARGET)]
    section.plots.append(Plot("postgres", f"pgbench, {CLIENTS} clients, scale {SCALE} (TPS)", "transactions per second",
                              [SOLE, LINUX, NATIVE], [("TPS", [tps[SOLE], tps[LINUX], tps[NATIVE]])], logscale=True))
    section.notes.append("Both guests carry serve-test's postgres folders (the binaries, their shared "
                         "libraries, /usr/share/postgresql/15, the time zones: about 110 MB) in their initrd; "
                         "the Linux guest also holds its initramfs archive while it unpacks it. That is most of "
                         "either's smallest -m. Linux unpacks its initramfs into a tmpfs, which takes at most "
                         "half of the memory left beside the kernel and the archive, so it needs about twice the "
                         "unpacked files there; with `rootfstype=ramfs` (no such cap) it would "
                         "be lower, but this row boots the Linux guest as every other row does.")
    section.notes.append("The three servers write to the same kind of folder (the host's disk, fsync on): "
                         "sole's and the Linux guest's writes go through QEMU's 9p server, native's straight "
                         "to the host's file system.")
    for where, line in qemu.items():
        if line:
            section.commands.append((f"{where}, {machine}, {network.BACKENDS['user']} (-m varies in the search)",
                                     line))
    return section
