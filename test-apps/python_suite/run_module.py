"""Runs one module of CPython's test package and prints one line per test.

    python3 run_module.py MODULE [EXCLUDED...]     # e.g. test_os

The same script runs natively and inside sole (copied into the VM), so both
sides load and run a module identically. Each test prints, on stderr, a line

    @@pysuite start TEST_ID         before it runs (a hang or crash names it)
    @@pysuite RESULT TEST_ID        its result: ok, fail, error, skip, xfail or xpass
                                    (a test with failing subtests has several)
    @@pysuite end TEST_ID # SECONDS when it has ended, and its run time

and the run ends with `@@pysuite done`. A test excluded by an fnmatch pattern
(one known to hang,
which would stop the tests after it) does not run and prints
`@@pysuite excluded TEST_ID`. A line starts with a newline of its
own, so output a test leaves unfinished never hides one. As under regrtest,
no optional resource (network, cpu, ...) is enabled, and the tests run in a
fresh temporary folder of their own.
"""
import fnmatch
import importlib
import os
import sys
import tempfile
import time
import unittest

MARK = "@@pysuite"


def say(*words):
    sys.__stderr__.write(f"\n{MARK} {' '.join(words)}\n")
    sys.__stderr__.flush()


class LineResult(unittest.TestResult):
    """Reports every test as it starts and ends."""

    def startTest(self, test):
        super().startTest(test)
        self.started = time.monotonic()
        say("start", test.id())

    def stopTest(self, test):
        super().stopTest(test)
        say("end", test.id(), "#", f"{time.monotonic() - self.started:.2f} s")

    def addSuccess(self, test):
        super().addSuccess(test)
        say("ok", test.id())

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.report("fail", test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self.report("error", test, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        say("skip", test.id())

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        say("xfail", test.id())

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        say("xpass", test.id())

    def addSubTest(self, test, subtest, err):
        # A failing subtest fails its test: reported under the test's id.
        super().addSubTest(test, subtest, err)
        if err is not None:
            kind = "fail" if issubclass(err[0], test.failureException) else "error"
            self.report(kind, test, err, f"{subtest._subDescription()} ")

    def report(self, kind, test, err, where=""):
        exc_type, value = err[0], err[1]
        first = str(value).strip().splitlines()[0][:200] if str(value).strip() else ""
        sys.__stderr__.write(self._exc_info_to_string(err, test))
        say(kind, test.id(), "#", f"{where}{exc_type.__name__}: {first}")


def tests_of(suite):
    """The tests of SUITE, flattened (unittest still runs each class's fixtures once)."""
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from tests_of(item)
        else:
            yield item


def main():
    module_name, excluded = sys.argv[1], set(sys.argv[2:])
    from test import support
    support.use_resources = []  # as regrtest without -u: every optional resource is denied
    support.verbose = 0
    with tempfile.TemporaryDirectory(prefix="pysuite-") as folder:
        os.chdir(folder)
        try:
            module = importlib.import_module(f"test.{module_name}")
        except unittest.SkipTest as skipped:  # the module skips itself whole (ResourceDenied too)
            say("skip", f"test.{module_name}", "#", str(skipped)[:200])
            say("done", "0")
            return
        suite = unittest.TestSuite()
        for test in tests_of(unittest.defaultTestLoader.loadTestsFromModule(module)):
            if any(fnmatch.fnmatchcase(test.id(), pattern) for pattern in excluded):
                say("excluded", test.id())
            else:
                suite.addTest(test)
        result = LineResult()
        suite.run(result)
        os.chdir("/")
    say("done", str(result.testsRun))


if __name__ == "__main__":
    main()
