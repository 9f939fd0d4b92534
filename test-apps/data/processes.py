# Processes from Python: subprocess with captured output, a pipe between two
# children, os.fork with os.waitpid, os.posix_spawn and multiprocessing.Pool(2).
# The test --copy's /usr/bin/sort. Every line printed is deterministic.
import multiprocessing
import os
import signal
import subprocess
import sys


def show(label, value):
    print(f"{label}: {value!r}")
    sys.stdout.flush()


# subprocess.run with capture_output: a shell command and a program.
result = subprocess.run(["/bin/sh", "-c", "echo out $((6*7)); echo err >&2; exit 3"],
                        capture_output=True)
show("sh returncode", result.returncode)
show("sh stdout", result.stdout)
show("sh stderr", result.stderr)
result = subprocess.run(["sort", "-n"], input=b"10\n9\n100\n1\n", capture_output=True)
show("sort", (result.returncode, result.stdout))
result = subprocess.run("echo shell=True; echo $0", shell=True, capture_output=True, text=True)
show("shell=True", result.stdout)
show("check_output", subprocess.check_output(["sort", "-r"], input="a\nc\nb\n", text=True))
try:
    subprocess.run(["/bin/sh", "-c", "exit 5"], check=True)
except subprocess.CalledProcessError as error:
    show("CalledProcessError", error.returncode)
try:
    subprocess.run(["/no/such/program"])
except FileNotFoundError as error:
    show("FileNotFoundError", error.errno)

# A pipe between two children: sh | sort.
producer = subprocess.Popen(["/bin/sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo $((i * 7919 % 2003)); i=$((i+1)); done"],
                            stdout=subprocess.PIPE)
consumer = subprocess.Popen(["sort", "-n"], stdin=producer.stdout, stdout=subprocess.PIPE)
producer.stdout.close()
sorted_lines = consumer.communicate()[0].split()
show("pipe", (len(sorted_lines), sorted_lines[:3], sorted_lines[-2:], producer.wait(), consumer.returncode))

# os.fork and os.waitpid: exit codes, a signal, a pipe from the child.
children = []
for code in (0, 1, 42):
    pid = os.fork()
    if pid == 0:
        os._exit(code)
    children.append((code, pid))
for code, pid in children:
    waited, status = os.waitpid(pid, 0)
    show(f"fork exit {code}", (waited == pid, os.WIFEXITED(status), os.waitstatus_to_exitcode(status)))
pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), signal.SIGKILL)
    os._exit(99)
_, status = os.waitpid(pid, 0)
show("fork killed", (os.WIFSIGNALED(status), os.WTERMSIG(status), os.waitstatus_to_exitcode(status)))
parent = os.getpid()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, f"child sees its parent: {os.getppid() == parent}, own pid: {os.getpid() != parent}".encode())
    os._exit(0)
os.close(w)
with os.fdopen(r, "rb") as reader:
    show("fork pipe", reader.read())
os.waitpid(pid, 0)
try:
    os.waitpid(-1, 0)
except ChildProcessError as error:
    show("ECHILD", error.errno)

# os.posix_spawn and os.posix_spawnp.
pid = os.posix_spawn("/bin/sh", ["sh", "-c", "exit 17"], os.environ)
show("posix_spawn", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
in_r, in_w = os.pipe()
out_r, out_w = os.pipe()
pid = os.posix_spawnp("sort", ["sort"], os.environ,
                      file_actions=[(os.POSIX_SPAWN_DUP2, in_r, 0), (os.POSIX_SPAWN_DUP2, out_w, 1),
                                    (os.POSIX_SPAWN_CLOSE, in_w), (os.POSIX_SPAWN_CLOSE, out_r)])
os.close(in_r)
os.close(out_w)
os.write(in_w, b"pear\napple\nfig\n")
os.close(in_w)
with os.fdopen(out_r, "rb") as reader:
    show("posix_spawnp", (reader.read(), os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])))


def square(n):
    return n * n


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        show("Pool(2).map", pool.map(square, range(10)))
    show("done", True)
