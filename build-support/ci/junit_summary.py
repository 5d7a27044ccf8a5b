"""Summarise Pants' JUnit XML reports as one plain `N passed, N failed` line.

Pants prints a line per test target but no totals, and a run in which no test executed looks
the same as a green one. This reads every report under the given directories, prints a line
per directory (`unit: 12 passed, 0 failed`) and then the grand total, and exits non-zero when
no test ran at all.

Usage: python junit_summary.py [LABEL=]DIR...
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest_tiers_on_path  # noqa: F401  (before the modules that import pytest_tiers)
from junit_report import ReportError

from pytest_tiers.messages import render


@dataclass(frozen=True)
class Counts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.passed + other.passed,
            self.failed + other.failed,
            self.skipped + other.skipped,
        )

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.skipped

    def line(self) -> str:
        text = f"{self.passed} passed, {self.failed} failed"
        return f"{text}, {self.skipped} skipped" if self.skipped else text


_REWRITE = "re-run the tests that wrote it (Pants: `--test-report-dir`), or delete the file."


def _suites(path: Path, root: ET.Element) -> list[ET.Element]:
    if root.tag == "testsuite":
        return [root]
    if root.tag == "testsuites":
        return root.findall("testsuite")
    raise ReportError(
        str(path), f"root element is <{root.tag}>, expected <testsuites> or <testsuite>.", _REWRITE
    )


def count_report(path: Path) -> Counts:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        raise ReportError(str(path), f"not a readable JUnit XML report ({e}).", _REWRITE) from e
    total = Counts()
    for suite in _suites(path, root):
        try:
            tests = int(suite.get("tests", "0"))
            failed = int(suite.get("failures", "0")) + int(suite.get("errors", "0"))
            skipped = int(suite.get("skipped", "0"))
        except ValueError as e:
            raise ReportError(
                str(path), f"non-numeric count in <testsuite> ({e}).", _REWRITE
            ) from e
        total += Counts(passed=tests - failed - skipped, failed=failed, skipped=skipped)
    return total


def count_directory(directory: Path) -> Counts:
    total = Counts()
    for report in sorted(directory.rglob("*.xml")):
        total += count_report(report)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "reports", nargs="+", metavar="[LABEL=]DIR", help="report directory, optionally labelled"
    )
    args = parser.parse_args(argv)

    grand = Counts()
    for spec in args.reports:
        label, _, directory = spec.rpartition("=")
        path = Path(directory)
        try:
            counts = count_directory(path) if path.is_dir() else Counts()
        except ReportError as e:
            print(e, file=sys.stderr)
            return 2
        grand += counts
        print(f"{label or path.name}: {counts.line()}")
    print(grand.line())
    if grand.total == 0:
        print(
            render(
                "junit_summary",
                f"no test results found in {', '.join(args.reports)}; no test ran.",
                "check that the test steps ran and wrote their JUnit reports there.",
            ),
            file=sys.stderr,
        )
        return 1
    return 0 if grand.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
