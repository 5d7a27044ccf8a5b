"""The replay benchmark's bookkeeping: when the pantsd it keeps warm must be restarted, and
which line of a Pants failure a skipped commit is reported with."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from affected_tests import Plan
from pants_selection import PantsError
from replay_selection import (
    Replayed,
    changes_pants_own_code,
    fraction,
    pants_error_line,
    table,
    widening,
)
from scoping.scope import Reach, Scope

pytestmark = pytest.mark.unit

OWN_CODE = ("pants-plugins", "pants", "pants.toml")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def commit(repo: Path, path: str, text: str) -> str:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git(repo, "add", "--all")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", path)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "--quiet")
    return tmp_path


def test_a_change_to_plugin_code_or_pants_configuration_restarts_pantsd(repo: Path) -> None:
    first = commit(repo, "README.md", "one\n")
    readme = commit(repo, "README.md", "two\n")
    plugin = commit(repo, "pants-plugins/tiers/rules.py", "X = 1\n")
    config = commit(repo, "pants.toml", "[GLOBAL]\n")
    assert not changes_pants_own_code(repo, first, readme, OWN_CODE)
    assert changes_pants_own_code(repo, readme, plugin, OWN_CODE)
    assert changes_pants_own_code(repo, plugin, config, OWN_CODE)
    # Going back counts too: the pantsd then runs the newer code.
    assert changes_pants_own_code(repo, config, first, OWN_CODE)


def test_a_skipped_commit_is_reported_with_pants_own_error_line() -> None:
    error = PantsError(
        "/tmp/tree",
        "`/tmp/tree/pants help-all` failed (exit 1):\n"
        "01:12:29.60 [INFO] Initialization options changed: reinitializing scheduler...\n"
        "01:12:35.80 [ERROR] Invalid option 'attempts' under [tiers] in /tmp/tree/pants.toml\n"
        "Use --print-stacktrace for more error details and/or -ldebug for more logs.\n"
        "Consider reaching out for help: https://www.pantsbuild.org/v2.17/docs/getting-help\n",
        "fix what Pants reports above, then re-run.",
    )
    assert pants_error_line(error) == (
        "01:12:35.80 [ERROR] Invalid option 'attempts' under [tiers] in /tmp/tree/pants.toml"
    )


def test_the_table_names_the_rule_that_widened_each_commit() -> None:
    launcher = Scope("pants", "the Pants launcher", Reach(whole=True))
    below = Reach(below=("tests/unit",), described="tests/unit/**")
    conftest = Scope("tests/unit/conftest.py", "a pytest conftest", below)
    plans = {
        "unit": Plan("unit", (conftest,), ("tests/unit/test_a.py",), (), 4),
        "integration": Plan("integration", (conftest,), (), (), 2),
    }
    whole = {
        "unit": Plan("unit", (launcher,), ("a", "b", "c", "d"), (), 4),
        "integration": Plan("integration", (launcher,), ("e", "f"), (), 2),
    }
    graph = {"unit": Plan("unit", (), (), (), 4), "integration": Plan("integration", (), (), (), 2)}
    assert widening(plans["unit"]) == "scoped: tests/unit/conftest.py (tests/unit/**)"
    assert widening(whole["unit"]) == "whole tier: pants (the Pants launcher)"
    assert widening(graph["unit"]) == "graph only"
    assert fraction(plans["unit"]) == 0.25 and fraction(Plan("unit", (), (), (), 0)) == 0.0
    text = table(
        ["unit", "integration"],
        [
            Replayed("a" * 40, "conftest | edit", plans),
            Replayed("b" * 40, "launcher", whole),
            Replayed("c" * 40, "broken tree", None, "[ERROR] Invalid option"),
        ],
        ["- unit: mean 0.417"],
    )
    rows = text.splitlines()[-3:]
    assert rows == [
        "| aaaaaaaaaa | conftest \\| edit | 1/4 | 0/2 | 0.25 | 0.00 | "
        "scoped: tests/unit/conftest.py (tests/unit/**) |",
        "| bbbbbbbbbb | launcher | 4/4 | 2/2 | 1.00 | 1.00 | "
        "whole tier: pants (the Pants launcher) |",
        "| cccccccccc | broken tree | skipped | skipped | skipped | skipped | "
        "skipped: [ERROR] Invalid option |",
    ]
    assert "- unit: mean 0.417" in text
