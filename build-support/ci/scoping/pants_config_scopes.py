"""Scope of a change to Pants' configuration (`pants.toml` and its overlays), by section.

A config file the run does not load (not `pants.toml`, not named by `PANTS_CONFIG_FILES` /
`--pants-config-files`) changes nothing. Otherwise the TOML is compared section by section,
base against now: sections that cannot change a test's process select nothing, a plugin's
section reaches what that plugin's test hooks reach (plugin_scopes.py), and any other
section, or a file that does not parse, reaches every test.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tomllib

from scoping.plugin_scopes import PluginCode
from scoping.scope import NOTHING, WHOLE, Scope, union

# Built-in scopes that only lint, format, report or talk about the build: no test process
# reads them.
INERT_SECTIONS = frozenset(
    {
        "anonymous-telemetry",
        "tailor",
        "update-build-files",
        "lint",
        "fmt",
        "fix",
        "check",
        "generate-lockfiles",
        "export",
        "repl",
        "stats",
        "cli",
        "ruff",
        "flake8",
        "black",
        "isort",
        "pylint",
        "mypy",
        "bandit",
        "autoflake",
        "pyupgrade",
        "docformatter",
        "yapf",
        "pydocstyle",
        "shellcheck",
        "shfmt",
        "hadolint",
        "actionlint",
    }
)
# Keys of inert-free sections that change only how Pants reports, schedules or where results
# are kept: none is in a test process's cache key, so Pants itself answers every unchanged test
# from the cache after such a change (a remote cache returns the result of the very same
# process; more parallelism runs the same processes side by side).
INERT_KEYS = {
    "GLOBAL": frozenset(
        {
            "colors",
            "dynamic_ui",
            "ignore_warnings",
            "level",
            "show_log_target",
            "log_show_rust_3rdparty",
            "log_levels_by_target",
            "print_stacktrace",
            "keep_sandboxes",
            "process_execution_local_parallelism",
            "rule_threads_core",
            "rule_threads_max",
            "pantsd",
            "pantsd_max_memory_usage",
            "pantsd_timeout_when_multiple_invocations",
            "watch_filesystem",
            "remote_cache_read",
            "remote_cache_write",
            "remote_store_address",
            "remote_instance_name",
            "remote_cache_rpc_timeout_millis",
            "remote_cache_warnings",
        }
    ),
    "test": frozenset({"report", "report_dir"}),
}


def is_pants_config(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "/" not in path and name.startswith("pants.") and name.endswith(".toml")


def _changed_keys(before: dict[str, Any], after: dict[str, Any]) -> dict[str, set[str]]:
    changed: dict[str, set[str]] = {}
    for section in before.keys() | after.keys():
        old, new = before.get(section), after.get(section)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changed[section] = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
        else:
            changed[section] = {"*"}
    return changed


def pants_config_scope(
    path: str,
    before: str | None,
    after: str | None,
    loaded: Iterable[str],
    plugins: PluginCode,
) -> Scope | None:
    """`loaded`: the config files this run reads (repository-relative paths)."""
    if not is_pants_config(path):
        return None
    if path not in set(loaded):
        return Scope(
            path,
            "a Pants config file this run does not load (PANTS_CONFIG_FILES does not name it)",
            NOTHING,
        )
    try:
        old = tomllib.loads(before) if before is not None else {}
        new = tomllib.loads(after) if after is not None else {}
    except tomllib.TOMLDecodeError as e:
        return Scope(path, f"Pants configuration that does not parse ({e})", WHOLE)
    changed = _changed_keys(old, new)
    reaches, whys = [], []
    for section, keys in sorted(changed.items()):
        if section in INERT_SECTIONS:
            continue
        if "*" not in keys and keys <= INERT_KEYS.get(section, frozenset()):
            continue
        found = plugins.scope_of_options(section, keys)
        if found is not None:
            reach, member_whys = found
            if not reach.is_empty:
                reaches.append(reach)
                whys.append(f"[{section}] ({'; '.join(member_whys)})")
            continue
        reaches.append(WHOLE)
        shown = ", ".join(sorted(keys - {"*"})) or "the whole section"
        whys.append(f"[{section}] {shown} (can change every test's process)")
    sections = ", ".join(f"[{s}]" for s in sorted(changed)) or "no section"
    if not reaches:
        return Scope(
            path,
            f"Pants configuration whose changed sections ({sections}) cannot change a test's "
            "process",
            NOTHING,
        )
    return Scope(path, "Pants configuration: " + "; ".join(whys), union(reaches))
