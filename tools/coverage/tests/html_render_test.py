#!/usr/bin/env python3
"""`sole coverage --html DIR` rendered by headless Chromium: the page loads
and the screenshot is not blank (it holds the status colours of the grid).
Usage: html_render_test.py SOLE BINARY..."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=1200,3000"]


def png_pixels(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit, non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"PNG depth {depth} colour type {colour}"
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    rows, previous, stride = [], bytearray(width * size), width * size
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up, corner = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                best = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))[2]
                line[x] = (line[x] + best) & 255
        rows.append(line)
        previous = line
    return width, height, rows, size


def main():
    sole, binaries = sys.argv[1], sys.argv[2:]
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("chromium is not installed: run ./setup")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "report")
        done = subprocess.run([sole, "coverage", "--html", report, *binaries], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            print("sole coverage --html failed:", done.stderr)
            return 1
        shot = os.path.join(folder, "shot.png")
        profile = os.path.join(folder, "profile")
        os.mkdir(profile)
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                        "file://" + os.path.join(report, "index.html")],
                       capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
        if not os.path.exists(shot):
            print("chromium wrote no screenshot")
            return 1
        width, height, rows, size = png_pixels(shot)
        colours = {bytes(row[x:x + 3]) for row in rows[::4] for x in range(0, width * size, size * 4)}
        # the grid's status colours for what the binaries need: full (green)
        # and partial (light green); sqlite3 needs no syscall that is none any more
        wanted = {"full": (0x2e, 0x7d, 0x32), "partial": (0x9c, 0xcc, 0x65)}
        seen = {name for name, rgb in wanted.items()
                if any(all(abs(c[i] - rgb[i]) < 12 for i in range(3)) for c in colours)}
        print(f"screenshot {width}x{height}, {len(colours)} distinct colours, grid colours seen: {sorted(seen)}")
        return 0 if len(colours) > 8 and seen == set(wanted) else 1


if __name__ == "__main__":
    sys.exit(main())
