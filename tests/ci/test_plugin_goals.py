"""Goals ./pants runs in every tier run reach every test (scoping/plugin_scopes.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from launcher.facts import LAUNCHER
from scoping.pants_config_scopes import pants_config_scope
from scoping.plugin_scopes import GOALS_IN_TEST_RUNS, PluginCode, plugin_file_scope

pytestmark = pytest.mark.unit

PLUGIN = {
    "p/t/register.py": "from t import goal, report\n",
    "p/t/subsystem.py": (
        "class TiersSubsystem(GoalSubsystem):\n    name = 'tiers'\n"
        "    names = StrListOption(default=[])\n    integration_only = StrListOption(default=[])\n"
    ),
    "p/t/goal.py": (
        "from t.subsystem import TiersSubsystem\n"
        "class SelectionSubsystem(GoalSubsystem):\n    name = 'tier-selection'\n"
        "class SelectionGoal(Goal):\n    subsystem_cls = SelectionSubsystem\n"
    ),
    "p/t/report.py": "class ReportSubsystem(GoalSubsystem):\n    name = 'tier-report'\n",
}
CODE = PluginCode(PLUGIN, ["p"], ["t"])
TOML = '[tiers]\nnames = ["unit", "integration"]\nintegration_only = ["a"]\n'


def test_the_goal_and_what_it_imports_reach_every_test() -> None:
    for path in ("p/t/goal.py", "p/t/subsystem.py"):
        scope = plugin_file_scope(path, False, CODE)
        assert scope is not None and scope.reach.whole, path
        assert "runs in every tier run" in scope.reason, scope.reason


def test_a_goal_that_runs_apart_reaches_nothing() -> None:
    scope = plugin_file_scope("p/t/report.py", False, CODE)
    assert scope is not None and scope.reach.is_empty


def test_only_the_options_the_goal_reads_reach_every_test() -> None:
    names = pants_config_scope(
        "pants.toml", TOML, TOML.replace('"integration"]', '"integration", "e2e"]'),
        ["pants.toml"], CODE,
    )
    assert names is not None and names.reach.whole
    other = pants_config_scope(
        "pants.toml", TOML, TOML.replace('["a"]', '["b"]'), ["pants.toml"], CODE
    )
    assert other is not None and other.reach.is_empty


def test_the_launcher_adds_exactly_these_goals(tmp_path: Path) -> None:
    """GOALS_IN_TEST_RUNS and the launcher's add_tier_selection name the same goals."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(LAUNCHER, root / "pants")
    (root / "pants.toml").write_text(
        '[GLOBAL]\npants_version = "2.17.1"\nbackend_packages = ["tiers"]\n'
        '[pex-cli]\nversion = "v2.1.137"\n'
    )
    typed = ["--tag=unit", "test", "::"]
    script = f'source "{root / "pants"}"; add_tier_selection "$@"; printf "%s\\n" "${{CHECKED[@]}}"'
    result = subprocess.run(
        ["bash", "-c", script, "bash", *typed],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    added = set(result.stdout.splitlines()) - set(typed)
    assert added == set(GOALS_IN_TEST_RUNS)
