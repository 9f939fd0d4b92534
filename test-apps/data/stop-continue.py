# Job control between processes: a child stopped with SIGSTOP and continued
# with SIGCONT, seen by waitpid with WUNTRACED and WCONTINUED, and a shell's
# background job stopped and continued with kill. The test --copy's /usr/bin/sleep.
import os
import signal
import subprocess
import sys
import time


def show(label, value):
    print(f"{label}: {value!r}")
    sys.stdout.flush()


# A few children alive at once, the way a real program has them.
others = [subprocess.Popen(["sleep", "0.5"]) for _ in range(2)]
pid = os.fork()
if pid == 0:
    time.sleep(0.5)
    os._exit(8)
os.kill(pid, signal.SIGSTOP)
_, status = os.waitpid(pid, os.WUNTRACED)
show("stopped", (os.WIFSTOPPED(status), os.WSTOPSIG(status)))
os.kill(pid, signal.SIGCONT)
_, status = os.waitpid(pid, os.WCONTINUED)
show("continued", os.WIFCONTINUED(status))
_, status = os.waitpid(pid, 0)
show("exited", os.waitstatus_to_exitcode(status))
show("others", [child.wait() for child in others])

# A stopped child does not run: it writes only after SIGCONT.
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    time.sleep(0.3)
    os.write(w, b"ran")
    os._exit(0)
os.close(w)
os.kill(pid, signal.SIGSTOP)
os.waitpid(pid, os.WUNTRACED)
time.sleep(0.6)
os.set_blocking(r, False)
try:
    early = os.read(r, 10)
except BlockingIOError:
    early = b"nothing while stopped"
os.set_blocking(r, True)
show("while stopped", early)
os.kill(pid, signal.SIGCONT)
show("after SIGCONT", os.read(r, 10))
os.waitpid(pid, 0)

result = subprocess.run(["/bin/sh", "-c", "sleep 0.5 & p=$!; kill -STOP $p; sleep 0.8; kill -CONT $p; wait $p; echo job status $?"],
                        capture_output=True, text=True)
show("shell job", result.stdout)
