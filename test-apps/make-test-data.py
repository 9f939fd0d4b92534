#!/usr/bin/env python3
"""Generates the input files of the test-apps tests at build time.

    make-test-data.py stdin-bytes OUT        every byte value, then a long deterministic stretch
    make-test-data.py truncated IN OUT       the first 200 bytes of an ELF file
    make-test-data.py elf32 OUT              a well-formed 32-bit i386 executable
    make-test-data.py wrong-machine IN OUT   a copy of a 64-bit ELF claiming to be for AArch64
    make-test-data.py garbage OUT            4 KiB of deterministic noise that is not ELF
    make-test-data.py empty OUT              an empty file
"""
import struct
import sys


def lcg_bytes(count, seed):
    """Deterministic pseudo-random bytes (numerical recipes LCG), no RNG state to depend on."""
    out = bytearray()
    state = seed
    for _ in range(count):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        out.append(state >> 24)
    return bytes(out)


def stdin_bytes():
    return bytes(range(256)) + lcg_bytes(65536, 1)


def elf32_i386():
    """ELF32 header, one PT_LOAD, and code that calls exit(0) through int 0x80."""
    base = 0x08048000
    ehdr_size, phdr_size = 52, 32
    code = bytes([0xB8, 1, 0, 0, 0,      # mov eax, 1 (exit)
                  0x31, 0xDB,            # xor ebx, ebx
                  0xCD, 0x80])           # int 0x80
    entry = base + ehdr_size + phdr_size
    total = ehdr_size + phdr_size + len(code)
    ident = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)  # ELFCLASS32, little endian, version 1
    ehdr = ident + struct.pack("<HHIIIIIHHHHHH",
                               2, 3, 1,           # ET_EXEC, EM_386, EV_CURRENT
                               entry, ehdr_size, 0, 0,
                               ehdr_size, phdr_size, 1, 40, 0, 0)
    phdr = struct.pack("<IIIIIIII", 1, 0, base, base, total, total, 5, 0x1000)  # PT_LOAD, R+X
    return ehdr + phdr + code


def wrong_machine(data):
    if data[:4] != b"\x7fELF":
        sys.exit("wrong-machine: input is not an ELF file")
    patched = bytearray(data)
    patched[18:20] = struct.pack("<H", 183)  # e_machine = EM_AARCH64
    return bytes(patched)


def garbage():
    data = lcg_bytes(4096, 12345)
    assert data[:4] != b"\x7fELF"
    return data


def main(argv):
    kind = argv[1] if len(argv) > 1 else ""
    if kind in ("truncated", "wrong-machine") and len(argv) == 4:
        with open(argv[2], "rb") as f:
            source = f.read()
        data = source[:200] if kind == "truncated" else wrong_machine(source)
        out = argv[3]
    elif kind in ("stdin-bytes", "elf32", "garbage", "empty") and len(argv) == 3:
        data = {"stdin-bytes": stdin_bytes, "elf32": elf32_i386, "garbage": garbage,
                "empty": lambda: b""}[kind]()
        out = argv[2]
    else:
        sys.exit(__doc__)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main(sys.argv)
