#!/usr/bin/env python3
"""The Linux guest: the same binary, booted by Debian's cloud kernel on the same QEMU.

The kernel is Debian's linux-image-cloud-amd64 (its real package, found from the
metapackage's dependency), fetched with `apt-get download` and unpacked with
`dpkg -x` into bench/.cache/ (never committed). For each run it packs an
uncompressed newc initramfs holding busybox (Debian's busybox-static), the binary,
its shared libraries and ld.so (as `ldd` on the host resolves them), the files the
caller names, and an /init that mounts /proc and /dev, runs the command, prints its
exit status and powers off at once.

The QEMU command line is sole's own (`sole run --verbose` prints it) with only the
kernel, the initrd and the kernel command line swapped, and the console put back
on the UART at QEMU's stdio (sole's is a virtio-serial port there), so machine
type, accelerator, CPU, memory, network backend and devices stay the same.

With a network (GuestNetwork, read from sole's command line: its NIC and its
`ip=`/`gw=` words), the initramfs also carries the virtio-net driver: this kernel
builds virtio, virtio_ring, the transport (virtio_mmio on microvm, found through
QEMU's ACPI tables; virtio_pci on pc), failover, net_failover and virtio_net as
modules. They come from the unpacked package with their dependencies read from
each module's .modinfo (the package ships no modules.dep), and /init insmods
them in dependency order, then gives eth0 the address sole's guest has.

With a volume (GuestVolume: sole's QEMU line with `-v`, so the same -fsdev
export), the kernel is Debian's generic linux-image-amd64 instead, as the cloud
kernel builds no 9p; /init insmods the transport, 9pnet_virtio and 9p and mounts
the export with v9fs (cache=mmap, sole's msize) where sole mounts it.

Run by hand:  bench/linux_guest.py [--machine microvm|pc] [-m MB] [--network] [--console] BINARY [ARGS...]
"""
import argparse
import glob
import os
import re
import shlex
import shutil
import stat
import struct
import subprocess
import sys
import select
import tempfile
import threading
import time
from dataclasses import dataclass

import harness

BENCH = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(BENCH, ".cache")
METAPACKAGE = "linux-image-cloud-amd64"
BUSYBOX = "/bin/busybox"
KERNEL_ARGS = "console=ttyS0 quiet panic=-1 reboot=t"
STATUS_MARK = "@@bench-exit "
START_MARK = "@@bench-start"
# The accounts sole's guest root has (tools/sole/root_skeleton.c): nginx started as
# root looks up its worker user "nobody" and group "nogroup" while reading its config.
PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
GROUP = "root:x:0:\nnogroup:x:65534:\n"
# The virtio transport module for each NIC sole's QEMU line may hold.
TRANSPORT_MODULES = {"virtio-net-device": "virtio_mmio", "virtio-net-pci": "virtio_pci"}
NET_DRIVER_MODULE = "virtio_net"
# Volumes (GuestVolume): Debian's generic kernel, as the cloud one has no 9p; the
# transport module for each virtio-9p device; v9fs's options, msize as sole's.
VOLUME_METAPACKAGE = "linux-image-amd64"
VOLUME_TRANSPORT_MODULES = {"virtio-9p-device": "virtio_mmio", "virtio-9p-pci": "virtio_pci"}
VOLUME_MOUNT_OPTIONS = "trans=virtio,version=9p2000.L,cache=mmap,msize=528384"


def kernel_package(metapackage=METAPACKAGE):
    """The real kernel package the metapackage depends on (linux-image-6.1.0-N-cloud-amd64)."""
    proc = subprocess.run(["apt-cache", "depends", metapackage], capture_output=True, text=True)
    found = re.search(r"Depends:\s*(linux-image-\S+-amd64)", proc.stdout)
    if not found:
        raise harness.BenchError(f"apt-cache knows no dependency of {metapackage}; "
                                 "run `apt-get update` (as root) so it knows Debian's package lists")
    return found.group(1)


def kernel_image(metapackage=METAPACKAGE):
    """Path of the cached vmlinuz, fetching and unpacking the kernel package on first use."""
    package = kernel_package(metapackage)
    unpacked = os.path.join(CACHE, package)
    images = glob.glob(os.path.join(unpacked, "boot", "vmlinuz-*"))
    if images:
        return images[0]
    os.makedirs(CACHE, exist_ok=True)
    print(f"linux guest: fetching {package} from Debian into {CACHE}", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as download:
        proc = subprocess.run(["apt-get", "download", package], cwd=download,
                              capture_output=True, text=True)
        debs = glob.glob(os.path.join(download, "*.deb"))
        if proc.returncode != 0 or not debs:
            raise harness.BenchError(f"`apt-get download {package}` failed: {proc.stderr.strip()}")
        partial = unpacked + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(["dpkg", "-x", debs[0], partial], check=True)
        os.rename(partial, unpacked)
    images = glob.glob(os.path.join(unpacked, "boot", "vmlinuz-*"))
    if not images:
        raise harness.BenchError(f"{package} holds no boot/vmlinuz-*; look into {unpacked}")
    return images[0]


def modules_folder(metapackage=METAPACKAGE):
    """lib/modules/VERSION of the cached kernel package."""
    folders = glob.glob(os.path.join(os.path.dirname(os.path.dirname(kernel_image(metapackage))), "lib", "modules",
                                     "*"))
    if len(folders) != 1:
        raise harness.BenchError(f"expected one lib/modules/VERSION folder in the unpacked "
                                 f"{kernel_package(metapackage)}, "
                                 f"found {folders}; remove {CACHE} so it is fetched again")
    return folders[0]


def modinfo(module_path):
    """The key=value strings of a kernel module's .modinfo section, as {key: [values]}."""
    with open(module_path, "rb") as module:
        image = module.read()
    if image[:4] != b"\x7fELF":
        raise harness.BenchError(f"{module_path} is not an ELF file; the unpacked package is damaged: "
                                 f"remove {CACHE} and rerun")
    shoff, = struct.unpack_from("<Q", image, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", image, 0x3a)

    def section(index):
        name, _, _, _, offset, size = struct.unpack_from("<IIQQQQ", image, shoff + index * shentsize)
        return name, image[offset:offset + size]

    names = section(shstrndx)[1]
    info = {}
    for index in range(shnum):
        name, body = section(index)
        if names[name:names.index(b"\0", name)] == b".modinfo":
            for entry in body.split(b"\0"):
                key, _, value = entry.decode(errors="replace").partition("=")
                if value:
                    info.setdefault(key, []).append(value)
    return info


def modules_in_load_order(names, metapackage=METAPACKAGE):
    """The .ko paths of the modules NAMES and of everything they depend on, each
    after its dependencies (the order insmod needs)."""
    folder = modules_folder(metapackage)
    paths = {os.path.basename(path)[:-len(".ko")]: path
             for path in glob.glob(os.path.join(folder, "kernel", "**", "*.ko"), recursive=True)}
    ordered = []

    def visit(name):
        if name not in paths:
            raise harness.BenchError(f"the kernel module {name}.ko is not under {folder}: this kernel builds it "
                                     "in or compresses it (.ko.xz), which bench/linux_guest.py does not handle; "
                                     f"or the unpacked package is damaged: remove {CACHE} and rerun")
        if paths[name] in ordered:
            return
        for dependency in modinfo(paths[name]).get("depends", [""])[0].split(","):
            if dependency:
                visit(dependency)
        ordered.append(paths[name])

    for name in names:
        visit(name)
    return ordered


@dataclass
class GuestNetwork:
    """eth0 as sole's guest has it: ADDRESS (with /PREFIX) behind GATEWAY, and the
    modules (in load order) that drive the NIC of sole's QEMU command line."""
    address: str
    gateway: str
    modules: list

    @classmethod
    def of_sole_vm(cls, qemu, metapackage=METAPACKAGE):
        """The network of sole's QEMU command line QEMU, or None when it has no NIC."""
        devices = [qemu[i + 1].split(",")[0] for i, arg in enumerate(qemu) if arg == "-device"]
        nics = [device for device in devices if device in TRANSPORT_MODULES]
        if not nics:
            return None
        append = qemu[qemu.index("-append") + 1]
        address, gateway = re.search(r"\bip=(\S+)", append), re.search(r"\bgw=(\S+)", append)
        if not address or not gateway:
            raise harness.BenchError(f"sole's kernel command line '{append}' has no ip= or gw= word; "
                                     "bench/linux_guest.py reads the guest's address from them")
        return cls(address.group(1), gateway.group(1),
                   modules_in_load_order([TRANSPORT_MODULES[nics[0]], NET_DRIVER_MODULE], metapackage))

    def init_lines(self):
        """Shell lines for /init: load the driver, bring up lo and eth0, route by the gateway."""
        lines = [f"/bin/busybox insmod /lib/modules/{os.path.basename(path)}" for path in self.modules]
        return lines + ["/bin/busybox ip link set lo up",
                        f"/bin/busybox ip addr add {self.address} dev eth0",
                        "/bin/busybox ip link set eth0 up",
                        f"/bin/busybox ip route add default via {self.gateway}"]


@dataclass
class GuestVolume:
    """The first virtio-9p export of sole's QEMU command line (`sole run -v`),
    mounted at PATH by Linux's v9fs with cache=mmap and sole's msize; MODULES
    (in load order) are the transport, 9pnet_virtio and 9p. Debian's cloud
    kernel leaves 9p out: use the generic one (VOLUME_METAPACKAGE)."""
    tag: str
    path: str
    modules: list

    @classmethod
    def of_sole_vm(cls, qemu, path, metapackage=VOLUME_METAPACKAGE):
        devices = [qemu[i + 1] for i, arg in enumerate(qemu) if arg == "-device"]
        for device in devices:
            name, _, options = device.partition(",")
            tag = re.search(r"\bmount_tag=([^,]+)", options)
            if name in VOLUME_TRANSPORT_MODULES and tag:
                return cls(tag.group(1), path, modules_in_load_order(
                    [VOLUME_TRANSPORT_MODULES[name], "9pnet_virtio", "9p"], metapackage))
        raise harness.BenchError("sole's QEMU command line has no virtio-9p device; was it run with -v?")

    def init_lines(self):
        lines = [f"/bin/busybox insmod /lib/modules/{os.path.basename(path)}" for path in self.modules]
        return lines + [f"/bin/busybox mkdir -p {shlex.quote(self.path)}",
                        f"/bin/busybox mount -t 9p -o {VOLUME_MOUNT_OPTIONS} {self.tag} {shlex.quote(self.path)}"]


def shared_libraries(binary):
    """ld.so and every shared library of BINARY, as the host's ldd resolves them."""
    proc = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if proc.returncode != 0:
        return []  # static: "not a dynamic executable"
    libraries = []
    for line in proc.stdout.splitlines():
        found = re.search(r"(?:=>\s*)?(/\S+)\s+\(0x", line)
        if found:
            libraries.append(found.group(1))
        elif "not found" in line:
            raise harness.BenchError(f"ldd {binary}: {line.strip()}; install the library on the host")
    return libraries


class Cpio:
    """An uncompressed newc archive, built in memory."""

    def __init__(self):
        self.data = bytearray()
        self.inode = 1
        self.paths = set()

    def _entry(self, name, mode, body=b"", rdev=(0, 0)):
        fields = [self.inode, mode, 0, 0, 1, 0, len(body), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
        self.inode += 1
        self.data += b"070701" + "".join(f"{v:08x}" for v in fields).encode()
        self.data += name.encode() + b"\0"
        self.data += b"\0" * (-len(self.data) % 4)
        self.data += body
        self.data += b"\0" * (-len(self.data) % 4)

    def directory(self, path):
        """Adds PATH and its parents as directories (once each)."""
        name = path.strip("/")
        if not name or name in self.paths:
            return
        self.directory(os.path.dirname(name))
        self.paths.add(name)
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, path, body, mode=0o755):
        name = path.strip("/")
        self.directory(os.path.dirname(name))
        self.paths.add(name)
        self._entry(name, stat.S_IFREG | mode, body)

    def host_file(self, guest_path, host_path):
        with open(host_path, "rb") as f:
            self.file(guest_path, f.read(), stat.S_IMODE(os.stat(host_path).st_mode))

    def host_tree(self, guest_path, host_path):
        """HOST_PATH at GUEST_PATH: a file, or a folder with everything in it (symlinks
        inside stay symlinks), as `sole run --copy` takes them. Returns the host paths
        of the executable ELF files it added."""
        if not os.path.isdir(host_path):
            self.host_file(guest_path, host_path)
            return [host_path] if is_executable_elf(host_path) else []
        executables = []
        self.directory(guest_path)
        for folder, subfolders, files in os.walk(host_path):
            inside = os.path.join(guest_path, os.path.relpath(folder, host_path))
            for name in subfolders + files:
                host, guest = os.path.join(folder, name), os.path.normpath(os.path.join(inside, name))
                if os.path.islink(host):
                    self.symlink(guest, os.readlink(host))
                elif os.path.isdir(host):
                    self.directory(guest)
                elif os.path.isfile(host):
                    self.host_file(guest, host)
                    executables += [host] if is_executable_elf(host) else []
        return executables

    def symlink(self, path, target):
        name = path.strip("/")
        self.directory(os.path.dirname(name))
        self.paths.add(name)
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, path, major, minor):
        name = path.strip("/")
        self.directory(os.path.dirname(name))
        self.paths.add(name)
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def finish(self):
        self._entry("TRAILER!!!", 0)
        return bytes(self.data)


def init_script(argv, workdir, network=None, volume=None):
    """The /init: mount, bring up NETWORK (a GuestNetwork) and mount VOLUME (a
    GuestVolume) if given, run ARGV in WORKDIR, print its status, power off at once."""
    lines = [line for part in (network, volume) if part for line in part.init_lines()]
    # Both may need the same virtio modules: each is loaded once.
    network_lines = "".join(line + "\n" for index, line in enumerate(lines)
                            if not line.startswith("/bin/busybox insmod ") or line not in lines[:index])
    return f"""#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
{network_lines}cd {shlex.quote(workdir)}
echo {START_MARK}
{shlex.join(argv)} </dev/null
echo "{STATUS_MARK}$?"
/bin/busybox poweroff -f
"""


def initramfs(argv, copies=(), workdir="/", network=None, volume=None):
    """A newc initramfs for ARGV (ARGV[0] a host path); COPIES are (host, guest) pairs,
    files or folders, and an executable ELF among them brings its shared libraries
    (one to /bin/sh replaces busybox's sh, which /init does not use); NETWORK (a
    GuestNetwork) adds its modules and brings eth0 up before ARGV runs; VOLUME (a
    GuestVolume) adds its modules and mounts the 9p export."""
    archive = Cpio()
    archive.char_device("/dev/console", 5, 1)
    for directory in ("/proc", "/tmp", "/root", workdir):
        archive.directory(directory)
    archive.file("/etc/passwd", PASSWD.encode(), 0o644)
    archive.file("/etc/group", GROUP.encode(), 0o644)
    archive.host_file(BUSYBOX, BUSYBOX)
    if "/bin/sh" not in (guest for _, guest in copies):  # a copy may put another shell there
        archive.symlink("/bin/sh", "busybox")
    archive.file("/init", init_script(argv, workdir, network, volume).encode())
    for module in dict.fromkeys((network.modules if network else []) + (volume.modules if volume else [])):
        archive.host_file(f"/lib/modules/{os.path.basename(module)}", module)
    binary = os.path.realpath(argv[0])
    for path in [argv[0]] + shared_libraries(binary):
        if path.strip("/") not in archive.paths:
            archive.host_file(path, path)
    executables = [executable for host, guest in copies for executable in archive.host_tree(guest, host)]
    for library in {library for executable in executables for library in shared_libraries(executable)}:
        if library.strip("/") not in archive.paths:
            archive.host_file(library, library)
    return archive.finish()


def is_executable_elf(path):
    """Whether PATH is an ELF file with an execute bit (its libraries go along, as with sole's --copy)."""
    if not os.access(path, os.X_OK):
        return False
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"


def serial_console(qemu):
    """QEMU command line QEMU with the guest's console on the UART at QEMU's stdio, where
    Linux's console=ttyS0 wants it. sole's own console is a virtio-serial port on stdio,
    and its UART has a pipe of its own (-add-fd), which no Linux guest is handed."""
    out, args = [], iter(qemu)
    for arg in args:
        if arg not in ("-device", "-add-fd", "-chardev", "-serial"):
            out.append(arg)
            continue
        value = next(args)
        if arg == "-add-fd" or value.startswith(("virtio-serial", "virtserialport", "file,id=uart")):
            continue
        out += [arg, "chardev:con" if arg == "-serial" else value]
    return out


def own_tap(qemu):
    """QEMU command line QEMU with a tap netdev that QEMU opens itself, by the name in
    NETNS_TAP: sole opens its tap device and hands QEMU the descriptor (fd=N), which
    no Linux guest's QEMU is handed."""
    out = list(qemu)
    for index, arg in enumerate(out[:-1]):
        value = out[index + 1]
        if arg == "-netdev" and value.startswith("tap,") and ",fd=" in value:
            netdev_id = re.search(r"id=([^,]+)", value).group(1)
            out[index + 1] = f"tap,id={netdev_id},ifname={os.environ['NETNS_TAP']},script=no,downscript=no"
    return out


def with_memory(qemu, memory_mb):
    """QEMU command line QEMU with -m set to MEMORY_MB megabytes."""
    out = list(qemu)
    out[out.index("-m") + 1] = f"{memory_mb}M"
    return out


class GuestRun:
    """One boot: the app's console output (between the markers), its exit status
    (None if it never printed one) and the wall time from QEMU's start to its exit."""

    def __init__(self, seconds, status, output, console, timed_out):
        self.seconds = seconds
        self.status = status
        self.output = output
        self.console = console
        self.timed_out = timed_out

    @property
    def ok(self):
        return self.status == 0 and not self.timed_out


class LinuxGuest:
    """Debian's kernel on sole's QEMU command line: only -kernel, -initrd, -append and
    the console (serial_console) differ.

    The kernel is told the TSC rate (tsc_early_khz, as sole's kernel measured it on the
    same QEMU): microvm has no HPET or ACPI PM timer, and under TCG on a busy host the
    PIT calibration fails often enough that Linux then hangs at boot for good (seen in
    2 of 8 boots here). With the rate given, every boot finished."""

    def __init__(self, sole_vm, metapackage=METAPACKAGE):
        self.qemu = own_tap(serial_console(sole_vm.qemu))
        self.network = GuestNetwork.of_sole_vm(self.qemu, metapackage)
        self.qemu[self.qemu.index("-kernel") + 1] = kernel_image(metapackage)
        self.qemu[self.qemu.index("-append") + 1] = f"{KERNEL_ARGS} tsc_early_khz={sole_vm.tsc_khz}"

    def command(self, initrd_path, memory_mb=None):
        """The QEMU command line booting INITRD_PATH (with -m MEMORY_MB if given)."""
        command = list(self.qemu)
        command[command.index("-initrd") + 1] = initrd_path
        return with_memory(command, memory_mb) if memory_mb else command

    def run(self, initrd, memory_mb=None, timeout=120):
        """Boots the initramfs bytes INITRD once."""
        with tempfile.NamedTemporaryFile(prefix="bench-initramfs-", suffix=".cpio") as initrd_file:
            initrd_file.write(initrd)
            initrd_file.flush()
            start = time.perf_counter()
            try:
                proc = subprocess.run(self.command(initrd_file.name, memory_mb), stdin=subprocess.DEVNULL,
                                      capture_output=True, timeout=timeout)
                console, timed_out = proc.stdout, False
            except subprocess.TimeoutExpired as expired:
                console, timed_out = expired.stdout or b"", True
            seconds = time.perf_counter() - start
        return self.result(console, seconds, timed_out)

    def run_with_input(self, initrd, data, ready_mark, timeout=300):
        """Boots the initramfs bytes INITRD once and types DATA on its console once the
        console shows READY_MARK (the guest has set its tty up for it)."""
        with tempfile.NamedTemporaryFile(prefix="bench-initramfs-", suffix=".cpio") as initrd_file:
            initrd_file.write(initrd)
            initrd_file.flush()
            start = time.perf_counter()
            proc = subprocess.Popen(self.command(initrd_file.name), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            console, writer, timed_out = b"", None, False
            while True:
                left = start + timeout - time.perf_counter()
                if left <= 0:
                    timed_out = True
                    proc.kill()
                    break
                ready, _, _ = select.select([proc.stdout], [], [], left)
                chunk = os.read(proc.stdout.fileno(), 65536) if ready else None
                if chunk == b"":
                    break
                console += chunk or b""
                if writer is None and ready_mark.encode() in console:
                    writer = threading.Thread(target=write_and_close, args=(proc.stdin, data))
                    writer.start()
            proc.wait()
            seconds = time.perf_counter() - start
            if writer:
                writer.join()
        return self.result(console, seconds, timed_out)

    @staticmethod
    def result(console, seconds, timed_out):
        """The GuestRun of a boot whose console printed CONSOLE (bytes)."""
        console = console.decode(errors="replace").replace("\r\n", "\n")
        status, output = None, ""
        if START_MARK in console:
            output = console.split(START_MARK + "\n", 1)[-1]
            found = re.search(re.escape(STATUS_MARK) + r"(\d+)", output)
            if found:
                status = int(found.group(1))
                output = output[:found.start()]
        return GuestRun(seconds, status, output, console, timed_out)


def write_and_close(pipe, data):
    try:
        pipe.write(data)
        pipe.close()
    except BrokenPipeError:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--machine", default="microvm", choices=("microvm", "pc"))
    parser.add_argument("--accel", default="tcg", choices=("tcg", "kvm"))
    parser.add_argument("-m", "--memory", type=int, default=128, metavar="MB")
    parser.add_argument("--build", default=os.path.join(harness.ROOT, "build"))
    parser.add_argument("--network", action="store_true",
                        help="bring up eth0 on QEMU's user network (10.0.2.15/24, as sole's guest) first")
    parser.add_argument("--console", action="store_true", help="print the whole console output")
    parser.add_argument("argv", nargs=argparse.REMAINDER, metavar="BINARY [ARGS...]")
    args = parser.parse_args()
    if not args.argv:
        parser.error("name a BINARY to run")
    argv = [shutil.which(args.argv[0]) or args.argv[0]] + args.argv[1:]
    try:
        build = harness.Build(args.build)
        guest = LinuxGuest(harness.sole_vm(build, args.machine, args.accel, args.memory))
        result = guest.run(initramfs(argv, network=guest.network if args.network else None))
    except harness.BenchError as error:
        sys.exit(f"linux guest: {error}")
    sys.stdout.write(result.console if args.console else result.output)
    print(f"linux guest: status {result.status}, {result.seconds * 1000:.0f} ms"
          f"{' (timed out)' if result.timed_out else ''}; qemu: {shlex.join(guest.command('INITRD'))}",
          file=sys.stderr)
    sys.exit(0 if result.ok else 1)


if __name__ == "__main__":
    main()
