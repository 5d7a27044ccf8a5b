"""Which test files a change selects, and why, from Pants' own `--changed-since` answer.

One `peek` of `--changed-since=BASE --changed-dependents=transitive` returns every changed
target and every transitive dependent, each with its direct dependencies. Everything on a path
from a selected test to a changed file is in that set (each hop is itself a dependent), so the
reason for each test ("depends on X") is computed from this one answer, with no further Pants
call per test. The selection itself is the set `test` runs with the same flags plus
`--filter-target-type=python_test --tag=TIER`: the `python_test` targets carrying the tier tag.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scoping.build_files import is_build_file

from pytest_tiers.messages import ProblemError


class PantsError(ProblemError):
    """A Pants query failed; the message carries the command and the end of its stderr."""


@dataclass(frozen=True)
class Target:
    address: str
    target_type: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    dependencies: tuple[str, ...]
    resolve: str | None = None
    # The python_requirement's `requirements` (empty for other targets).
    requirements: tuple[str, ...] = ()
    # The names of the fields that hold a value (e.g. `uses`, set by the services plugin).
    set_fields: frozenset[str] = frozenset()
    skip_tests: bool = False

    @property
    def directory(self) -> str:
        """The directory of the BUILD file that declares this target."""
        spec = self.address.split("#", 1)[0].split(":", 1)[0].removeprefix("//")
        return _parent(spec) if spec in self.sources else spec

    def is_test_of(self, tier: str) -> bool:
        """The targets `--filter-target-type=python_test --tag=TIER test` runs (`peek` lists
        `skip_tests=True` targets too; `test` never runs them)."""
        return self.target_type == "python_test" and tier in self.tags and not self.skip_tests


def _parent(path: str) -> str:
    parent = str(PurePosixPath(path).parent)
    return "" if parent == "." else parent


def parse_peek(output: str) -> dict[str, Target]:
    """Targets by address from `pants peek` JSON (Pants prints nothing when none matched)."""
    if not output.strip():
        return {}
    return {
        raw["address"]: Target(
            address=raw["address"],
            target_type=raw["target_type"],
            tags=tuple(raw.get("tags") or ()),
            sources=tuple(raw.get("sources") or ()),
            dependencies=tuple(raw.get("dependencies") or ()),
            skip_tests=bool(raw.get("skip_tests")),
            resolve=raw.get("resolve"),
            requirements=tuple(raw.get("requirements") or ()),
            set_fields=frozenset(k for k, v in raw.items() if v not in (None, False, "", [], {})),
        )
        for raw in json.loads(output)
    }


@dataclass(frozen=True)
class SelectedTest:
    path: str
    changed: bool
    depends_on: tuple[str, ...]

    @property
    def reason(self) -> str:
        parts = ["changed"] if self.changed else []
        if self.depends_on:
            parts.append("depends on " + ", ".join(self.depends_on))
        if not parts:
            return "selected by Pants' --changed-since (no changed file on its dependency path)"
        return "; ".join(parts)


def target_file(target: Target) -> str:
    """A test target's file (its address when it has none)."""
    return target.sources[0] if target.sources else target.address


def _changed_files_of(target: Target, changed: frozenset[str]) -> set[str]:
    """The changed files a target stands for: its sources and the BUILD file declaring it."""
    own = {source for source in target.sources if source in changed}
    own.update(
        path for path in changed if is_build_file(path) and _parent(path) == target.directory
    )
    return own


def _reachable(start: str, graph: Mapping[str, Target]) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for dep in graph[stack.pop()].dependencies:
            if dep in graph and dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


def select(
    graph: Mapping[str, Target],
    changed: Iterable[str],
    tier: str,
    replaced: Iterable[str] = (),
) -> list[SelectedTest]:
    """The tier's test files in the changed-and-dependents graph, each with its reason.

    `replaced`: changed files whose scope rule replaces the graph's answer (a lockfile, which
    every requirement of its resolve depends on): a test reached only through them is left
    to that rule."""
    changed_set = frozenset(changed)
    replaced_set = frozenset(replaced)
    selected = []
    for target in graph.values():
        if not target.is_test_of(tier):
            continue
        own_file = target_file(target)
        reached: set[str] = set()
        for address in _reachable(target.address, graph):
            reached |= _changed_files_of(graph[address], changed_set)
        if reached and reached <= replaced_set and own_file not in changed_set:
            continue
        reached -= replaced_set
        selected.append(
            SelectedTest(
                path=own_file,
                changed=own_file in changed_set,
                depends_on=tuple(sorted(reached - {own_file})),
            )
        )
    return sorted(selected, key=lambda s: s.path)


class Pants:
    """Runs Pants in a repository; `command` is how to start it (default: the repo's ./pants)."""

    def __init__(self, repo: Path, command: Sequence[str]) -> None:
        self.repo = repo
        self.command = list(command)
        self._help: dict[str, Any] | None = None

    def query(self, *args: str) -> str:
        argv = [*self.command, *args]
        result = subprocess.run(argv, cwd=self.repo, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = "\n".join(result.stderr.strip().splitlines()[-15:])
            raise PantsError(
                str(self.repo),
                f"`{' '.join(argv)}` failed (exit {result.returncode}):\n{tail}\n",
                "fix what Pants reports above, then re-run.",
            )
        return result.stdout

    def option(self, scope: str, key: str) -> Any:
        """An option's value as Pants resolves it here (pants.toml, the files that
        PANTS_CONFIG_FILES names, PANTS_* variables, .pants.rc); None if the scope is unknown."""
        if self._help is None:
            self._help = json.loads(self.query("help-all"))["scope_to_help_info"]
        scopes = self._help
        if scope not in scopes:
            return None
        for option in (*scopes[scope]["basic"], *scopes[scope]["advanced"]):
            if option["config_key"] == key:
                return option["value_history"]["ranked_values"][-1]["value"]
        return None

    def changed_graph(self, since: str) -> dict[str, Target]:
        return parse_peek(
            self.query(f"--changed-since={since}", "--changed-dependents=transitive", "peek")
        )

    def whole_graph(self) -> dict[str, Target]:
        """Every target, with its dependencies: the snapshot the scope rules resolve against."""
        return parse_peek(self.query("peek", "::"))

    def source_roots(self) -> list[str]:
        return [r for r in self.query("roots").splitlines() if r.strip()]

    def test_files(self, tier: str, files: Sequence[str], extra: Sequence[str]) -> int:
        return self._run(f"--tag={tier}", "test", *files, *extra)

    def tier_files(self, tier: str) -> list[str]:
        tests = parse_peek(
            self.query(f"--tag={tier}", "--filter-target-type=python_test", "peek", "::")
        )
        return sorted(target_file(t) for t in tests.values() if t.is_test_of(tier))

    def test_tier(self, tier: str, extra: Sequence[str]) -> int:
        return self._run(f"--tag={tier}", "test", "::", *extra)

    def _run(self, *args: str) -> int:
        argv = [*self.command, *args]
        print(f"+ {' '.join(argv)}", flush=True)
        return subprocess.run(argv, cwd=self.repo, check=False).returncode
