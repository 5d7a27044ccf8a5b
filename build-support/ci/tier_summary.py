"""A per-tier Markdown summary for the GitHub job summary: passed, failed, cached, time.

Test counts come from Pants' JUnit reports (junit_summary.py). "Cached" comes from Pants'
own console lines, one per test run (a file, or a batch of files), as the run printed them:

    ✓ tests/ci/test_x.py succeeded in 0.45s (memoized).
    ✓ tests/ci/test_y.py:tests and 2 other files succeeded in 1.20s (cached locally).
    ✕ backend/tests/integration/adapters/test_z.py failed in 3.10s.

A run without a source in parentheses ran; `memoized`, `cached locally` and `cached remotely`
did not. The wall time is measured by the caller (build-support/ci/gha_tier) around the run.

Usage: tier_summary.py --tier TIER --reports DIR --log FILE --seconds N
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from junit_summary import Counts, ReportError, count_directory

from pytest_tiers.messages import render

CACHE_SOURCES = ("memoized", "cached locally", "cached remotely")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_RESULT = re.compile(
    r"^(?P<sigil>[✓✕]) (?P<what>.+) (?P<status>succeeded|failed)"
    r"(?: in (?P<seconds>[0-9.]+)s)?(?: \((?P<source>[^)]*)\))?\.$"
)


@dataclass(frozen=True)
class RunSources:
    """How many test runs (pytest processes) ran, and how many were served from a cache."""

    by_source: Counter[str]

    @property
    def runs(self) -> int:
        return sum(self.by_source.values())

    @property
    def cached(self) -> int:
        return sum(self.by_source[s] for s in CACHE_SOURCES)

    def text(self) -> str:
        if not self.runs:
            return "0 of 0"
        detail = ", ".join(f"{self.by_source[s]} {s}" for s in CACHE_SOURCES if self.by_source[s])
        return f"{self.cached} of {self.runs}" + (f" ({detail})" if detail else "")


def run_sources(lines: Iterable[str]) -> RunSources:
    """Count Pants' per-run result lines by where the result came from."""
    found: Counter[str] = Counter()
    for raw in lines:
        match = _RESULT.match(_ANSI.sub("", raw).strip())
        if not match:
            continue
        source = match["source"] or "ran"
        # With environments Pants says e.g. "cached locally for docker environment `x`".
        found[next((s for s in CACHE_SOURCES if source.startswith(s)), "ran")] += 1
    return RunSources(found)


def markdown(tier: str, counts: Counts, sources: RunSources, seconds: int) -> str:
    status = "no test ran" if counts.total == 0 else ("failed" if counts.failed else "passed")
    return "\n".join(
        [
            f"### {tier} tier: {status}",
            "",
            "| passed | failed | skipped | cached test runs | time |",
            "| ---: | ---: | ---: | --- | ---: |",
            f"| {counts.passed} | {counts.failed} | {counts.skipped} | {sources.text()} "
            f"| {seconds} s |",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", required=True)
    parser.add_argument("--reports", type=Path, required=True, help="JUnit report directory")
    parser.add_argument("--log", type=Path, required=True, help="the tee'd Pants console log")
    parser.add_argument("--seconds", type=int, required=True, help="wall time of the run")
    args = parser.parse_args(argv)
    try:
        counts = count_directory(args.reports) if args.reports.is_dir() else Counts()
    except ReportError as e:
        print(e, file=sys.stderr)
        return 2
    try:
        lines = args.log.read_text(errors="replace").splitlines()
    except OSError as e:
        print(
            render(
                str(args.log),
                f"cannot read the console log ({e.strerror or e}).",
                "pass the log the tier run was tee'd to (build-support/ci/gha_tier writes it).",
            ),
            file=sys.stderr,
        )
        return 2
    print(markdown(args.tier, counts, run_sources(lines), args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
