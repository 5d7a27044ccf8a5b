"""When `--changed-since` cannot be trusted: the rules that escalate to a whole tier.

Pants 2.17 maps changed files to the targets that own them and walks dependents. Some changes
alter how tests run without being owned by, or reachable from, any test target (field notes,
"Changed-since quirks"). For those the only correct selection is the whole tier. The rules are
a pure function of the changed paths and the BUILD files' text, so they are tested cheaply.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from pytest_tiers.config_files import CONFTEST_NAME, PYTEST_CONFIG_NAMES

# Pants' default `[GLOBAL].build_patterns`.
BUILD_PATTERNS = ("BUILD", "BUILD.*")
PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True)
class BuildText:
    """A changed BUILD file's text before and after the change (None: absent on that side)."""

    before: str | None
    after: str | None


@dataclass(frozen=True)
class Escalation:
    path: str
    reason: str

    def line(self, tier: str) -> str:
        return f"escalated: whole {tier} tier because {self.path} is {self.reason}"


def is_build_file(path: str) -> bool:
    name = PurePosixPath(path).name
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in BUILD_PATTERNS)


def calls_defaults(source: str) -> bool | None:
    """Whether a BUILD file calls `__defaults__(...)`; None when it does not parse.

    Read with `ast`, so a comment or a string that mentions `__defaults__` does not count.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "__defaults__"
        for node in ast.walk(tree)
    )


def _build_file_reason(text: BuildText) -> str | None:
    """Both sides count: a change that deletes `__defaults__` changes the children too."""
    sides = {"before": text.before, "after": text.after}
    found = {side: calls_defaults(src) for side, src in sides.items() if src is not None}
    for side, result in found.items():
        if result is None:
            return (
                f"a BUILD file that does not parse {side} the change "
                "(cannot rule out `__defaults__`)"
            )
    inherited = "child directories inherit them, and Pants does not mark those as changed"
    if found.get("after"):
        return f"a BUILD file with `__defaults__` ({inherited})"
    if found.get("before"):
        return f"a BUILD file whose `__defaults__` the change removed ({inherited})"
    return None


def _path_reason(path: str, deleted: bool) -> str | None:
    parts = PurePosixPath(path).parts
    name = parts[-1]
    # pytest reads its configuration from the nearest configuration file, and a conftest.py from
    # every ancestor of a test: Pants does not treat them as inputs of the tests they configure.
    if name == CONFTEST_NAME:
        return (
            "a pytest conftest (pytest loads it for every test below it; Pants links it to "
            "tests only through a python_test_utils target and dependency inference)"
        )
    if name in PYTEST_CONFIG_NAMES:
        return (
            "pytest configuration (Pants does not count it as an input of the tests it configures)"
        )
    if len(parts) == 1 and (name == "pants.toml" or fnmatch.fnmatchcase(name, "pants.*.toml")):
        return "Pants configuration (it can change every target's fields and every tool)"
    if name == "pants" and len(parts) == 1:
        return "the Pants launcher (it chooses the Pants version and its flags)"
    if parts[0] == "pants-plugins":
        return "in-repo Pants plugin code (it runs inside Pants, outside the target graph)"
    if name.endswith(".lock") or fnmatch.fnmatchcase(name, "*requirements*.txt"):
        return (
            "a lockfile or requirements file (every test runs on its versions, but a test "
            "that imports only pytest does not depend on it in Pants' graph)"
        )
    if deleted and name.endswith(PYTHON_SUFFIXES):
        return (
            "a deleted Python module (Pants cannot see the dependents of a file that no "
            "longer exists: their imports no longer resolve to it)"
        )
    return None


def escalations(
    changed: Iterable[tuple[str, bool]], build_texts: Mapping[str, BuildText]
) -> list[Escalation]:
    """Why the whole tier must run, one entry per path that forces it (empty: trust Pants).

    `changed` holds (path, deleted) pairs; `build_texts` holds both sides of every changed
    BUILD file. A BUILD file missing from `build_texts` is treated as unreadable.
    """
    found = []
    for path, deleted in sorted(changed):
        if is_build_file(path):
            text = build_texts.get(path)
            reason = (
                _build_file_reason(text)
                if text is not None
                else "a BUILD file whose text was not read (cannot rule out `__defaults__`)"
            )
        else:
            reason = _path_reason(path, deleted)
        if reason is not None:
            found.append(Escalation(path, reason))
    return found
