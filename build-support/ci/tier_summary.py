"""A tier's results for a person: the terminal (`--format text`) or the GitHub job summary.

It shows the counts by outcome (passed, failed, flaky, skipped, quarantined: junit_report.py),
where each test run's result came from (ran, memoized, cached locally, cached remotely: Pants'
console lines, pants_console.py) and the cache hit rate, the ten slowest tests, the flaky and
quarantined tests, and for each failure the command that re-runs just it (rerun_command.py).
The wall time is measured by the caller (build-support/ci/gha_tier) around the run.

Usage: tier_summary.py --tier TIER --reports DIR --log FILE [--seconds N] [--merged FILE]
                       [--format markdown|text] [--repo DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest_tiers_on_path  # noqa: F401  (before the modules that import pytest_tiers)
from junit_report import (
    OUTCOMES,
    FileIndex,
    ReportError,
    TestResult,
    outcome_counts,
    python_files,
    read_directory,
)
from pants_console import SOURCES, RunResult, RunSources, run_results, run_sources
from rerun_command import rerun_command

from pytest_tiers.messages import render

SLOWEST = 10


@dataclass(frozen=True)
class TierResults:
    tier: str
    tests: tuple[TestResult, ...]
    runs: tuple[RunResult, ...]
    seconds: int | None
    merged: Path | None

    @property
    def sources(self) -> RunSources:
        return run_sources(self.runs)

    @property
    def status(self) -> str:
        if not self.tests:
            return "no test ran"
        return "failed" if any(t.outcome == "failed" for t in self.tests) else "passed"

    def counts_line(self) -> str:
        counts = outcome_counts(self.tests)
        return ", ".join(f"{counts[o]} {o}" for o in OUTCOMES)

    def slowest(self) -> list[TestResult]:
        return sorted(self.tests, key=lambda t: (-t.seconds, t.test_id))[:SLOWEST]

    def with_outcome(self, outcome: str) -> list[TestResult]:
        return [t for t in self.tests if t.outcome == outcome]


def _quarantine_note(test: TestResult) -> str:
    reason = test.property("tiers.quarantine.reason") or "no reason recorded"
    until = test.property("tiers.quarantine.until")
    return f"{reason} (until {until})" if until else reason


def text(results: TierResults) -> str:
    time = f" in {results.seconds} s" if results.seconds is not None else ""
    lines = [f"{results.tier} tier: {results.status}{time}: {results.counts_line()}"]
    if results.merged:
        lines.append(f"  merged report: {results.merged}")
    lines.append(f"  result sources: {results.sources.breakdown()}")
    lines.extend(f"    {run.source:<15} {run.what}" for run in results.runs)
    if results.tests:
        lines.append(f"  {min(SLOWEST, len(results.tests))} slowest tests:")
        lines.extend(f"    {t.seconds:8.2f}s  {t.test_id}" for t in results.slowest())
    for test in results.with_outcome("flaky"):
        lines.append(f"  flaky: {test.test_id} (passed after {test.attempts} attempts)")
    for test in results.with_outcome("quarantined"):
        lines.append(f"  quarantined: {test.test_id}: {_quarantine_note(test)}")
    for test in results.with_outcome("failed"):
        lines.append(f"  failed: {test.test_id}")
        lines.append(f"    rerun: {rerun_command(test, results.tier)}")
    return "\n".join(lines)


def _cell(value: str) -> str:
    return value.replace("|", "\\|")


def markdown(results: TierResults) -> str:
    counts = outcome_counts(results.tests)
    sources = results.sources
    time = f"{results.seconds} s" if results.seconds is not None else "n/a"
    lines = [
        f"### {results.tier} tier: {results.status}",
        "",
        "| " + " | ".join(OUTCOMES) + " | cached test runs | hit rate | time |",
        "| " + " | ".join("---:" for _ in OUTCOMES) + " | --- | ---: | ---: |",
        "| "
        + " | ".join(str(counts[o]) for o in OUTCOMES)
        + f" | {sources.text()} | {sources.hit_rate} | {time} |",
        "",
    ]
    if results.merged:
        lines += [f"Merged report: `{results.merged}`", ""]
    if results.runs:
        lines += [
            "<details><summary>Where each test run's result came from: "
            + ", ".join(f"{sources.by_source[s]} {s}" for s in SOURCES)
            + "</summary>",
            "",
            "| test run | result | source | time |",
            "| --- | --- | --- | ---: |",
        ]
        lines += [
            f"| `{_cell(r.what)}` | {'passed' if r.succeeded else 'failed'} | {r.source} "
            f"| {'' if r.seconds is None else f'{r.seconds:.2f} s'} |"
            for r in results.runs
        ]
        lines += ["", "</details>", ""]
    if results.tests:
        lines += ["Slowest tests:", "", "| time | test |", "| ---: | --- |"]
        lines += [f"| {t.seconds:.2f} s | `{_cell(t.test_id)}` |" for t in results.slowest()]
        lines.append("")
    flaky, quarantined = results.with_outcome("flaky"), results.with_outcome("quarantined")
    if flaky:
        lines += ["Flaky (passed after failing):", ""]
        lines += [f"- `{t.test_id}`: {t.attempts} attempts" for t in flaky]
        lines.append("")
    if quarantined:
        lines += ["Quarantined:", ""]
        lines += [f"- `{t.test_id}`: {_quarantine_note(t)}" for t in quarantined]
        lines.append("")
    for test in results.with_outcome("failed"):
        lines += [f"Failed: `{test.test_id}`", "", "```bash", rerun_command(test, results.tier)]
        lines += ["```", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", required=True)
    parser.add_argument("--reports", type=Path, required=True, help="JUnit report directory")
    parser.add_argument("--log", type=Path, required=True, help="the tee'd Pants console log")
    parser.add_argument("--seconds", type=int, help="wall time of the run")
    parser.add_argument("--merged", type=Path, help="the merged report to point at")
    parser.add_argument("--format", choices=("markdown", "text"), default="markdown")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="repository (default: .)")
    args = parser.parse_args(argv)
    try:
        tests = read_directory(args.reports, FileIndex(python_files(args.repo)))
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
    results = TierResults(
        args.tier, tuple(tests), tuple(run_results(lines)), args.seconds, args.merged
    )
    print(markdown(results) if args.format == "markdown" else text(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
