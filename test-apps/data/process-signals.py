# Signals between Python and its children: terminate, kill, a timeout that
# kills the child, a whole process group killed with os.killpg, a SIGCHLD
# handler, and a child that ignores SIGTERM. The test --copy's /usr/bin/sleep.
# Every line printed is deterministic.
import os
import signal
import subprocess
import sys
import time


def show(label, value):
    print(f"{label}: {value!r}")
    sys.stdout.flush()


child = subprocess.Popen(["sleep", "30"])
child.terminate()
show("terminate", child.wait())
child = subprocess.Popen(["/bin/sh", "-c", "sleep 30"])
child.kill()
show("kill", child.wait())
started = time.monotonic()
try:
    subprocess.run(["sleep", "30"], timeout=0.5)
except subprocess.TimeoutExpired as error:
    show("timeout", (error.cmd, error.timeout <= 0.5, time.monotonic() - started < 20))

# A shell and its pipeline in their own session: os.killpg ends all of them.
group = subprocess.Popen(["/bin/sh", "-c", "sleep 30 | sleep 31; echo not reached"],
                         start_new_session=True, stdout=subprocess.PIPE)
time.sleep(0.3)
show("new session", (os.getpgid(group.pid) == group.pid, os.getsid(group.pid) == group.pid,
                     os.getpgid(0) != group.pid))
os.killpg(group.pid, signal.SIGTERM)
show("killpg", (group.wait(), group.stdout.read()))

# The shell ignores SIGTERM and passes the ignoring on to what it runs.
stubborn = subprocess.Popen(["/bin/sh", "-c", "trap '' TERM; sleep 0.5; echo survived"],
                            stdout=subprocess.PIPE)
time.sleep(0.2)
stubborn.send_signal(signal.SIGTERM)
show("ignored SIGTERM", (stubborn.stdout.read(), stubborn.wait()))

# SIGCHLD: the handler runs once per child (the exits are spaced out) and
# reaps it. (The sleeps killed with their shell above were orphans: where
# Python is pid 1, as in sole, they are its children too and reaped here.)
mine = set()
reaped = []


def on_child(signum, frame):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid in mine:
            reaped.append(os.waitstatus_to_exitcode(status))


signal.signal(signal.SIGCHLD, on_child)
for code in (3, 4, 5):
    pid = os.fork()
    if pid == 0:
        time.sleep(0.1 * code)
        os._exit(code)
    mine.add(pid)
deadline = time.monotonic() + 20
while len(reaped) < 3 and time.monotonic() < deadline:
    time.sleep(0.05)
signal.signal(signal.SIGCHLD, signal.SIG_DFL)
show("SIGCHLD reaped", sorted(reaped))
