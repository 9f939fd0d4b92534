"""Builds LTP's syscall tests from the release tarball into BUILD/ltp, out of the source tree.

    BUILD/ltp/src       the unpacked tarball (its autotools output is generated here)
    BUILD/ltp/obj       the out-of-tree build: lib/, libs/, testcases/kernel/syscalls and the five
                        other folders runtest/syscalls takes programs from
    BUILD/ltp/install   `make install` of the above with DESTDIR: opt/ltp/testcases/bin is
                        what a test sees as $LTPROOT/testcases/bin, opt/ltp/testcases/data
                        its resource files

Each step leaves a stamp file, so an interrupted build resumes where it stopped and a
finished one costs nothing. Debian's autoconf, automake, m4, make, gcc, bison, flex and
pkg-config must be installed (`apt-get install autoconf automake m4 bison flex`).
"""
import glob
import os
import shutil
import subprocess
import sys
import tarfile
import time

TARBALL_GLOB = "/work/shared/ltp/ltp-*.tar.xz"
PREFIX = "/opt/ltp"
JOBS = 2
TOOLS = ("autoconf", "automake", "m4", "make", "gcc", "bison", "flex", "pkg-config")
# What runtest/syscalls needs: the test library, then the tests (which build the
# libs/ they name in LTPLIBS on demand), and the five programs it lists from
# elsewhere (pipeio_*, prot_hsymlinks, dirtyc0w*, dirtypipe).
LIBRARY = "lib"
TEST_DIRS = ("testcases/kernel/syscalls", "testcases/kernel/ipc/pipeio",
             "testcases/kernel/security/prot_hsymlinks", "testcases/kernel/security/dirtyc0w",
             "testcases/kernel/security/dirtyc0w_shmem", "testcases/kernel/security/dirtypipe")


class BuildError(Exception):
    """The build could not go on; the message names the step and the fix."""


class LtpTree:
    """The folders of an LTP build under BUILD_DIR/ltp."""

    def __init__(self, build_dir):
        self.root = os.path.join(os.path.abspath(build_dir), "ltp")
        self.src = os.path.join(self.root, "src")
        self.obj = os.path.join(self.root, "obj")
        self.install = os.path.join(self.root, "install")
        self.ltproot = self.install + PREFIX
        self.bin = os.path.join(self.ltproot, "testcases", "bin")
        self.data = os.path.join(self.ltproot, "testcases", "data")
        self.runtest = os.path.join(self.src, "runtest", "syscalls")
        self.results = os.path.join(self.root, "results")

    def stamp(self, step):
        return os.path.join(self.root, f".{step}.done")

    @property
    def built(self):
        return os.path.exists(self.stamp("install"))


def tarball():
    found = sorted(glob.glob(TARBALL_GLOB))
    if not found:
        raise BuildError(f"no LTP tarball matches {TARBALL_GLOB}")
    return found[-1]


def check_tools():
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        raise BuildError(f"missing build tools: {' '.join(missing)}; install them with "
                         "`apt-get install autoconf automake m4 make gcc bison flex pkg-config`")


def run_step(tree, step, command, cwd, log):
    """Runs COMMAND in CWD once (its stamp says it ran), its output appended to LOG."""
    if os.path.exists(tree.stamp(step)):
        return
    print(f"ltp build: {step}: {' '.join(command)}", file=sys.stderr, flush=True)
    with open(log, "a") as out:
        out.write(f"\n### {step}: {' '.join(command)} (in {cwd})\n")
        out.flush()
        proc = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise BuildError(f"step {step} failed with status {proc.returncode}; see the end of {log}")
    open(tree.stamp(step), "w").close()


def unpack(tree):
    if os.path.exists(tree.stamp("unpack")):
        return
    print(f"ltp build: unpacking {tarball()} into {tree.src}", file=sys.stderr, flush=True)
    partial = tree.src + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(tree.src, ignore_errors=True)
    os.makedirs(partial)
    with tarfile.open(tarball()) as archive:
        archive.extractall(partial)
    top = [name for name in os.listdir(partial)]
    if len(top) != 1:
        raise BuildError(f"{tarball()} should hold one top folder, holds {top}")
    os.rename(os.path.join(partial, top[0]), tree.src)
    os.rmdir(partial)
    open(tree.stamp("unpack"), "w").close()


def make_command(tree, subdir, *targets):
    """make for SUBDIR of the out-of-tree build (LTP's INSTALL, "Out-of-build-tree")."""
    return ["make", f"-j{JOBS}", "-C", os.path.join(tree.obj, subdir),
            "-f", os.path.join(tree.src, subdir, "Makefile"),
            f"top_srcdir={tree.src}", f"top_builddir={tree.obj}", *targets]


def build_folders(build_dir, folders):
    """Builds and installs LTP's library and FOLDERS (relative to LTP's top folder),
    each once; returns the LtpTree."""
    tree = LtpTree(build_dir)
    check_tools()
    os.makedirs(tree.root, exist_ok=True)
    log = os.path.join(tree.root, "build.log")
    start = time.perf_counter()
    unpack(tree)
    run_step(tree, "autotools", ["make", "autotools"], tree.src, log)
    os.makedirs(tree.obj, exist_ok=True)
    run_step(tree, "configure", [os.path.join(tree.src, "configure"), f"--prefix={PREFIX}"], tree.obj, log)
    for subdir in (LIBRARY, *folders):
        os.makedirs(os.path.join(tree.obj, subdir), exist_ok=True)
        run_step(tree, "make-" + subdir.replace("/", "-"), make_command(tree, subdir, "all"), tree.obj, log)
    for subdir in folders:
        run_step(tree, "install-" + subdir.replace("/", "-"),
                 make_command(tree, subdir, "install", f"DESTDIR={tree.install}"), tree.obj, log)
    print(f"ltp build: {len(folders)} folders ready in {time.perf_counter() - start:.0f} s (log: {log})",
          file=sys.stderr)
    return tree


def build(build_dir):
    """Builds (or finishes building) all of LTP's syscall tests; returns the LtpTree."""
    tree = LtpTree(build_dir)
    if not tree.built:
        build_folders(build_dir, TEST_DIRS)
        open(tree.stamp("install"), "w").close()
    return tree
