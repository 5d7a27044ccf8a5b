"""Scope of a lockfile change: the tests of its own resolve that can see the changed pins.

A pex lockfile (JSON after its `//` header) pins each project of a resolve. A test sees a
project when it depends, through Pants' graph, on a requirement target whose closure in the
lock reaches the project. pytest itself, its plugins (loaded for every test through their
`pytest11` entry points, whatever the test imports) and their closure are seen by every test
that runs with this resolve's pytest: a change there reaches every test of the resolve, and
every test of every resolve when this resolve is `[pytest].install_from_resolve` (Pants builds
each test's pytest from it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pants_selection import Target

from scoping.scope import NOTHING, WHOLE, Reach, Scope

# PEP 503 normalisation, and the project name at the start of a PEP 508 requirement string.
_NORMALISE = re.compile(r"[-_.]+")
_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _scope(path: str, reason: str, reach: Reach) -> Scope:
    return Scope(path, reason, reach, replaces_graph=True)


def canonical(name: str) -> str:
    return _NORMALISE.sub("-", name).lower()


def requirement_name(requirement: str) -> str | None:
    match = _NAME.match(requirement)
    return canonical(match.group(1)) if match else None


@dataclass(frozen=True)
class LockedProject:
    version: str
    # What an install of it depends on: its artifacts and its dependencies (names).
    artifacts: tuple[str, ...]
    requires: tuple[str, ...]


class UnreadableLock(Exception):
    pass


def parse_lock(text: str) -> tuple[dict[str, LockedProject], Any]:
    """(projects by canonical name, everything else in the lock that shapes an install)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    try:
        data = json.loads(body)
        projects: dict[str, LockedProject] = {}
        for resolve in data["locked_resolves"]:
            for req in resolve["locked_requirements"]:
                name = canonical(req["project_name"])
                projects[name] = LockedProject(
                    version=str(req["version"]),
                    artifacts=tuple(sorted(a.get("hash", "") for a in req.get("artifacts", ()))),
                    requires=tuple(
                        sorted(
                            n
                            for n in (requirement_name(r) for r in req.get("requires_dists", ()))
                            if n
                        )
                    ),
                )
        settings = {k: v for k, v in data.items() if k not in ("locked_resolves", "requirements")}
        settings["platform_tags"] = [r.get("platform_tag") for r in data["locked_resolves"]]
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise UnreadableLock(f"not a pex lockfile ({type(e).__name__}: {e})") from e
    return projects, settings


def changed_projects(before: str | None, after: str | None) -> tuple[set[str], bool]:
    """(projects whose pin or dependencies changed, whether the install settings changed)."""
    old, old_settings = parse_lock(before) if before is not None else ({}, None)
    new, new_settings = parse_lock(after) if after is not None else ({}, None)
    changed = {n for n in old.keys() | new.keys() if old.get(n) != new.get(n)}
    return changed, (before is not None and after is not None and old_settings != new_settings)


def _closure(start: Iterable[str], requires: Mapping[str, Iterable[str]]) -> set[str]:
    seen = set(start)
    stack = list(seen)
    while stack:
        for dep in requires.get(stack.pop(), ()):
            if dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


def is_pytest_plugin_name(name: str) -> bool:
    return name == "pytest" or name.startswith("pytest-")


@dataclass(frozen=True)
class ResolveFacts:
    """What Pants says about resolves: each lockfile's resolve, the default, pytest's."""

    lockfiles: Mapping[str, str]  # lockfile path -> resolve name
    pytest_resolve: str | None  # [pytest].install_from_resolve
    default_resolve: str | None = None  # [python].default_resolve
    pytest_requirements: tuple[str, ...] = ()  # [pytest].requirements (empty: the whole lock)


def lockfile_scope(
    path: str,
    before: str | None,
    after: str | None,
    facts: ResolveFacts,
    requirement_targets: Iterable[Target],
    test_resolves: set[str],
    registers_pytest_plugin: Callable[[str, str], bool | None],
) -> Scope | None:
    """`requirement_targets`: the graph's python_requirement targets; `test_resolves`: the
    resolves of the test targets; `registers_pytest_plugin(project, version)`: whether its
    installed distribution declares a `pytest11` entry point (None: unknown here)."""
    resolve = facts.lockfiles.get(path)
    if resolve is None:
        if not path.endswith(".lock"):
            return None
        return _scope(path, "a lockfile that no resolve in `[python].resolves` uses", NOTHING)
    runs_pytest = resolve == facts.pytest_resolve
    if resolve not in test_resolves and not runs_pytest:
        return _scope(path, f"the lockfile of resolve {resolve!r}, which no test uses", NOTHING)
    every_test = (
        WHOLE
        if runs_pytest
        else Reach(resolves=(resolve,), described=f"every test of resolve {resolve!r}")
    )
    try:
        changed, settings_changed = changed_projects(before, after)
        projects = {
            name: project
            for text in (before, after)
            if text is not None
            for name, project in parse_lock(text)[0].items()
        }
    except UnreadableLock as e:
        return _scope(path, f"the lockfile of resolve {resolve!r}, {e}", every_test)
    if settings_changed:
        return _scope(
            path, f"the lockfile of resolve {resolve!r}, whose install settings changed", every_test
        )
    if not changed:
        return _scope(
            path,
            f"the lockfile of resolve {resolve!r} with the same pins (only its header or layout changed)",
            NOTHING,
        )
    requires: dict[str, set[str]] = {}
    for text in (before, after):
        if text is not None:
            for name, project in parse_lock(text)[0].items():
                requires.setdefault(name, set()).update(project.requires)
    # What pytest loads for every test: pytest, its plugins, and all they depend on.
    plugins, undecided = set(), set()
    for name, project in projects.items():
        verdict = (
            True if is_pytest_plugin_name(name) else registers_pytest_plugin(name, project.version)
        )
        if verdict:
            plugins.add(name)
        elif verdict is None:
            undecided.add(name)
    # A project of unknown entry points matters when it is, or depends on, a changed one.
    unknown = {n for n in undecided if _closure({n}, requires) & changed}
    if facts.pytest_requirements and runs_pytest:
        plugins |= {n for n in map(requirement_name, facts.pytest_requirements) if n}
    loaded = _closure(plugins, requires)
    hit = sorted(changed & loaded)
    if hit or unknown:
        why = (
            f"it changes {', '.join(hit)}, which pytest loads for every test"
            if hit
            else f"whether {', '.join(sorted(unknown))} registers a pytest plugin (and so loads "
            f"{', '.join(sorted(changed))} for every test) is unknown here "
            "(no installed wheel to read its entry points from)"
        )
        return _scope(path, f"the lockfile of resolve {resolve!r}, and {why}", every_test)
    # Requirement targets whose project's closure reaches a changed project.
    addresses = []
    for target in requirement_targets:
        if (target.resolve or facts.default_resolve) != resolve:
            continue
        names = {n for n in map(requirement_name, target.requirements) if n}
        if _closure(names, requires) & changed:
            addresses.append(target.address)
    return _scope(
        path,
        f"the lockfile of resolve {resolve!r}, which changes {', '.join(sorted(changed))}",
        Reach(
            dependents_of=tuple(sorted(addresses)),
            described="tests that depend on " + (", ".join(sorted(addresses)) or "nothing"),
        ),
    )
