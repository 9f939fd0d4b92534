"""The entries of LTP's runtest/syscalls and the files each one needs in a VM.

An entry is a line `NAME PROGRAM [ARGS...]`. PROGRAM is installed in
$LTPROOT/testcases/bin, next to the helpers its tests exec (execve's
execve_child, fork_procs, ...) and the data files its folder installs. A test
gets its program, every other installed file of its source folder that is not
itself the program of an entry (the programs are 0.8 MB each, with their debug
information, and a folder may hold 40) and those that its source names in a
string (fcntl07_64 execs "fcntl07"), plus $LTPROOT/testcases/data/NAME
(the resource files the new test library copies) where it exists.
"""
import os
import re
import shlex
from dataclasses import dataclass

from . import environment
from .build import TEST_DIRS

SYSCALLS_DIR = os.path.join("testcases", "kernel", "syscalls")
# Source fields that mark a test as needing something sole leaves out on purpose
# (the reason class "out of scope" in the report), with the feature's name.
OUT_OF_SCOPE_FIELDS = [
    (re.compile(r"\.(needs_device|mount_device|format_device|all_filesystems|needs_rofs)\s*=\s*1"),
     "block devices and file systems"),
    (re.compile(r"\.needs_cgroup_ctrls\b|\.needs_cgroup_ver\b"), "cgroups"),
    (re.compile(r"\.needs_drivers\b|tst_module_load|\.needs_kconfigs\b.*MODULE"), "kernel modules"),
    (re.compile(r"\.needs_hugetlbfs\b|\.hugepages\s*=\s*\{[^0]"), "huge pages"),
]
# Program folders whose whole subject sole leaves out on purpose.
OUT_OF_SCOPE_FOLDERS = {
    "ptrace": "ptrace", "delete_module": "kernel modules", "init_module": "kernel modules",
    "finit_module": "kernel modules", "mount": "mounts", "umount": "mounts", "umount2": "mounts",
    "mount_setattr": "mounts", "fsopen": "mounts", "fsconfig": "mounts", "fsmount": "mounts",
    "fspick": "mounts", "move_mount": "mounts", "open_tree": "mounts", "pivot_root": "mounts",
    "statmount": "mounts", "listmount": "mounts", "swapon": "swap", "swapoff": "swap",
    "quotactl": "disk quotas", "bpf": "eBPF", "perf_event_open": "perf events",
    "ioperm": "port I/O", "iopl": "port I/O", "kexec_file_load": "kexec", "kexec_load": "kexec",
    "reboot": "reboot", "syslog": "the kernel log", "acct": "process accounting",
}


@dataclass
class Entry:
    """One runtest line: NAME, the program's ARGV (program by its base name),
    the program's source FOLDER (relative to LTP's top folder), or None if not built."""
    name: str
    argv: list
    folder: str = None

    @property
    def program(self):
        return self.argv[0]


def read_runtest(path):
    """The entries of runtest file PATH, in order (a name listed twice keeps its first line)."""
    entries, seen = [], set()
    with open(path) as runtest:
        for line in runtest:
            words = shlex.split(line, comments=True)
            if len(words) >= 2 and words[0] not in seen:
                seen.add(words[0])
                entries.append(Entry(words[0], words[1:]))
    return entries


class Catalog:
    """The runtest entries of an LtpTree with, for each program, its folder and files."""

    def __init__(self, tree):
        self.tree = tree
        self.entries = read_runtest(tree.runtest)
        self.installed = set(os.listdir(tree.bin)) if os.path.isdir(tree.bin) else set()
        self.folder_of = {}  # installed file's name -> its folder (relative to LTP's top folder)
        self.files_of_folder = {}
        self._index_folders()
        for entry in self.entries:
            entry.folder = self.folder_of.get(entry.program)
        self.programs = {entry.program for entry in self.entries}

    def _index_folders(self):
        """Maps every installed file to the source folder it comes from."""
        for top in (self.tree.obj, self.tree.src):
            for folder, _, names in (walked for test_dir in TEST_DIRS
                                     for walked in os.walk(os.path.join(top, test_dir))):
                relative = os.path.relpath(folder, top)
                for name in names:
                    if name in self.installed:
                        self.folder_of.setdefault(name, relative)
        for name, folder in self.folder_of.items():
            self.files_of_folder.setdefault(folder, set()).add(name)

    def by_name(self, names):
        """The entries named NAMES (a name not in the list raises KeyError)."""
        known = {entry.name: entry for entry in self.entries}
        return [known[name] for name in names]

    def files(self, entry):
        """Host paths of everything ENTRY needs under $LTPROOT/testcases: its
        folder's installed files and their resource-file folders."""
        in_folder = self.files_of_folder.get(entry.folder, set())
        named = set(re.findall(r'"([\w.-]+)"', self.source(entry))) & in_folder  # fcntl07_64 execs "fcntl07"
        names = {entry.program} | (in_folder - self.programs) | named
        paths = [os.path.join(self.tree.bin, name) for name in sorted(names)
                 if os.path.exists(os.path.join(self.tree.bin, name))]
        for name in sorted(names):
            data = os.path.join(self.tree.data, name)
            if os.path.isdir(data):
                paths.append(data)
        return paths

    def source(self, entry):
        """Text of ENTRY's program source (PROGRAM.c in its folder, or the .c that its
        _64 or _16 variant is built from), or ''."""
        if not entry.folder:
            return ""
        base = re.sub(r"_(64|16)$", "", entry.program)  # fcntl07_64 is fcntl07.c built with 64-bit offsets
        for name in (entry.program, base):
            try:
                with open(os.path.join(self.tree.src, entry.folder, name + ".c"), errors="replace") as source:
                    return source.read()
            except OSError:
                pass
        return ""

    def ltp_time_limit(self, entry):
        """Seconds after which LTP's own library gives up on ENTRY (lib/tst_test.c,
        set_overall_timeout): (30 s + the test's .timeout) * LTP_TIMEOUT_MUL + its runtime
        (.runtime * LTP_RUNTIME_MUL, at least .min_runtime), read from its source."""
        text = self.source(entry)

        def field(name):
            found = re.search(r"\." + name + r"\s*=\s*(\d+)", text)
            return int(found.group(1)) if found else 0

        runtime = max(field("runtime") * float(environment.RUNTIME_MUL), field("min_runtime"), 1)
        return (30 + field("timeout")) * float(environment.TIMEOUT_MUL) + runtime

    def out_of_scope(self, entry):
        """The feature ENTRY needs that sole leaves out on purpose, or None."""
        relative = os.path.relpath(entry.folder, SYSCALLS_DIR) if entry.folder else ""
        top = relative.split(os.sep)[0]
        if OUT_OF_SCOPE_FOLDERS.get(top):
            return OUT_OF_SCOPE_FOLDERS[top]
        text = self.source(entry)
        for pattern, feature in OUT_OF_SCOPE_FIELDS:
            if pattern.search(text):
                return feature
        return None
