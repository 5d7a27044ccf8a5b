"""What a changed file can reach, and how that maps to a tier's test files.

A rule answers with a `Reach`: nothing, the whole tier, or a union of bounded sets (test files
below directories, tests that are or depend on some targets or files, tests with a plugin
field set, tests of a resolve). `resolve_reach` maps it to the tier's test files using one
snapshot of Pants' target graph, so each rule stays a pure function of paths, texts and graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pants_selection import Target, target_file


@dataclass(frozen=True)
class Reach:
    """The tests a change can affect. Empty: none; `whole`: every test of the tier."""

    whole: bool = False
    # Test files below these directories ("" is the repository root) ...
    below: tuple[str, ...] = ()
    # ... except those below these (a nearer pytest configuration shields them).
    shielded: tuple[str, ...] = ()
    # Tests that are, or transitively depend on, these addresses or files ...
    dependents_of: tuple[str, ...] = ()
    # ... or on any target declared below these directories.
    dependents_below: tuple[str, ...] = ()
    # Tests whose target sets this plugin field (e.g. `uses`).
    with_field: tuple[str, ...] = ()
    # Tests of these resolves (the name Pants uses; the default resolve is named too).
    resolves: tuple[str, ...] = ()
    # How the scope prints, e.g. "backend/tests/unit/**".
    described: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.whole
            or self.below
            or self.dependents_of
            or self.dependents_below
            or self.with_field
            or self.resolves
        )


NOTHING = Reach()
WHOLE = Reach(whole=True)


def union(reaches: Iterable[Reach]) -> Reach:
    found = [r for r in reaches if not r.is_empty]
    if any(r.whole for r in found):
        return WHOLE
    if not found:
        return NOTHING
    return Reach(
        below=tuple(dict.fromkeys(d for r in found for d in r.below)),
        shielded=tuple(dict.fromkeys(d for r in found for d in r.shielded)),
        dependents_of=tuple(dict.fromkeys(a for r in found for a in r.dependents_of)),
        dependents_below=tuple(dict.fromkeys(d for r in found for d in r.dependents_below)),
        with_field=tuple(dict.fromkeys(f for r in found for f in r.with_field)),
        resolves=tuple(dict.fromkeys(n for r in found for n in r.resolves)),
        described="; ".join(dict.fromkeys(r.described for r in found if r.described)),
    )


@dataclass(frozen=True)
class Scope:
    """One changed file's reach, with the reason printed beside it."""

    path: str
    reason: str
    reach: Reach
    # True when this scope replaces what Pants' graph says about the file (a lockfile's
    # target is a dependency of every requirement of its resolve: the diff is narrower).
    replaces_graph: bool = False

    def line(self, tier: str) -> str:
        if self.reach.whole:
            return f"escalated: whole {tier} tier because {self.path} is {self.reason}"
        if self.reach.is_empty:
            return f"no effect: {self.path} selects no {tier} test because it is {self.reason}"
        return f"scoped: {self.reach.described} because {self.path} is {self.reason}"


def directory_of(path: str) -> str:
    parent = str(PurePosixPath(path).parent)
    return "" if parent == "." else parent


def is_below(path: str, directory: str) -> bool:
    return directory == "" or path.startswith(directory.rstrip("/") + "/")


def below_pattern(directory: str) -> str:
    return f"{directory}/**" if directory else "**"


@dataclass(frozen=True)
class TierGraph:
    """The whole target graph (one `pants peek ::`), and which resolve is the default."""

    targets: Mapping[str, Target]
    default_resolve: str | None = None
    _dependents: dict[str, set[str]] = field(default_factory=dict, compare=False, repr=False)

    def tests(self, tier: str) -> list[Target]:
        return sorted(
            (t for t in self.targets.values() if t.is_test_of(tier)), key=lambda t: t.address
        )

    def owners(self, path_or_address: str) -> set[str]:
        """The targets an address names, or whose sources hold a file."""
        if path_or_address in self.targets:
            return {path_or_address}
        return {a for a, t in self.targets.items() if path_or_address in t.sources}

    def dependents(self, addresses: Iterable[str]) -> set[str]:
        """The addresses and everything that transitively depends on them."""
        if not self._dependents:
            for address, target in self.targets.items():
                for dep in target.dependencies:
                    self._dependents.setdefault(dep, set()).add(address)
        seen = set(addresses)
        stack = list(seen)
        while stack:
            for dependent in self._dependents.get(stack.pop(), ()):
                if dependent not in seen:
                    seen.add(dependent)
                    stack.append(dependent)
        return seen

    def resolve_of(self, target: Target) -> str | None:
        return target.resolve or self.default_resolve


def resolve_reach(reach: Reach, graph: TierGraph, tier: str) -> list[str]:
    """The tier's test files a reach selects (all of them for `whole`)."""
    tests = graph.tests(tier)
    if reach.whole:
        return sorted({target_file(t) for t in tests})
    starts: set[str] = set()
    for item in reach.dependents_of:
        starts |= graph.owners(item)
    starts |= {
        a
        for a, t in graph.targets.items()
        if any(is_below(t.directory, d) or t.directory == d for d in reach.dependents_below)
    }
    reached = graph.dependents(starts) if starts else set()
    selected = set()
    for target in tests:
        path = target_file(target)
        in_dirs = any(is_below(path, d) for d in reach.below) and not any(
            is_below(path, d) for d in reach.shielded
        )
        if (
            in_dirs
            or target.address in reached
            or any(f in target.set_fields for f in reach.with_field)
            or graph.resolve_of(target) in reach.resolves
        ):
            selected.add(path)
    return sorted(selected)
