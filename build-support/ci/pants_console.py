"""Pants' per-run result lines, read from a console log: what ran, how long, and from where.

Pants 2.17 prints one line per test run (a file, or a batch of files) at the end of `test`:

    ✓ tests/ci/test_x.py succeeded in 0.45s (memoized).
    ✓ tests/ci/test_y.py:tests and 2 other files succeeded in 1.20s (cached locally).
    ✕ backend/tests/integration/adapters/test_z.py failed in 3.10s.

A line without a source in parentheses ran; `memoized` (this pantsd already had it),
`cached locally` and `cached remotely` did not (their time is the original run's).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SOURCES = ("ran", "memoized", "cached locally", "cached remotely")
CACHE_SOURCES = SOURCES[1:]
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_RESULT = re.compile(
    r"^(?P<sigil>[✓✕]) (?P<what>.+) (?P<status>succeeded|failed)"
    r"(?: in (?P<seconds>[0-9.]+)s)?(?: \((?P<source>[^)]*)\))?\.$"
)


@dataclass(frozen=True)
class RunResult:
    """One test run as Pants reported it."""

    what: str  # a file or target address, or "ADDRESS and N other files" for a batch
    succeeded: bool
    seconds: float | None
    source: str  # one of SOURCES


def run_results(lines: Iterable[str]) -> list[RunResult]:
    found = []
    for raw in lines:
        match = _RESULT.match(_ANSI.sub("", raw).strip())
        if not match:
            continue
        said = match["source"] or "ran"
        # With environments Pants says e.g. "cached locally for docker environment `x`".
        source = next((s for s in CACHE_SOURCES if said.startswith(s)), "ran")
        seconds = float(match["seconds"]) if match["seconds"] else None
        found.append(RunResult(match["what"], match["status"] == "succeeded", seconds, source))
    return found


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

    @property
    def hit_rate(self) -> str:
        return f"{100 * self.cached / self.runs:.0f}%" if self.runs else "n/a"

    def text(self) -> str:
        if not self.runs:
            return "0 of 0"
        detail = ", ".join(f"{self.by_source[s]} {s}" for s in CACHE_SOURCES if self.by_source[s])
        return f"{self.cached} of {self.runs}" + (f" ({detail})" if detail else "")

    def breakdown(self) -> str:
        """`2 ran, 3 memoized, 0 cached locally, 0 cached remotely; hit rate 60%`."""
        counts = ", ".join(f"{self.by_source[s]} {s}" for s in SOURCES)
        return f"{counts}; hit rate {self.hit_rate} ({self.cached} of {self.runs} test runs)"


def run_sources(results: Iterable[RunResult]) -> RunSources:
    return RunSources(Counter(r.source for r in results))
