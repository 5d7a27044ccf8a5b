"""Which tests a change reaches beyond what `--changed-since` sees: one scope per changed file
that configures tests from outside the target graph.

Pants 2.17 maps changed files to the targets that own them and walks dependents. Some changes
alter how tests run without being owned by, or reachable from, the tests they affect (field
notes, "Changed-since quirks"). Each rule in `scoping/` bounds such a change to the tests it
can reach (a directory, a resolve, the targets a plugin hook applies to, the former importers
of a deleted module) and the whole tier only when nothing smaller is safe. This module only
dispatches: `scopes` is a pure function of the changed paths, their texts on both sides, the
facts Pants reports and one snapshot of the target graph, so every rule is tested cheaply.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from scoping.build_files import is_build_file
from scoping.deleted_modules import deleted_module_scope
from scoping.lockfile_scopes import ResolveFacts, lockfile_scope
from scoping.pants_config_scopes import is_pants_config, pants_config_scope
from scoping.plugin_scopes import PluginCode, plugin_file_scope
from scoping.pytest_scopes import FileTexts, build_file_scope, conftest_scope, pytest_config_scope
from scoping.python_imports import PYTHON_SUFFIXES
from scoping.requirements_scopes import requirements_file_scope
from scoping.scope import WHOLE, Scope, TierGraph

from pytest_tiers.config_files import CONFTEST_NAME, PYTEST_CONFIG_NAMES

LAUNCHER = "pants"


def is_requirements_file(path: str) -> bool:
    return fnmatch.fnmatchcase(PurePosixPath(path).name, "*requirements*.txt")


@dataclass(frozen=True)
class Changed:
    path: str
    existed_before: bool
    exists_now: bool

    @property
    def deleted(self) -> bool:
        return self.existed_before and not self.exists_now


def needs_texts(path: str) -> bool:
    """Whether a rule reads this changed file's text (both sides)."""
    name = PurePosixPath(path).name
    return (
        is_build_file(path)
        or name in PYTEST_CONFIG_NAMES
        or name.endswith(".lock")
        or is_requirements_file(path)
        or is_pants_config(path)
    )


@dataclass(frozen=True)
class PantsFacts:
    """What Pants reports about this run's configuration (through `help-all`)."""

    config_files: tuple[str, ...] = ("pants.toml",)  # repository-relative, loaded this run
    pythonpath: tuple[str, ...] = ()  # repository-relative [GLOBAL].pythonpath entries
    backend_packages: tuple[str, ...] = ()
    prelude_globs: tuple[str, ...] = ()  # [GLOBAL].build_file_prelude_globs
    resolves: ResolveFacts = field(
        default_factory=lambda: ResolveFacts(lockfiles={}, pytest_resolve=None)
    )
    source_roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeFacts:
    changed: Sequence[Changed]
    texts: Mapping[str, FileTexts]  # both sides of each path `needs_texts` accepts
    graph: TierGraph
    pants: PantsFacts
    current_configs: Mapping[str, str] = field(default_factory=dict)  # pytest config files now
    plugin_sources: Mapping[str, str] = field(default_factory=dict)  # .py under pythonpath now
    base_sources: Mapping[str, str] = field(default_factory=dict)  # .py at the base revision
    registers_pytest_plugin: Callable[[str, str], bool | None] = lambda name, version: None


def _unread(path: str) -> Scope:
    return Scope(path, "a file whose text was not read (cannot bound what it configures)", WHOLE)


def scopes(facts: ChangeFacts) -> list[Scope]:
    """One scope per changed file a rule applies to (the rest is Pants' graph alone)."""
    plugins = PluginCode(facts.plugin_sources, facts.pants.pythonpath, facts.pants.backend_packages)
    targets = list(facts.graph.targets.values())
    requirement_targets = [t for t in targets if t.target_type == "python_requirement"]
    test_resolves = {
        r for t in targets if t.target_type == "python_test" and (r := facts.graph.resolve_of(t))
    }
    lockfiles = set(facts.pants.resolves.lockfiles)
    changed_paths = {c.path for c in facts.changed}
    deleted = {c.path for c in facts.changed if c.deleted}
    test_code = frozenset(
        source
        for t in targets
        if t.target_type in ("python_test", "python_test_utils")
        for source in t.sources
    )
    found: list[Scope] = []
    for change in sorted(facts.changed, key=lambda c: c.path):
        path = change.path
        name = PurePosixPath(path).name
        texts = facts.texts.get(path)
        scope: Scope | None = None
        if (needs_texts(path) or path in lockfiles) and texts is None:
            scope = _unread(path)
        elif path == LAUNCHER:
            scope = Scope(
                path, "the Pants launcher (it chooses the Pants version and its flags)", WHOLE
            )
        elif any(fnmatch.fnmatchcase(path, g) for g in facts.pants.prelude_globs):
            scope = Scope(
                path,
                "a BUILD prelude (its macros can change any BUILD file that calls them)",
                WHOLE,
            )
        elif is_build_file(path):
            assert texts is not None
            scope = build_file_scope(path, texts)
        elif name == CONFTEST_NAME:
            scope = conftest_scope(path)
        elif name in PYTEST_CONFIG_NAMES:
            assert texts is not None
            scope = pytest_config_scope(path, texts, facts.current_configs)
        elif is_pants_config(path):
            assert texts is not None
            scope = pants_config_scope(
                path, texts.before, texts.after, facts.pants.config_files, plugins
            )
        elif name.endswith(".lock") or path in lockfiles:
            assert texts is not None
            scope = lockfile_scope(
                path,
                texts.before,
                texts.after,
                facts.pants.resolves,
                requirement_targets,
                test_resolves,
                facts.registers_pytest_plugin,
            )
        elif is_requirements_file(path):
            assert texts is not None
            scope = requirements_file_scope(
                path,
                texts.before,
                texts.after,
                targets,
                requirement_targets,
                lockfile_changed=bool(changed_paths & lockfiles),
                pytest_resolve=facts.pants.resolves.pytest_resolve,
                test_resolves=test_resolves,
            )
        if scope is None and name.endswith(PYTHON_SUFFIXES):
            scope = plugin_file_scope(path, change.deleted, plugins, test_code)
            if scope is None and change.deleted:
                scope = deleted_module_scope(
                    path,
                    facts.base_sources,
                    facts.pants.source_roots,
                    {c for c in facts.base_sources if c not in deleted},
                )
        if scope is not None:
            found.append(scope)
    return found

