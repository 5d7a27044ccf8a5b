"""The record of how long each test file took, kept between runs for sharding (shard_plan.py).

The record is JSON, `{"tier": TIER, "files": {PATH: SECONDS}}`, one file per tier. `update` reads
merged reports (junit_merge.py: a `<testsuite>` per file, `time` = its tests' time, all attempts)
and replaces the entries of the files they ran, keeping the others: a pull request that ran only
the affected files keeps every other file's last duration. Files that no longer exist are dropped.
With `--log` (a Pants console log of the run), a file that ran in a pytest process of its own is
recorded at that process's time instead, start-up and fixtures included: what a shard pays for it.

Usage: durations_record.py update --durations FILE --tier TIER [--log LOG]... [--repo DIR]
                                  MERGED.xml...
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest_tiers_on_path  # noqa: F401  (before the modules that import pytest_tiers)
from pants_console import run_results

from pytest_tiers.messages import ProblemError, render


class DurationsError(ProblemError):
    """A record or a merged report that cannot be read."""


def load(path: Path) -> dict[str, float]:
    """The record's durations; empty when there is no record yet."""
    if not path.is_file():
        return {}
    try:
        files = json.loads(path.read_text())["files"]
        return {str(p): float(s) for p, s in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise DurationsError(
            str(path),
            f"not a durations record ({type(e).__name__}: {e}).",
            "delete it (the next run records a new one), or restore it from the cache.",
        ) from e


def save(path: Path, tier: str, durations: Mapping[str, float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    files = {p: round(s, 3) for p, s in sorted(durations.items())}
    path.write_text(json.dumps({"tier": tier, "files": files}, indent=2) + "\n")


def from_merged(report: Path) -> dict[str, float]:
    """Each file's time in one merged report (suites named after a file ending in .py)."""
    try:
        root = ET.parse(report).getroot()
    except (ET.ParseError, OSError) as e:
        raise DurationsError(
            str(report),
            f"not a readable merged report ({e}).",
            "pass the file junit_merge.py wrote (dist/test/reports/TIER.xml).",
        ) from e
    found: dict[str, float] = {}
    for suite in root.iter("testsuite"):
        name = suite.get("name", "")
        if name.endswith(".py"):
            try:
                found[name] = found.get(name, 0.0) + float(suite.get("time", "0"))
            except ValueError as e:
                raise DurationsError(
                    str(report), f"suite {name}: bad time ({e}).", "merge the reports again."
                ) from e
    return found


def process_times(lines: Iterable[str]) -> dict[str, float]:
    """The time of each file that Pants ran alone (`FILE succeeded in 3.10s`, `FILE:gen ...`);
    batches (`... and 3 other files`) and targets not named after a file are left out."""
    found = {}
    for run in run_results(lines):
        path = run.what.split(":", 1)[0]
        if run.seconds is not None and path.endswith(".py") and " other file" not in run.what:
            found[path] = run.seconds
    return found


def updated(
    old: Mapping[str, float], reports: Iterable[Mapping[str, float]], repo: Path
) -> dict[str, float]:
    new = dict(old)
    for report in reports:
        new.update(report)
    return {path: seconds for path, seconds in new.items() if (repo / path).is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    update = commands.add_parser("update", help="record the durations of merged reports")
    update.add_argument("--durations", type=Path, required=True, help="the record to update")
    update.add_argument("--tier", required=True)
    update.add_argument(
        "--log", type=Path, action="append", default=[], help="a Pants console log of the run"
    )
    update.add_argument("--repo", type=Path, default=Path.cwd(), help="repository (default: .)")
    update.add_argument("reports", nargs="+", type=Path, help="merged reports (junit_merge.py)")
    args = parser.parse_args(argv)
    try:
        old = load(args.durations)
        reports = [from_merged(r) for r in args.reports if r.is_file()]
        logs = [process_times(p.read_text(errors="replace").splitlines()) for p in args.log]
    except OSError as e:
        print(
            render(str(e.filename), f"cannot read the log ({e.strerror}).", "pass it."),
            file=sys.stderr,
        )
        return 2
    except DurationsError as e:
        print(e, file=sys.stderr)
        return 2
    if not reports:
        print(
            render(
                "durations_record",
                f"none of {', '.join(map(str, args.reports))} exists; the record is unchanged.",
                "pass the merged reports of the run (junit_merge.py writes them).",
            ),
            file=sys.stderr,
        )
        return 1
    ran = set().union(*reports)
    by_process = [{p: s for log in logs for p, s in log.items() if p in ran}]
    new = updated(old, [*reports, *by_process], args.repo)
    save(args.durations, args.tier, new)
    print(f"{args.durations}: {len(new)} file(s) recorded, {len(ran)} from this run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
