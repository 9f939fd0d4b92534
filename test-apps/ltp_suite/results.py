"""One test's outcome in one environment, how it is read from LTP's exit status and
output, and the JSON files that keep outcomes between runs.

LTP's exit status is a bit mask of result flags (include/tst_res_flags.h; the new
library's do_exit in lib/tst_test.c, and tst_exit in the old one): TFAIL 1, TBROK 2,
TWARN 4, TCONF 32; 0 is a pass. The new library exits 32 only when no check passed
and some were skipped. A status above 128 (or a sole crash report) is a signal.
"""
import json
import os
import re
from dataclasses import asdict, dataclass, field

TFAIL, TBROK, TWARN, TCONF = 1, 2, 4, 32
# Result classes, worst first; a test's class is the worst that applies.
TIMEOUT, CRASH, BROK, FAIL, WARN, CONF, PASS = "TIMEOUT", "CRASH", "TBROK", "TFAIL", "TWARN", "TCONF", "TPASS"
CLASSES = (PASS, FAIL, BROK, WARN, CONF, TIMEOUT, CRASH)
# LTP's own time limit ran out (lib/tst_test.c's alarm handler), or ours did.
LTP_TIMEOUT = re.compile(r"Test timeouted|Test killed! \(timeout\?\)|Test killed by SIG\w+!.*timeout")
RESULT_LINE = re.compile(r"\b(TFAIL|TBROK|TCONF|TWARN)\b\s*:?\s*(.*)")
OUTPUT_KEPT = 4000  # characters of a test's output kept in the results file (its tail)


@dataclass
class Outcome:
    """A test's result in one environment: its class, exit status (None if it never
    ended), wall seconds, the first line naming its worst LTP flag, the syscalls
    that answered ENOSYS (sole only) and the tail of its output."""
    name: str
    result: str
    status: int = None
    seconds: float = 0.0
    note: str = ""
    enosys: list = field(default_factory=list)
    output: str = ""


def first_line(output, flag):
    """The first output line reporting FLAG (such as TFAIL), without the file:line prefix."""
    for line in output.splitlines():
        found = RESULT_LINE.search(line)
        if found and found.group(1) == flag:
            return f"{flag}: {found.group(2).strip()}"[:200]
    return ""


def classify(name, status, output, seconds, timed_out=False, crashed=""):
    """The Outcome of a test that exited with STATUS after printing OUTPUT. TIMED_OUT:
    the runner's limit killed it; CRASHED: a line saying the VM or the app crashed."""
    tail = output[-OUTPUT_KEPT:]
    if timed_out or LTP_TIMEOUT.search(output):
        return Outcome(name, TIMEOUT, status, seconds, "time limit reached", output=tail)
    if crashed:
        return Outcome(name, CRASH, status, seconds, crashed[:200], output=tail)
    if status is None or status >= 128 or status < 0:
        return Outcome(name, CRASH, status, seconds, f"exit status {status}", output=tail)
    for bit, result in ((TBROK, BROK), (TFAIL, FAIL), (TWARN, WARN)):
        if status & bit:
            return Outcome(name, result, status, seconds, first_line(output, result), output=tail)
    if status & TCONF:
        return Outcome(name, CONF, status, seconds, first_line(output, CONF), output=tail)
    if status != 0:  # 126, 127: the program could not run at all
        return Outcome(name, BROK, status, seconds, f"exit status {status}", output=tail)
    return Outcome(name, PASS, status, seconds, output=tail)


class ResultFile:
    """The saved outcomes of one environment (sole or guest), by test name, in
    RESULTS_DIR/ENVIRONMENT.json; a later run of a test replaces its outcome."""

    def __init__(self, results_dir, environment):
        self.path = os.path.join(results_dir, environment + ".json")
        self.outcomes = {}
        if os.path.exists(self.path):
            with open(self.path) as saved:
                for record in json.load(saved):
                    self.outcomes[record["name"]] = Outcome(**record)

    def add(self, outcome):
        self.outcomes[outcome.name] = outcome

    def save(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        partial = self.path + ".partial"
        with open(partial, "w") as out:
            json.dump([asdict(o) for o in self.outcomes.values()], out, indent=0)
        os.replace(partial, self.path)
