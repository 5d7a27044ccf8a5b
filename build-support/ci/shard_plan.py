"""Split a tier's test files into N shards that take about equally long.

Files are weighed by their last recorded durations (durations_record.py); a file the record does
not know weighs the median recorded duration. Longest processing time first: each file, the
longest first, goes to the shard with the least time so far (ties: the lower shard number, then
the path), which is deterministic, so N jobs that compute the plan independently from the same
selection and record agree on it, and within 4/3 of the best possible longest shard. Every file
lands in exactly one shard.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pytest_tiers.messages import ProblemError


class ShardSpecError(ProblemError):
    """A shard that is not `k/N` with 0 <= k < N."""


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(spec: str) -> Shard:
    """`k/N`, numbered from 0 as Pants' `--test-shard` numbers them."""
    index, sep, count = spec.partition("/")
    if sep and index.isdigit() and count.isdigit() and 0 <= int(index) < int(count):
        return Shard(int(index), int(count))
    raise ShardSpecError(
        "--shard",
        f"{spec!r} is not a shard: expected k/N with 0 <= k < N (as Pants' --test-shard).",
        "pass e.g. --shard 0/2 and --shard 1/2 for two shards.",
    )


def weights(files: Iterable[str], durations: Mapping[str, float]) -> dict[str, float]:
    """Each file's recorded duration, or the median of the record for files it lacks."""
    known = [seconds for seconds in durations.values() if seconds >= 0]
    fallback = statistics.median(known) if known else 1.0
    return {path: durations.get(path, fallback) for path in files}


def partition(weighted: Mapping[str, float], count: int) -> list[list[str]]:
    """The files of each of `count` shards (longest processing time first)."""
    shards: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for path in sorted(weighted, key=lambda p: (-weighted[p], p)):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        shards[lightest].append(path)
        loads[lightest] += weighted[path]
    return [sorted(shard) for shard in shards]


def loads(weighted: Mapping[str, float], shards: Sequence[Sequence[str]]) -> list[float]:
    return [sum(weighted[path] for path in shard) for shard in shards]
