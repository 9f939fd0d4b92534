"""The sqlite benchmark's SQL script, generated, and how to read what it prints.

The script inserts ROWS rows one INSERT at a time in transactions of 1,000, builds
an index, and runs QUERIES range queries, each as its own statement. The data
comes from a fixed linear congruential generator, so every run (native, sole, the
Linux guest) does the same work and prints the same checksum. Before each phase
the script prints the time from sqlite's own clock (`julianday('now')`, in ms), so
the phases are timed inside the app, apart from boot.
"""
import re

TRANSACTION_ROWS = 1000
KEY_RANGE = 1_000_000
PHASES = ("insert", "index", "query")


def _numbers(seed):
    """An endless, fixed pseudo-random sequence (the classic LCG of C's rand())."""
    while True:
        seed = (seed * 1103515245 + 12345) % 2**31
        yield seed


def _clock(phase):
    return f"SELECT 'clock {phase} ' || CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);\n"


def script(rows, queries):
    """The SQL text: ROWS inserts, an index build, QUERIES range queries, a checksum line."""
    numbers = _numbers(42)
    lines = ["CREATE TABLE items(id INTEGER PRIMARY KEY, key INTEGER, label TEXT);\n",
             "CREATE TABLE answers(n INTEGER, total INTEGER);\n", _clock("insert")]
    for start in range(0, rows, TRANSACTION_ROWS):
        lines.append("BEGIN;\n")
        for row in range(start, min(rows, start + TRANSACTION_ROWS)):
            key = next(numbers) % KEY_RANGE
            lines.append(f"INSERT INTO items(key, label) VALUES({key}, 'item-{row}-{key % 977}');\n")
        lines.append("COMMIT;\n")
    lines += [_clock("index"), "CREATE INDEX items_key ON items(key);\n", _clock("query"), "BEGIN;\n"]
    for _ in range(queries):
        low = next(numbers) % KEY_RANGE
        lines.append("INSERT INTO answers SELECT count(*), total(length(label)) FROM items "
                     f"WHERE key BETWEEN {low} AND {low + KEY_RANGE // 1000};\n")
    lines += ["COMMIT;\n", _clock("end"),
              "SELECT 'checksum ' || sum(n) || ' ' || CAST(sum(total) AS INTEGER) FROM answers;\n"]
    return "".join(lines)


def phase_seconds(output):
    """{phase: seconds} from the clock lines the script printed, or None if they are missing."""
    clocks = dict((phase, int(ms)) for phase, ms in re.findall(r"^clock (\w+) (\d+)$", output, re.M))
    if not all(phase in clocks for phase in PHASES + ("end",)):
        return None
    ends = PHASES[1:] + ("end",)
    return {phase: (clocks[end] - clocks[phase]) / 1000 for phase, end in zip(PHASES, ends)}


def checksum(output):
    """The checksum line's text, which every correct run prints the same."""
    found = re.search(r"^checksum .*$", output, re.M)
    return found.group(0) if found else None
