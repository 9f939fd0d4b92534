#!/usr/bin/env python3
"""The network rows: nginx under wrk (one process, and a master with 2 worker
processes) and redis-server under redis-benchmark, served from sole, from the Linux
guest and natively; and the probes behind the memory table's server lines (the
smallest -m at which a server still answers).

Two network backends, the same for sole and the Linux guest (the Linux guest's
QEMU line is sole's own, as `sole run --verbose` prints it with the same -p or --net):

  user  QEMU's user network; the guest port is published on 127.0.0.1 by a hostfwd
        rule (`sole run -p`) and the client connects there. QEMU listens on it with
        a backlog of 1; sole widens that to 4096 for its own QEMU
        (tools/sole/hostfwd_backlog.c) and this module widens it the same way for the
        Linux guest's QEMU, so neither guest loses SYNs to a full accept queue.
  tap   the tap device of bench/netns-tap's private network namespace; the client
        runs in the same namespace and connects to the guest's address there. The
        trials run in a child, `bench/network.py --in-namespace`, started through
        bench/netns-tap (it needs root).

The native server listens on the host's 127.0.0.1. Each trial also reads from /proc
how much CPU time QEMU's threads (or the native server's, with its worker processes)
spent per request. The servers run as test-apps/serve-test runs them (its nginx
configuration and flags, its redis flags, its Server class); the page is 612 bytes,
the size of nginx's own index.html.
"""
import argparse
import contextlib
import csv
import ctypes
import dataclasses
import importlib.machinery
import importlib.util
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from typing import Callable

import harness
import linux_guest
from harness import BenchError, median, progress, ratio
from report import Plot, Section, SummaryRow, Table, number, times

BENCH = os.path.dirname(os.path.abspath(__file__))
NETNS_TAP = os.path.join(BENCH, "netns-tap")


def load_serve_test():
    """test-apps/serve-test as a module (it is a script without a .py name)."""
    path = os.path.join(harness.ROOT, "test-apps", "serve-test")
    loader = importlib.machinery.SourceFileLoader("serve_test", path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("serve_test", loader))
    loader.exec_module(module)
    return module


serve_test = load_serve_test()

SOLE, LINUX, NATIVE = "sole", "Linux guest", "native"
GUESTS = (SOLE, LINUX)
BACKENDS = {"user": "user-net hostfwd (127.0.0.1)", "tap": "tap (bench/netns-tap)"}
PAGE_BYTES = 612
WRK_THREADS, WRK_CONNECTIONS = 1, 30
REDIS_CONNECTIONS, REDIS_PIPELINE = 30, 16
REDIS_TESTS = ("SET", "GET")
# How long a server may take to answer its first request: a Linux guest boots in a
# few seconds under TCG, sole in well under one.
READY_TIMEOUT = 60
# How long a client may take beyond its own run time before it counts as hung.
CLIENT_GRACE = 60
SYS_PIDFD_GETFD = 438
HOSTFWD_BACKLOG = 4096
# The worker processes of the nginx-workers row (nginx's master forks them).
NGINX_WORKERS = 2
REDIS_IO_THREADS = 2
NGINX_WORKER_STARTED = serve_test.NGINX_WORKER_STARTED
# How long the master may take to log the start of its last worker once one answers.
WORKERS_WAIT = 10
# How long the Linux guest's QEMU may take to open its hostfwd socket.
HOSTFWD_WAIT = 10


@dataclasses.dataclass
class ServerApp:
    """A server the rows run: how sole and the Linux guest start it (ARGV, with the
    COPIES as (host file or folder, guest path) pairs), how it runs natively on a port of
    127.0.0.1, how one request checks that it answers, and the load that measures it.
    Optionally: SOLE_OPTIONS for `sole run` (and for the sole QEMU line the Linux guest
    reuses, so a -v there is the same export); VOLUME_PATH, the guest path of that -v,
    which the Linux guest mounts with v9fs on Debian's generic kernel (the cloud kernel
    has no 9p); LINUX_ARGV, what the Linux guest's /init runs instead of ARGV; PREPARE,
    called before each start (native too)."""
    name: str
    guest_port: int
    argv: list
    copies: list
    native_argv: Callable[[int], list]
    answers: Callable[[str, int], bool]
    load: Callable[[str, int, harness.Settings], dict]
    workers: int = 0  # the worker processes that must start (nginx's "start worker process" lines)
    sole_options: list = dataclasses.field(default_factory=list)
    volume_path: str = None
    linux_argv: list = None
    prepare: Callable[[], None] = None


def page():
    """The HTML page wrk fetches, PAGE_BYTES long."""
    head = b"<!doctype html>\n<title>sole benchmark</title>\n<p>"
    tail = b"</p>\n"
    return head + b"x" * (PAGE_BYTES - len(head) - len(tail)) + tail


def run_client(command, timeout):
    """A client's stdout; a hang, a failure or a missing client is a BenchError."""
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout)
    except FileNotFoundError:
        raise BenchError(f"{command[0]} is not installed; run ./setup (it installs wrk and redis-tools)") from None
    except subprocess.TimeoutExpired:
        raise BenchError(f"{shlex.join(command)} did not finish within {timeout} s") from None
    if proc.returncode != 0:
        raise BenchError(f"{shlex.join(command)} failed with status {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def page_answers(host, port):
    """Whether nginx serves the page byte for byte (curl, one request)."""
    proc = subprocess.run(["curl", "-sS", "--fail", "--max-time", "5", f"http://{host}:{port}/index.html"],
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
    return proc.returncode == 0 and proc.stdout == page()


def ping_answers(host, port):
    """Whether redis-server answers PING (redis-cli, one request)."""
    proc = subprocess.run(["redis-cli", "-h", host, "-p", str(port), "PING"], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=10)
    return proc.returncode == 0 and proc.stdout.strip() == b"PONG"


def milliseconds(text):
    """wrk's '1.23ms', '456.00us' or '1.02s' in milliseconds."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not found:
        raise BenchError(f"wrk printed a latency bench/network.py cannot read: {text!r}")
    return float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[found.group(2)]


def wrk_errors(output):
    """How many socket errors (connect, read, write, timeout) and non-2xx answers wrk printed."""
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (sum(int(n) for n in sockets.groups()) if sockets else 0) + (int(non_2xx.group(1)) if non_2xx else 0)


def wrk_load(host, port, settings):
    """wrk --latency for the settings' seconds: {rps, p50_ms, p99_ms, problem, errors, requests}.
    wrk's socket errors and non-2xx answers (serve-test's check) are kept as the problem, and
    counted as the errors."""
    output = run_client(["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{settings.wrk_seconds}s",
                         "--latency", f"http://{host}:{port}/index.html"], settings.wrk_seconds + CLIENT_GRACE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    requests = re.search(r"^\s*(\d+) requests in ", output, re.M)
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
    if not rate or not requests or set(percentiles) != {"50", "99"}:
        raise BenchError(f"wrk printed no Requests/sec, no request count or no 50%/99% latency line:\n{output}")
    try:
        serve_test.check_wrk_output(output)
        problem = None
    except serve_test.TestFailure as failure:
        problem = str(failure)
    return {"rps": float(rate.group(1)), "p50_ms": milliseconds(percentiles["50"]),
            "p99_ms": milliseconds(percentiles["99"]), "problem": problem, "errors": wrk_errors(output),
            "requests": int(requests.group(1))}


def redis_benchmark(host, port, requests):
    """redis-benchmark -P 16 of REQUESTS SETs, then as many GETs: its --csv rows by test."""
    output = run_client(["redis-benchmark", "-h", host, "-p", str(port), "-c", str(REDIS_CONNECTIONS),
                         "-n", str(requests), "-P", str(REDIS_PIPELINE),
                         "-t", ",".join(test.lower() for test in REDIS_TESTS), "--csv"], 600)
    rows = {row["test"]: row for row in csv.DictReader(output.splitlines())}
    if any(test not in rows for test in REDIS_TESTS):
        raise BenchError(f"redis-benchmark --csv printed no row for {', '.join(REDIS_TESTS)}:\n{output}")
    return rows


def redis_load(host, port, settings):
    """redis-benchmark -P 16 of SET and GET: {test: {rps, p50_ms, p99_ms}, requests}.
    A first pass of a tenth of the requests warms up (under TCG, QEMU translates the
    code paths it has not run yet) and is not counted."""
    redis_benchmark(host, port, max(settings.redis_requests // 10, REDIS_PIPELINE * REDIS_CONNECTIONS))
    rows = redis_benchmark(host, port, settings.redis_requests)
    figures = {test: {"rps": float(rows[test]["rps"]), "p50_ms": float(rows[test]["p50_latency_ms"]),
                      "p99_ms": float(rows[test]["p99_latency_ms"])} for test in REDIS_TESTS}
    return dict(figures, requests=len(REDIS_TESTS) * settings.redis_requests)


def nginx_flags(workers):
    """serve-test's nginx flags: in the foreground, the error log on stderr; with WORKERS
    0 also master_process off (one process), otherwise a master that forks WORKERS."""
    return ["-e", "stderr", "-g", "daemon off;" if workers else "daemon off; master_process off;"]


def nginx_app(folder, workers=0):
    """nginx with serve-test's configuration, serving the page from /srv (FOLDER holds the
    files): one process, or with WORKERS a master and that many worker processes."""
    os.chmod(folder, 0o755)  # a native master's workers run as nobody and must read the site
    site = os.path.join(folder, "site")
    os.makedirs(site, exist_ok=True)
    page_path = os.path.join(site, "index.html")
    with open(page_path, "wb") as out:
        out.write(page())
    guest_conf = os.path.join(folder, "nginx.conf")
    with open(guest_conf, "w") as conf:
        conf.write(serve_test.NGINX_CONF.format(pid="/tmp/nginx.pid", temp="/tmp", listen=80, root="/srv",
                                                workers=max(workers, 1)))

    def native_argv(port):
        native_conf = os.path.join(folder, "nginx-native.conf")
        with open(native_conf, "w") as conf:
            conf.write(serve_test.NGINX_CONF.format(pid=os.path.join(folder, "nginx.pid"), temp=folder,
                                                    listen=f"127.0.0.1:{port}", root=site,
                                                    workers=max(workers, 1)))
        return ["/usr/sbin/nginx", "-c", native_conf] + nginx_flags(workers)

    return ServerApp("nginx-workers" if workers else "nginx", 80, ["/usr/sbin/nginx"] + nginx_flags(workers),
                     [(page_path, "/srv/index.html"), (guest_conf, "/etc/nginx/nginx.conf")],
                     native_argv, page_answers, wrk_load, workers)


def redis_app(folder):
    """redis-server with serve-test's flags (no persistence, no protected mode)."""
    def native_argv(port):
        return ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", folder] \
            + serve_test.REDIS_FLAGS

    return ServerApp("redis", 6379, ["/usr/bin/redis-server", "--bind", "0.0.0.0"] + serve_test.REDIS_FLAGS, [],
                     native_argv, ping_answers, redis_load)


def redis_io_threads_app(folder):
    """redis-server as redis_app, with REDIS_IO_THREADS I/O threads that also read."""
    app = redis_app(folder)
    threads = ["--io-threads", str(REDIS_IO_THREADS), "--io-threads-do-reads", "yes"]
    native_argv = app.native_argv
    return dataclasses.replace(app, name="redis-io-threads", argv=app.argv + threads,
                               native_argv=lambda port: native_argv(port) + threads)


APPS = {"nginx": nginx_app, "nginx-workers": lambda folder: nginx_app(folder, NGINX_WORKERS), "redis": redis_app,
        "redis-io-threads": redis_io_threads_app}


def widen_hostfwd_backlog(qemu, port):
    """Widens the backlog of QEMU's hostfwd socket on 127.0.0.1:PORT to 4096, as sole
    does for its own QEMU (tools/sole/hostfwd_backlog.c): a duplicate of each of QEMU's
    sockets (pidfd_getfd) until one listens there, and listen() on it. QEMU is its
    Popen; waits up to HOSTFWD_WAIT seconds for it to open the socket. Returns whether
    it widened it (not when QEMU exits first)."""
    libc = ctypes.CDLL(None, use_errno=True)
    deadline = time.monotonic() + HOSTFWD_WAIT
    while time.monotonic() < deadline and qemu.poll() is None:
        pidfd = os.pidfd_open(qemu.pid)
        try:
            for name in os.listdir(f"/proc/{qemu.pid}/fd"):
                try:
                    if not os.readlink(f"/proc/{qemu.pid}/fd/{name}").startswith("socket:["):
                        continue
                except FileNotFoundError:
                    continue
                duplicate = libc.syscall(SYS_PIDFD_GETFD, pidfd, int(name), 0)
                if duplicate < 0:
                    continue
                with socket.socket(fileno=duplicate) as sock:
                    if (sock.family == socket.AF_INET and sock.type == socket.SOCK_STREAM
                            and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                            and sock.getsockname() == ("127.0.0.1", port)):
                        sock.listen(HOSTFWD_BACKLOG)
                        return True
        finally:
            os.close(pidfd)
        time.sleep(0.05)
    return False


def qemu_pid(server_pid):
    """QEMU's pid: SERVER_PID itself (the Linux guest), or its child (`sole run`)."""
    def command_of(pid):
        with open(f"/proc/{pid}/comm") as comm:
            return comm.read().strip()

    if command_of(server_pid).startswith("qemu"):
        return server_pid
    for task in os.listdir(f"/proc/{server_pid}/task"):
        with open(f"/proc/{server_pid}/task/{task}/children") as children:
            for child in children.read().split():
                if command_of(child).startswith("qemu"):
                    return int(child)
    raise BenchError(f"process {server_pid} ({command_of(server_pid)}) has no QEMU child")


def descendants(pid):
    """The pids of PID's child processes, their children and so on."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found += [int(child)] + descendants(int(child))
        except FileNotFoundError:
            continue  # the thread ended meanwhile
    return found


def cpu_seconds(pid):
    """(CPU seconds of PID's main thread, of all its other threads and of its descendant
    processes' threads, such as nginx's workers natively), user and system."""
    main = others = 0.0
    for process in [pid] + descendants(pid):
        for task in os.listdir(f"/proc/{process}/task"):
            try:
                with open(f"/proc/{process}/task/{task}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
            if int(task) == pid:
                main += seconds
            else:
                others += seconds
    return main, others


@dataclasses.dataclass
class Endpoint:
    """Where a started server answers, its process (`sole run`, QEMU or the native
    server) and the QEMU command line behind it (None natively)."""
    host: str
    port: int
    pid: int
    qemu: list


def wait_until_answers(server, app, host, port):
    """Polls APP's one-request check until the server answers; a BenchError with the
    server's output when it exits first or stays silent for READY_TIMEOUT seconds."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchError(f"{server.name} exited with status {server.process.returncode} before it "
                             f"answered on {host}:{port}:\n{server_output(server)}")
        if app.answers(host, port):
            return
        time.sleep(0.2)
    raise BenchError(f"{server.name} did not answer on {host}:{port} within {READY_TIMEOUT} s:\n"
                     f"{server_output(server)}")


def check_workers(server, app):
    """A BenchError unless the server's log says, within WORKERS_WAIT seconds, that all
    of APP's worker processes started (the first may answer before the master forks the next)."""
    deadline = time.monotonic() + WORKERS_WAIT
    while True:
        log = b""
        for path in (server.stdout_path, server.stderr_path):
            with open(path, "rb") as output:
                log += output.read()
        started = set(NGINX_WORKER_STARTED.findall(log))
        if len(started) == app.workers:
            return
        if time.monotonic() > deadline:
            raise BenchError(f"{server.name} logged {len(started)} started worker processes, expected "
                             f"{app.workers}:\n{server_output(server)}")
        time.sleep(0.2)


def server_output(server):
    return "\n".join(f"{server.name} {label}: {serve_test.tail(path)}"
                     for label, path in (("stdout", server.stdout_path), ("stderr", server.stderr_path)))


def sole_copy_options(app):
    return [option for host_path, guest_path in app.copies for option in ("--copy", f"{host_path}:{guest_path}")]


@contextlib.contextmanager
def serving(app, where, backend, settings, folder, memory_mb=None):
    """Starts APP in WHERE (sole, the Linux guest or native) on BACKEND (user or tap;
    native ignores it) with -m MEMORY_MB (default: the settings'), waits until it
    answers, yields its Endpoint, and stops it. FOLDER holds the initramfs and the
    server's output."""
    machine = settings.machines[0]
    memory_mb = memory_mb or settings.memory_mb
    qemu = None
    if where == NATIVE:
        host, port = "127.0.0.1", serve_test.free_port()
        command = app.native_argv(port)
    else:
        if backend == "user":
            host, port = "127.0.0.1", serve_test.free_port()
            network = ["-p", f"{port}:{app.guest_port}"]
        else:
            host, port = os.environ["NETNS_GUEST_IP"], app.guest_port
            network = ["--net", f"tap:{os.environ['NETNS_TAP']}"]
        # sole's QEMU line for this backend, from a hello at the usual memory (at a
        # probe's small -m the hello itself might not fit).
        vm = harness.sole_vm(settings.build, machine, settings.accel, settings.memory_mb,
                             network + app.sole_options, settings.cpus)
        if where == SOLE:
            command = harness.sole_command(settings, app.argv, machine, memory_mb,
                                           network + app.sole_options + sole_copy_options(app))
            qemu = linux_guest.with_memory(vm.qemu, memory_mb)
        else:
            guest = linux_guest.LinuxGuest(vm, linux_guest.VOLUME_METAPACKAGE if app.volume_path
                                           else linux_guest.METAPACKAGE)
            volume = linux_guest.GuestVolume.of_sole_vm(guest.qemu, app.volume_path) if app.volume_path else None
            initrd = os.path.join(folder, f"{app.name}-initramfs.cpio")
            with open(initrd, "wb") as out:
                out.write(linux_guest.initramfs(app.linux_argv or app.argv, app.copies, network=guest.network,
                                                volume=volume))
            command = guest.command(initrd, memory_mb)
            qemu = guest.command("INITRAMFS", memory_mb)
    if app.prepare:
        app.prepare()
    server = serve_test.Server(f"{app.name}-in-{where.replace(' ', '-')}", command, folder)
    try:
        widened = where != LINUX or backend != "user" or widen_hostfwd_backlog(server.process, port)
        if not widened and server.process.poll() is None:
            raise BenchError(f"found no socket of the Linux guest's QEMU (pid {server.process.pid}) listening on "
                             f"127.0.0.1:{port} to widen its backlog; pidfd_getfd needs Linux 5.6 and ptrace "
                             "rights over QEMU")
        wait_until_answers(server, app, host, port)
        if app.workers:
            check_workers(server, app)
        yield Endpoint(host, port, server.process.pid, qemu)
    finally:
        try:
            server.stop()
        except serve_test.TestFailure as failure:
            raise BenchError(str(failure)) from None


def measure(app_name, backend, wheres, settings):
    """{"figures": {where: figures}, "qemu": {where: QEMU line}} of APP_NAME's load on
    BACKEND, one server after another. The figures are the load's, and "cpu_us": the
    CPU µs per request of QEMU's main thread and of its other threads (natively: of
    the server's), from /proc while the load ran."""
    trial = {"figures": {}, "qemu": {}}
    with tempfile.TemporaryDirectory(prefix=f"bench-{app_name}-") as folder:
        app = APPS[app_name](folder)
        for where in wheres:
            on = "" if where == NATIVE else f", {settings.machines[0]}, {BACKENDS[backend]}"
            progress(app_name, f"{where}{on}: under load")
            with serving(app, where, backend, settings, folder) as endpoint:
                measured = endpoint.pid if where == NATIVE else qemu_pid(endpoint.pid)
                before = cpu_seconds(measured)
                figures = app.load(endpoint.host, endpoint.port, settings)
                after = cpu_seconds(measured)
            figures["cpu_us"] = [(end - start) * 1e6 / figures["requests"] for start, end in zip(before, after)]
            trial["figures"][where] = figures
            trial["qemu"][where] = endpoint.qemu
    return trial


def measure_in_namespace(app_name, wheres, settings):
    """measure() over the tap backend, run by a child in bench/netns-tap's namespace."""
    command = [NETNS_TAP, "--", sys.executable, os.path.abspath(__file__), "--in-namespace", app_name,
               "--settings", settings.to_json(), *wheres]
    proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise BenchError(f"the tap trials of {app_name} failed in bench/netns-tap (status {proc.returncode}); "
                         "its message is above")
    return json.loads(proc.stdout)


def server_probes(app_name, settings, folder):
    """(sole works at MB, Linux guest works at MB): whether APP_NAME answers one request
    (nginx: the page; redis: PING) over the user network with -m MB."""
    app = APPS[app_name](folder)

    def probe(where):
        def works(megabytes):
            try:
                with serving(app, where, "user", settings, folder, megabytes):
                    outcome = "answers"
            except BenchError as error:
                outcome = "fails: " + str(error).splitlines()[0]
            progress("memory", f"{app_name}: {where} at {megabytes} MB: {outcome}")
            return outcome == "answers"
        return works

    return probe(SOLE), probe(LINUX)


def nginx_initrd_sizes(settings, folder):
    """Bytes of the initrd sole packs for nginx with its configuration and page, and
    of the Linux guest's initramfs with the same files and its network modules (None
    without a Linux guest). nginx -t only checks the configuration, so sole's run ends."""
    app = nginx_app(folder)
    argv = app.argv + ["-t"]
    sole_bytes = harness.sole_initrd_size(settings, argv, sole_copy_options(app))
    if not settings.linux_guest:
        return sole_bytes, None
    guest = linux_guest.LinuxGuest(harness.sole_vm(settings.build, settings.machines[0], settings.accel,
                                                   settings.memory_mb))
    return sole_bytes, len(linux_guest.initramfs(argv, app.copies, network=guest.network))


def trials(app_name, settings):
    """Every run's figures as {(machine, backend, where): [figures of each run]}
    (native under (None, None, "native")), and the QEMU line of each key."""
    wheres = GUESTS if settings.linux_guest else (SOLE,)
    figures, qemu = {}, {}
    for run in range(settings.runs):
        progress(app_name, f"run {run + 1}/{settings.runs}")
        for machine in settings.machines:
            on_machine = dataclasses.replace(settings, machines=(machine,))
            for backend in BACKENDS:
                trial = measure(app_name, backend, wheres, on_machine) if backend == "user" \
                    else measure_in_namespace(app_name, wheres, on_machine)
                for where, value in trial["figures"].items():
                    figures.setdefault((machine, backend, where), []).append(value)
                    qemu[(machine, backend, where)] = trial["qemu"][where]
        native = measure(app_name, "user", (NATIVE,), settings)
        figures.setdefault((None, None, NATIVE), []).append(native["figures"][NATIVE])
    return figures, qemu


def place(machine, backend):
    """The first two cells of a row: the machine and the backend."""
    return [machine or "", BACKENDS[backend] if backend else "none: on the host's 127.0.0.1"]


def cpu_table(figures):
    """CPU µs per request (medians over the runs) of each server's QEMU or process."""
    table = Table(["machine", "backend", "server", "main thread (µs/req)", "other threads (µs/req)",
                   "all (µs/req)", "Linux ÷ sole (all)"], [])
    totals = {key: sum(median([run["cpu_us"][index] for run in runs]) for index in (0, 1))
              for key, runs in figures.items()}
    for (machine, backend, where), runs in figures.items():
        main, others = (median([run["cpu_us"][index] for run in runs]) for index in (0, 1))
        advantage = times(ratio(totals.get((machine, backend, LINUX)), totals[(machine, backend, where)]))
        table.rows.append(place(machine, backend) + [where, number(main, 1), number(others, 1),
                                                     number(main + others, 1), advantage if where == SOLE else ""])
    return table


def plot_label(*lines):
    """A bar cluster's label, one line per word given (None: no line)."""
    return "\n".join(line for line in lines if line)


def rate_section(app_name, title, intro, tests, target, settings, measure=None):
    """The Section of a throughput row: req/s and p50/p99 latency (medians over the
    runs) per machine, backend and server, and per test of TESTS (None: the load has
    one); and where the CPU time goes. MEASURE starts the summary rows (default APP_NAME)."""
    figures, qemu = trials(app_name, settings)
    section = Section(app_name, title, intro)
    table = Table(["machine", "backend", "server"] + (["test"] if tests != [None] else []) +
                  ["req/s", "p50 (ms)", "p99 (ms)", "sole ÷ Linux (req/s)"], [])
    groups = []

    def medians(key, test):
        runs = [run if test is None else run[test] for run in figures.get(key, [])]
        return {name: median([run[name] for run in runs]) for name in ("rps", "p50_ms", "p99_ms")} if runs else None

    def rates(key):
        return [(medians(key, test) or {}).get("rps") for test in tests]

    for machine, backend, where in figures:
        for test in tests:
            values = medians((machine, backend, where), test)
            linux = medians((machine, backend, LINUX), test)
            advantage = times(ratio(values["rps"], linux and linux["rps"])) if where == SOLE else ""
            table.rows.append(place(machine, backend) + [where] + ([test] if test else []) + [
                number(values["rps"], 0), number(values["p50_ms"], 2), number(values["p99_ms"], 2), advantage])
        if where == SOLE:
            sole, linux, native = (rates(key) for key in ((machine, backend, SOLE), (machine, backend, LINUX),
                                                            (None, None, NATIVE)))
            shown = " / ".join(test for test in tests if test)
            section.summary.append(SummaryRow(
                f"{measure or app_name}{' ' + shown if shown else ''} req/s, {machine}, {BACKENDS[backend]}",
                " / ".join(number(rate, 0) for rate in sole),
                " / ".join(number(rate, 0) for rate in linux) if settings.linux_guest else "not run",
                " / ".join(number(rate, 0) for rate in native),
                " / ".join(times(ratio(mine, theirs)) for mine, theirs in zip(sole, linux)), target))
            for test, mine, theirs in zip(tests, sole, linux):
                groups.append((plot_label(test, machine, backend), [mine, theirs, None]))
    for test, rate in zip(tests, rates((None, None, NATIVE))):
        groups.append((plot_label(test, "host"), [None, None, rate]))
    section.tables += [table, cpu_table(figures)]
    section.plots.append(Plot(app_name, f"{title} (median req/s)", "requests per second",
                              [SOLE, LINUX, NATIVE], groups, logscale=True))
    problems = sorted({f"{where} ({machine or 'host'}, {backend or 'host'}): {run['problem']}"
                       for (machine, backend, where), runs in figures.items() for run in runs if run.get("problem")})
    section.notes += [f"wrk saw errors in {problem}" for problem in problems]
    section.notes += [
        "The second table is where the time goes: CPU time per request, read from /proc/PID/task/*/stat "
        "before and after the load, of the guest's QEMU (for sole, the QEMU that `sole run` starts) or of the "
        "native server (its worker processes, if any, count among the other threads). Under TCG the vCPU "
        "is one of QEMU's *other threads*; its *main thread* runs the main loop: the user network (slirp) or "
        "the tap device, and virtio-net's queues.",
        "The Linux guest's QEMU listens on its hostfwd port with a backlog of 1, as sole's does; "
        "both are widened to 4096 once QEMU runs (sole itself, tools/sole/hostfwd_backlog.c; "
        "bench/network.py the same way for the Linux guest), so neither drops SYNs when the "
        f"{WRK_CONNECTIONS if app_name == 'nginx' else REDIS_CONNECTIONS} connections open at once."]
    for (machine, backend, where), line in qemu.items():
        section.commands.append((f"{where}, {machine}, {BACKENDS[backend]}", line))
    return section


def machines_text(settings):
    return " and ".join(f"`-M {machine}`" for machine in settings.machines)


def nginx(settings):
    """wrk against nginx in sole, in the Linux guest and natively."""
    intro = (f"Debian's nginx serves a {PAGE_BYTES}-byte page (serve-test's configuration: one worker, no "
             f"master process, access log off, sendfile on); `wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} "
             f"-d{settings.wrk_seconds}s --latency`, the median of {settings.runs} run(s). Both guests run on "
             f"{machines_text(settings)} with {settings.memory_mb} MB; *user-net* publishes port 80 on "
             "127.0.0.1 by QEMU's hostfwd, *tap* is bench/netns-tap's tap device, wrk in the same namespace.")
    return rate_section("nginx", "nginx: a static page under wrk", intro, [None], "sole ÷ Linux ≥ 1.5×",
                        settings)


def nginx_workers(settings):
    """wrk against nginx with a master and NGINX_WORKERS worker processes, on the first machine."""
    machine = settings.machines[0]
    intro = (f"The nginx row with nginx's master process and `worker_processes {NGINX_WORKERS};` (no "
             "`master_process off`): the master forks the workers, which share the listening socket, and "
             "each trial checks that all of them logged their start. Otherwise the same: the "
             f"{PAGE_BYTES}-byte page, `wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{settings.wrk_seconds}s "
             f"--latency`, the median of {settings.runs} run(s), on `-M {machine}` only with {settings.memory_mb} MB and one vCPU, as "
             f"every guest here; natively the workers run as nobody on the host's {os.cpu_count()} cores.")
    return rate_section("nginx-workers", f"nginx, master + {NGINX_WORKERS} workers: a static page under wrk",
                        intro, [None], "sole ÷ Linux ≥ 1.5×", dataclasses.replace(settings, machines=(machine,)),
                        measure=f"nginx, master + {NGINX_WORKERS} workers,")


def redis(settings):
    """redis-benchmark against redis-server in sole, in the Linux guest and natively."""
    intro = (f"Debian's redis-server (no persistence); `redis-benchmark -c {REDIS_CONNECTIONS} "
             f"-n {settings.redis_requests} -P {REDIS_PIPELINE} -t set,get --csv` after a warm-up pass of a "
             f"tenth as many requests (not counted), the median of {settings.runs} run(s). Both guests run on {machines_text(settings)} with {settings.memory_mb} MB "
             "and the same two backends as nginx.")
    return rate_section("redis", "redis: SET and GET under redis-benchmark", intro, list(REDIS_TESTS),
                        "sole ÷ Linux ≥ 1.3×", settings)


def redis_io_threads(settings):
    """The redis row with REDIS_IO_THREADS I/O threads in redis-server."""
    intro = (f"The redis row with `--io-threads {REDIS_IO_THREADS} --io-threads-do-reads yes`: redis-server "
             "reads and writes its clients' sockets on that many threads. Otherwise the same: "
             f"`redis-benchmark -c {REDIS_CONNECTIONS} -n {settings.redis_requests} -P {REDIS_PIPELINE} "
             f"-t set,get --csv`, the median of {settings.runs} run(s), on {machines_text(settings)} with "
             f"{settings.memory_mb} MB.")
    return rate_section("redis-io-threads", f"redis, {REDIS_IO_THREADS} I/O threads: SET and GET", intro,
                        list(REDIS_TESTS), "sole ÷ Linux ≥ 1.3×", settings)


def main():
    parser = argparse.ArgumentParser(description="The tap half of bench/run's network rows: run by "
                                     "measure_in_namespace() through bench/netns-tap; prints its figures as JSON.")
    parser.add_argument("--in-namespace", required=True, choices=sorted(APPS), metavar="APP")
    parser.add_argument("--settings", required=True, help="harness.Settings as JSON")
    parser.add_argument("wheres", nargs="+", choices=GUESTS)
    args = parser.parse_args()
    if "NETNS_TAP" not in os.environ:
        sys.exit("bench/network.py: NETNS_TAP is not set; run it through bench/netns-tap, as bench/run does")
    try:
        trial = measure(args.in_namespace, "tap", args.wheres, harness.Settings.from_json(args.settings))
    except BenchError as error:
        sys.exit(f"bench/network.py: {error}")
    json.dump(trial, sys.stdout)


if __name__ == "__main__":
    main()
