"""docs/COMPATIBILITY-LTP.md, generated from the saved results of both environments.

Each entry whose results differ gets a reason class: the one REVIEWED gives it
(entries looked at by hand), or else the first of these that applies:
  out of scope         the test needs what sole leaves out on purpose (catalog.py: block
                       devices, mounts, cgroups, kernel modules, ptrace, ...)
  missing syscall      sole answered ENOSYS to a syscall (named) that glibc's start-up
                       probes do not explain
  sole bug             sole crashed, hung or timed out where Linux finished (with no failed
                       check before), or its note shows a bug already logged (KNOWN_BUGS)
  partial semantics    sole ran it to a different answer (the note is sole's first line
                       with its worst LTP flag)
  guest only           sole passes where the guest does not (the guest kernel's config)
"""
import json
import os
import re
import time
from collections import Counter

from . import results

WSL1 = {"passed": 744, "failed": 93, "unimplemented": 171}
# Syscalls glibc probes at start-up or in passing and handles ENOSYS for, so their
# ENOSYS explains no result.
PROBES = {"rseq", "clone3"}
# Notes (the first line with the worst flag) of sole bugs already logged (in /work/w-bugs.md), with the bug's name.
KNOWN_BUGS = [
    (re.compile(r"tst_rmdir: rmobj\(.*EBUSY"), "rmdir of a working directory gives EBUSY"),
]
# Syscalls of the features sole leaves out on purpose: last in the ENOSYS list, unlocking nothing.
OUT_OF_SCOPE_SYSCALLS = {"mount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
                         "mount_setattr", "pivot_root", "ptrace", "init_module", "finit_module", "delete_module",
                         "swapon", "swapoff", "quotactl", "quotactl_fd", "bpf", "perf_event_open", "kexec_load",
                         "kexec_file_load", "iopl", "ioperm", "reboot", "syslog", "acct"}
MISSING, OUT_OF_SCOPE, BUG, PARTIAL, GUEST_ONLY = ("missing syscall", "out of scope", "sole bug",
                                                   "partial semantics", "guest only")

# Entries looked at by hand, whose reason the rules get wrong or say too little about:
# name -> (class, note). The sole bugs among them are logged with a reproducing command.
REVIEWED = {
    "fork14": (PARTIAL, "mmap of 1 GB succeeds in a 256 MB VM, where Linux's overcommit heuristic refuses it "
                        "(TCONF), so the test forks 16k times with a growing address space and times out"),
    "munmap04": (PARTIAL, "no limit on the number of mappings (Linux: vm.max_map_count, 65530), so the "
                          "test's loop that maps until mmap fails runs until the time limit"),
    "sched_setattr01": (PARTIAL, "/proc/sys/kernel/pid_max does not exist; LTP's old library then breaks "
                                 "from its own cleanup again and again until the stack overflows"),
    "futex_cmp_requeue01": (PARTIAL, "waiters in other processes (futexes in MAP_SHARED memory) are not "
                                     "woken: ETIMEDOUT x1000, then the test times out"),
    "mincore01": (BUG, "mincore with a length past the address space writes past the vector "
                       "(heap corruption, then SIGSEGV)"),
    "signal06": (BUG, "a signal whose frame cannot be written kills the process instead of raising SIGSEGV"),
    "send02": (BUG, "TCP data sent with MSG_MORE never arrives, even after a send without it"),
    "futex_wait03": (BUG, "/proc/PID/stat shows R while the main thread sleeps and another thread runs, "
                          "so the test's wait for 'S' never ends"),
}


def save_run_info(tree, info):
    os.makedirs(tree.results, exist_ok=True)
    info = dict(info, date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    with open(os.path.join(tree.results, "run.json"), "w") as out:
        json.dump(info, out, indent=1)


def load_run_info(tree):
    try:
        with open(os.path.join(tree.results, "run.json")) as saved:
            return json.load(saved)
    except OSError:
        return {}


def ltp_version(tree):
    try:
        with open(os.path.join(tree.src, "VERSION")) as version:
            return version.read().strip()
    except OSError:
        return "?"


def missing(outcome):
    return [name for name in outcome.enosys if name not in PROBES] if outcome else []


def reason(catalog, entry, guest, sole):
    """(class, note) for an entry whose results differ."""
    if entry.name in REVIEWED:
        return REVIEWED[entry.name]
    if sole.result == results.PASS:
        return GUEST_ONLY, guest.note
    scope = catalog.out_of_scope(entry)
    if scope:
        return OUT_OF_SCOPE, scope
    if missing(sole):
        return MISSING, ", ".join(missing(sole))
    # A test that failed a check and then waited for ever (a child it never released)
    # timed out because of the failed check.
    failed_first = results.first_line(sole.output, results.FAIL) if sole.result == results.TIMEOUT else ""
    if failed_first:
        return PARTIAL, failed_first + " (then timed out)"
    if sole.result in (results.CRASH, results.TIMEOUT):
        return BUG, sole.note
    for pattern, bug in KNOWN_BUGS:
        if pattern.search(sole.note):
            return BUG, bug
    return PARTIAL, sole.note


def cell(text, tree):
    """TEXT for a table cell: one line, LTP's folders by their names, not this machine's paths."""
    text = re.sub(r"(TFAIL|TBROK|TCONF|TWARN): \S+\.c:\d+: ", r"\1: ", text or "")
    text = text.replace(tree.ltproot, "$LTPROOT").replace(tree.src + "/", "")
    return text.replace("|", "\\|").replace("\n", " ")[:140]


def guest_kernel(guest, info):
    """The guest kernel as LTP printed it ("Tested kernel: 6.1.0-57-cloud-amd64 #1 SMP ... Debian ...")."""
    for outcome in guest.values():
        found = re.search(r"Tested kernel: (.*)", outcome.output)
        if found:
            return found.group(1).strip()
    return info.get("guest_kernel") or "?"


def headline(entries, guest, sole, info):
    ran = [e for e in entries if e.name in sole and e.name in guest]
    sole_counts = Counter(sole[e.name].result for e in ran)
    guest_counts = Counter(guest[e.name].result for e in ran)
    guest_pass = [e for e in ran if guest[e.name].result == results.PASS]
    both = [e for e in guest_pass if sole[e.name].result == results.PASS]
    share = f"{100 * len(both) / len(guest_pass):.1f} %" if guest_pass else "n/a"
    lines = [f"- **{sole_counts[results.PASS]} entries pass in sole**, of the {len(ran)} run "
             f"({len(entries)} in runtest/syscalls).",
             f"- Of the {len(guest_pass)} entries that pass in the Linux guest, **{len(both)} pass in sole ({share})**.",
             f"- Reference: Linux {guest_kernel(guest, info)}, Debian's cloud kernel, on sole's QEMU command line.",
             "",
             "| result | sole | Linux guest | WSL1 (published) |",
             "|---|---:|---:|---:|",
             f"| TPASS (passed) | {sole_counts[results.PASS]} | {guest_counts[results.PASS]} | {WSL1['passed']} |",
             f"| TFAIL (failed) | {sole_counts[results.FAIL]} | {guest_counts[results.FAIL]} | {WSL1['failed']} |",
             f"| TBROK (broken) | {sole_counts[results.BROK]} | {guest_counts[results.BROK]} | |",
             f"| TWARN (warning) | {sole_counts[results.WARN]} | {guest_counts[results.WARN]} | |",
             f"| TCONF (not supported) | {sole_counts[results.CONF]} | {guest_counts[results.CONF]} | "
             f"{WSL1['unimplemented']} (unimplemented) |",
             f"| timeout | {sole_counts[results.TIMEOUT]} | {guest_counts[results.TIMEOUT]} | |",
             f"| crash (signal, panic) | {sole_counts[results.CRASH]} | {guest_counts[results.CRASH]} | |"]
    return lines


def enosys_ranking(catalog, entries, guest, sole):
    """(syscall, entries it alone keeps from passing, entries hitting it that pass in the guest,
    all entries hitting it), best first. An entry that needs something out of scope counts
    only in the last column, and so do the syscalls of OUT_OF_SCOPE_SYSCALLS."""
    alone, unlock, hit = Counter(), Counter(), Counter()
    for entry in entries:
        outcome = sole.get(entry.name)
        if not outcome or outcome.result == results.PASS:
            continue
        names = missing(outcome)
        counts = (entry.name in guest and guest[entry.name].result == results.PASS
                  and not catalog.out_of_scope(entry))
        for name in names:
            hit[name] += 1
            if counts and name not in OUT_OF_SCOPE_SYSCALLS:
                unlock[name] += 1
                if len(names) == 1:
                    alone[name] += 1
    ranked = sorted(hit, key=lambda name: (name in OUT_OF_SCOPE_SYSCALLS, -alone[name], -unlock[name],
                                           -hit[name], name))
    return [(name, alone[name], unlock[name], hit[name]) for name in ranked]


def cause(note):
    """NOTE with what varies between tests (temporary names, numbers, addresses) taken out,
    so that notes with one cause group together."""
    missing_file = re.search(r"(/(?:proc|sys|dev)/[\w./-]+).*ENOENT", note)
    if missing_file:  # "Failed to open FILE '/proc/sys/kernel/pid_max'", "Path not found: ..."
        return f"{missing_file.group(1)} does not exist (ENOENT)"
    note = re.sub(r"(TFAIL|TBROK|TCONF|TWARN): \S+\.c:\d+: ", r"\1: ", note)
    note = re.sub(r"LTP_\w+|0x[0-9a-f]+|\b\d+\b", "N", note)
    return note[:120]


def common_causes(differences, limit=25):
    """The most common notes (as cause() groups them) of entries with REASON partial
    semantics or sole bug: (note, entries, example entry)."""
    groups = {}
    for name, kind, note in differences:
        if kind in (PARTIAL, BUG) and note:
            groups.setdefault(cause(note), []).append(name)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))[:limit]
    return [(note, len(names), names[0]) for note, names in ranked if len(names) > 1]


def write(catalog, path):
    """Writes the report of CATALOG's saved results to PATH."""
    tree = catalog.tree
    guest = results.ResultFile(tree.results, "guest").outcomes
    sole = results.ResultFile(tree.results, "sole").outcomes
    info = load_run_info(tree)
    entries = catalog.entries
    ran = [e for e in entries if e.name in sole and e.name in guest]
    rows, classes, differences = [], Counter(), []
    for entry in ran:
        g, s = guest[entry.name], sole[entry.name]
        kind, note = ("", "")
        if g.result != s.result:
            kind, note = reason(catalog, entry, g, s)
            classes[kind] += 1
            differences.append((entry.name, kind, note))
        elif s.result != results.PASS:
            note = s.note
        rows.append(f"| {entry.name} | {g.result} | {s.result} | {kind} | {cell(note, tree)} |")
    ranking = enosys_ranking(catalog, ran, guest, sole)
    out = ["# LTP syscall tests: sole beside Linux",
           "",
           "Generated by `test-apps/ltp` (`run --all`, or `report` from saved results); do not edit by hand.",
           f"LTP release {ltp_version(tree)}, built and run as test-apps/ltp_suite/ describes.",
           "",
           "## Headline",
           ""]
    out += headline(entries, guest, sole, info)
    out += ["",
            f"How it ran: `{info.get('command', 'test-apps/ltp run ...')}`, {info.get('jobs', '?')} VMs at a time, "
            f"{(info.get('wall_seconds') or 0) / 60:.0f} min wall time, on {info.get('date', '?')}; under TCG, "
            f"each entry limited to LTP's own limit for it plus 30 s (at most {info.get('time_limit', '?')} s), "
            "LTP_TIMEOUT_MUL and LTP_RUNTIME_MUL as "
            "test-apps/ltp_suite/environment.py sets them, the same in both environments. "
            "Inside sole every entry boots its own VM; the Linux guest runs a batch of entries per boot.",
            ""]
    if len(ran) < len(entries):
        out += [f"This run covers {len(ran)} of the {len(entries)} entries (a sample); the others have no result yet.",
                ""]
    out += ["A result is LTP's own: the exit status of the entry's program is a mask of TFAIL (1), TBROK (2), "
            "TWARN (4) and TCONF (32), and the worst flag set names the result (TPASS when none is). "
            "Timeout: LTP's own time limit or the runner's (LTP's plus 30 s) ran out; crash: the program "
            "died of a signal.",
            "",
            "## Differences by reason",
            "",
            "Each entry whose results differ gets one reason: *out of scope* when it needs what sole leaves "
            "out on purpose (block devices and file systems, mounts, cgroups, kernel modules, ptrace, swap, "
            "quotas, eBPF, perf, port I/O), *missing syscall* when sole answered ENOSYS (the syscalls are "
            "named), *sole bug* when sole crashed or hung where Linux finished, or shows a bug already "
            "logged, *partial semantics* when sole ran it to another answer (the note is sole's first line "
            "with its worst flag), and *guest only* when sole passes where the guest does not.",
            "", "| reason class | entries |", "|---|---:|"]
    out += [f"| {kind} | {count} |" for kind, count in classes.most_common()]
    out += ["", "## Syscalls that answered ENOSYS", "",
            "Ranked by the entries each would unlock: *alone*, those that pass in the Linux guest and hit "
            "no other missing syscall; then *passing in guest*, those that pass in the guest and hit it among "
            "others; then all entries that hit it. Entries that need something out of scope count only "
            "in the last column, and the syscalls of out-of-scope features come last.",
            "", "| syscall | alone | passing in guest | all entries |", "|---|---:|---:|---:|"]
    out += [f"| {name}{' (out of scope)' if name in OUT_OF_SCOPE_SYSCALLS else ''} | {alone} | {unlock} | {hit} |"
            for name, alone, unlock, hit in ranking]
    out += ["", "## The most common causes besides ENOSYS", "",
            "Notes shared by several entries classed partial semantics or sole bug (numbers and temporary "
            "names taken out): each is one thing to fix for all of its entries.",
            "", "| sole's note | entries | for example |", "|---|---:|---|"]
    out += [f"| {cell(note, tree)} | {count} | {example} |" for note, count, example in common_causes(differences)]
    out += ["", "## Every entry", "",
            "| entry | Linux guest | sole | reason class | note |", "|---|---|---|---|---|"]
    out += rows
    with open(path, "w") as report:
        report.write("\n".join(out) + "\n")
