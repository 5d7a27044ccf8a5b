"""Scopes of the files that configure tests by where they are: BUILD `__defaults__`, conftest.py
and pytest configuration files.

- `__defaults__` apply to every target declared below their directory, and a test that depends
  on such a target sees the change too (a default can change a source's resolve or
  dependencies); Pants marks only the BUILD file's own targets as changed.
- pytest imports a `conftest.py` for the tests below its directory, and nothing else.
- pytest takes a test's configuration from the nearest file with a pytest section walking up
  from the test (`pytest_tiers.config_files.PYTEST_CONFIG_NAMES`); so a configuration reaches
  the tests below it minus those below a nearer configuration. A candidate without a pytest
  section only decides the rootdir when no configuration exists at all, so an edit that leaves
  its pytest section as it was reaches nothing.
"""

from __future__ import annotations

import ast
import configparser
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import tomllib

from pytest_tiers.config_files import CONFTEST_NAME, PYTEST_CONFIG_NAMES
from scoping.scope import NOTHING, Reach, Scope, below_pattern, directory_of, is_below


@dataclass(frozen=True)
class FileTexts:
    """A changed file's text before and after the change (None: absent on that side)."""

    before: str | None
    after: str | None


class Unreadable(Exception):
    """A file cannot be parsed, so what it configures cannot be bounded by its content."""


def defaults_calls(source: str) -> list[str] | None:
    """Each `__defaults__(...)` call in a BUILD file as an `ast.dump` (comparable across
    edits, blind to comments and layout); None when the file does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return [
        ast.dump(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "__defaults__"
    ]


def calls_defaults(source: str) -> bool | None:
    """Whether a BUILD file calls `__defaults__(...)`; None when it does not parse."""
    calls = defaults_calls(source)
    return None if calls is None else bool(calls)


def build_file_scope(path: str, texts: FileTexts) -> Scope | None:
    """A BUILD file whose `__defaults__` differ before and after (None: Pants' graph covers it)."""
    directory = directory_of(path)
    sides = {"before": texts.before, "after": texts.after}
    calls = {side: defaults_calls(src) for side, src in sides.items() if src is not None}
    for side, found in calls.items():
        if found is None:
            return Scope(
                path,
                f"a BUILD file that does not parse {side} the change (cannot rule out "
                "`__defaults__`)",
                _targets_below(directory),
            )
    both = texts.before is not None and texts.after is not None
    if both and ast.dump(ast.parse(texts.before or "")) == ast.dump(ast.parse(texts.after or "")):
        # Layout or comments only: the same targets, so nothing Pants would call changed.
        return Scope(
            path,
            "a BUILD file whose syntax tree did not change (layout or comments only)",
            NOTHING,
            replaces_graph=True,
        )
    if calls.get("before", []) == calls.get("after", []):
        return None
    why = "child directories inherit them, and Pants does not mark those as changed"
    if calls.get("after"):
        return Scope(
            path, f"a BUILD file whose `__defaults__` changed ({why})", _targets_below(directory)
        )
    return Scope(
        path,
        f"a BUILD file whose `__defaults__` the change removed ({why})",
        _targets_below(directory),
    )


def _targets_below(directory: str) -> Reach:
    return Reach(
        below=(directory,),
        dependents_below=(directory,),
        described=f"targets in {below_pattern(directory)} and the tests that depend on them",
    )


def conftest_scope(path: str) -> Scope | None:
    if PurePosixPath(path).name != CONFTEST_NAME:
        return None
    directory = directory_of(path)
    return Scope(
        path,
        "a pytest conftest (pytest loads it for the tests below its directory)",
        Reach(below=(directory,), described=below_pattern(directory)),
    )


def pytest_section(path: str, text: str) -> Any:
    """The pytest section of a configuration file as pytest reads it; None when it has none
    (a `pytest.ini` always counts, even empty). Raises Unreadable."""
    name = PurePosixPath(path).name
    if name.endswith(".toml"):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise Unreadable(f"not valid TOML ({e})") from e
        if name == "pyproject.toml":
            return data.get("tool", {}).get("pytest")
        return data.get("pytest", {})
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as e:
        raise Unreadable(f"not a valid INI file ({e})") from e
    section = "tool:pytest" if name == "setup.cfg" else "pytest"
    if parser.has_section(section):
        return dict(parser[section])
    return {} if name in ("pytest.ini", ".pytest.ini") else None


def _configures(path: str, text: str) -> bool:
    try:
        return pytest_section(path, text) is not None
    except Unreadable:
        return False  # no shield: the wider scope is the safe one


def pytest_config_scope(
    path: str, texts: FileTexts, current_configs: Mapping[str, str]
) -> Scope | None:
    """`current_configs`: every file in the tree now with a `PYTEST_CONFIG_NAMES` name, by
    path, with its text (the nearer configurations that shield tests from this one)."""
    if PurePosixPath(path).name not in PYTEST_CONFIG_NAMES:
        return None
    directory = directory_of(path)
    try:
        sections = [
            pytest_section(path, text) for text in (texts.before, texts.after) if text is not None
        ]
    except Unreadable as e:
        return Scope(
            path,
            f"a pytest configuration file that cannot be read ({e}), so every test below it",
            Reach(below=(directory,), described=below_pattern(directory)),
        )
    if texts.before is not None and texts.after is not None and sections[0] == sections[1]:
        return Scope(
            path,
            "a file whose pytest section did not change (pytest reads nothing else in it)",
            NOTHING,
        )
    if texts.before is None or texts.after is None:
        what = "a pytest configuration file that was added or deleted"
    else:
        what = "a pytest configuration file whose pytest section changed"
    shields = sorted(
        {
            directory_of(other)
            for other, text in current_configs.items()
            if directory_of(other) != directory
            and is_below(directory_of(other), directory)
            and _configures(other, text)
        }
    )
    described = below_pattern(directory) + (
        " except " + ", ".join(below_pattern(s) for s in shields) if shields else ""
    )
    return Scope(
        path,
        f"{what} (pytest applies it to the tests below it that have no nearer configuration)",
        Reach(below=(directory,), shielded=tuple(shields), described=described),
    )
