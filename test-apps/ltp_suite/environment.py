"""What both environments give every LTP test: its environment variables and the
accounts LTP assumes (INSTALL: "LTP assumes the existence of the nobody, bin, and
daemon users and their groups", with equal user and group ids).

LTP_TIMEOUT_MUL stretches LTP's own per-test limits for TCG; LTP_RUNTIME_MUL shortens
the tests that run for a set time (fuzzy-sync races, stress loops), the same in both
environments, so that a full run fits in an hour or two.

Both also get the host's cp, rm, ip, cat and true in /bin: LTP's library copies
resource files with system("cp ..."), a few tests call rm and ip or exec /bin/true,
and posix_fadvise* read /bin/cat as a file they know exists; a Linux system has
them. So is libgcc_s, which glibc loads at run time for pthread_cancel and unwinding.
"""
import os
import shutil
import threading

TIMEOUT_MUL = "3"
RUNTIME_MUL = "0.1"
PASSWD = ("root:x:0:0:root:/root:/bin/sh\n"
          "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
          "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
          "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
TOOLS = ("cp", "rm", "ip", "cat", "true")
RUNTIME_LIBRARIES = ("/lib/x86_64-linux-gnu/libgcc_s.so.1",)  # dlopen'd, so not found from DT_NEEDED
GROUP = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nnogroup:x:65534:\nnobody:x:65534:\n"


def ltp_env(tree):
    """The environment of a test of LtpTree TREE (whose paths are the same in the VM)."""
    return {"LTPROOT": tree.ltproot, "TMPDIR": "/tmp", "LTP_TIMEOUT_MUL": TIMEOUT_MUL,
            "LTP_RUNTIME_MUL": RUNTIME_MUL, "LTP_COLORIZE_OUTPUT": "0",
            "PATH": f"{tree.bin}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root"}


def account_files(tree):
    """(host path, guest path) of /etc/passwd and /etc/group, written under TREE's root."""
    folder = os.path.join(tree.root, "etc")
    os.makedirs(folder, exist_ok=True)
    pairs = []
    for name, text in (("passwd", PASSWD), ("group", GROUP)):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            partial = f"{path}.{threading.get_ident()}.partial"  # VMs start from several threads
            with open(partial, "w") as out:
                out.write(text)
            os.replace(partial, path)
        pairs.append((path, "/etc/" + name))
    return pairs


def tool_copies():
    """(host path, guest path) of the TOOLS the host has, each at /bin/NAME, and of
    the RUNTIME_LIBRARIES it has, each at its own path."""
    found = [(shutil.which(tool, path="/usr/sbin:/usr/bin:/sbin:/bin"), tool) for tool in TOOLS]
    libraries = [(path, path) for path in RUNTIME_LIBRARIES if os.path.exists(path)]
    return [(path, "/bin/" + tool) for path, tool in found if path] + libraries
