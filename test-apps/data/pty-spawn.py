# A pty pair inside the VM, as Python's pty module makes one: pty.spawn
# around a shell that asks its terminal's name and size, and os.openpty with
# a child that makes the slave its controlling terminal and reads a line
# typed on the master. The test --copy's /usr/bin/tty and /usr/bin/stty.
# Pty numbers differ between hosts, so /dev/pts/N is printed as such.
import fcntl
import os
import pty
import re
import sys
import termios

SHELL_LINES = "stty rows 24 cols 80; tty; stty size; stty -a | head -n 1; echo done"


def show(label, data):
    print(f"{label}: {re.sub(rb'/dev/pts/[0-9]+', b'/dev/pts/N', data)!r}")
    sys.stdout.flush()


def read_until_eio(fd, until=None):
    """What the master reads until the slave side is gone (EIO), or until
    the bytes end with until."""
    data = b""
    while until is None or not data.endswith(until):
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def spawned():
    """pty.spawn in a child whose stdout is a pipe, so its copy of the
    shell's output can be read back whole."""
    out_r, out_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.dup2(out_w, 1)
        os.close(out_r)
        status = pty.spawn(["/bin/sh", "-c", SHELL_LINES])
        os._exit(os.waitstatus_to_exitcode(status))
    os.close(out_w)
    data = b""
    while chunk := os.read(out_r, 1024):
        data += chunk
    _, status = os.waitpid(pid, 0)
    show("pty.spawn output", data)
    print("pty.spawn status:", os.waitstatus_to_exitcode(status))


def controlled():
    master, slave = os.openpty()
    show("slave name", os.ttyname(slave).encode())
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(slave)
        os.execv("/bin/sh", ["sh", "-c", "stty rows 30 cols 100; tty; stty size; read line; echo \"got $line\""])
    os.close(slave)
    show("before input", read_until_eio(master, b"30 100\r\n"))
    os.write(master, b"typed\n")
    show("after input", read_until_eio(master))
    _, status = os.waitpid(pid, 0)
    print("child status:", os.waitstatus_to_exitcode(status))
    os.close(master)


spawned()
controlled()
