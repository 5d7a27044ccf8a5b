"""How evenly N shards finish, from a tier's recorded durations (no test runs).

For each record (build-support/ci/durations/TIER.json, durations_record.py) and N = 2, 4, 8:
the longest shard of the duration-balanced plan (shard_plan.py, what gha_tier --shard runs)
against the ideal, total / N, beside a count-based split (files assigned by crc32 of the path,
as Pants' --test-shard assigns target addresses). When one file alone takes longer than
total / N, no file-level plan can reach the ideal; the bound is then that file, and the table
says so. Writes docs/benchmarks/shards.md; `--check` fails when N = 2 or 4 misses 1.15x
although the longest file allows it.

Usage: python3 bench/shard_simulation.py [--records FILE...] [--output FILE] [--check]
"""

from __future__ import annotations

import argparse
import sys
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "build-support" / "ci"), str(ROOT / "pytest-tiers")]

from durations_record import load  # noqa: E402
from shard_plan import loads, partition  # noqa: E402

SHARD_COUNTS = (2, 4, 8)
TARGET = 1.15
TARGET_COUNTS = (2, 4)


@dataclass(frozen=True)
class Row:
    tier: str
    files: int
    total: float
    longest_file: str
    longest_file_seconds: float
    count: int
    balanced: float
    by_count: float

    @property
    def ideal(self) -> float:
        return self.total / self.count

    @property
    def bound(self) -> float:
        """The best any file-level plan can do: the ideal, or the longest file if longer."""
        return max(self.ideal, self.longest_file_seconds)

    @property
    def file_bound_applies(self) -> bool:
        return self.longest_file_seconds > self.ideal

    def meets_target(self) -> bool:
        return self.balanced <= TARGET * self.ideal


def by_count(durations: Mapping[str, float], count: int) -> float:
    shards: list[list[str]] = [[] for _ in range(count)]
    for path in durations:
        shards[zlib.crc32(path.encode()) % count].append(path)
    return max(loads(durations, shards))


def rows(tier: str, durations: Mapping[str, float]) -> list[Row]:
    longest = max(sorted(durations), key=lambda p: durations[p])
    total = sum(durations.values())
    return [
        Row(
            tier=tier,
            files=len(durations),
            total=total,
            longest_file=longest,
            longest_file_seconds=durations[longest],
            count=count,
            balanced=max(loads(durations, partition(durations, count))),
            by_count=by_count(durations, count),
        )
        for count in SHARD_COUNTS
    ]


def table(found: Sequence[Row]) -> str:
    lines = [
        "| tier | files | total | N | ideal (total / N) | longest shard, by duration | "
        "longest shard, by count (crc32) | longest file |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in found:
        note = " (longer than the ideal: the bound)" if r.file_bound_applies else ""
        lines.append(
            f"| {r.tier} | {r.files} | {r.total:.1f} s | {r.count} | {r.ideal:.1f} s "
            f"| {r.balanced:.1f} s ({r.balanced / r.ideal:.2f}x) "
            f"| {r.by_count:.1f} s ({r.by_count / r.ideal:.2f}x) "
            f"| `{r.longest_file}` {r.longest_file_seconds:.1f} s{note} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = sorted((ROOT / "build-support" / "ci" / "durations").glob("*.json"))
    parser.add_argument("--records", nargs="+", type=Path, default=default)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks" / "shards.md")
    parser.add_argument(
        "--check", action="store_true", help="fail when a reachable target is missed"
    )
    args = parser.parse_args(argv)
    found: list[Row] = []
    for record in args.records:
        durations = load(record)
        if durations:
            found += rows(record.stem, durations)
    if not found:
        print("shard_simulation: no recorded durations found; record a run first.", file=sys.stderr)
        return 1
    text = table(found)
    print(text)
    header = (
        "# Shards: longest shard against the ideal\n\n"
        "Written by `python3 bench/shard_simulation.py` from the recorded durations in "
        "`build-support/ci/durations/` (seconds per test file; a file Pants ran alone counts its "
        "whole process). By duration: `shard_plan.py`, what `build-support/ci/gha_tier --shard` "
        "runs. By count: each file to shard crc32(path) mod N, as Pants' `--test-shard` assigns "
        f"addresses. Target: at most {TARGET}x the ideal for N = 2 and 4.\n\n"
    )
    notes = []
    for r in found:
        if r.count in TARGET_COUNTS and not r.meets_target():
            why = (
                f"{r.longest_file} alone takes {r.longest_file_seconds:.1f} s, more than the ideal"
                if r.file_bound_applies
                else "the plan misses although the longest file allows it"
            )
            notes.append(f"{r.tier}, N = {r.count}: {r.balanced / r.ideal:.2f}x the ideal: {why}.")
    print("\n".join(notes))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    bullets = "".join(f"- {note}\n" for note in notes)
    args.output.write_text(
        header + text + "\n" + (f"\nMissed targets:\n\n{bullets}" if notes else "")
    )
    missed = [
        r
        for r in found
        if r.count in TARGET_COUNTS and not r.meets_target() and not r.file_bound_applies
    ]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
