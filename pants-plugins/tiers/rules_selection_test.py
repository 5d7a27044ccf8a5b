from __future__ import annotations

import pytest
from pants.testutil.rule_runner import RuleRunner

from tiers.rules_test_support import new_rule_runner
from tiers.selection_goal import TierSelectionGoal

pytestmark = pytest.mark.unit

REPO = {
    "tests/unit/BUILD": 'python_tests(tags=["unit"])\n',
    "tests/unit/test_a.py": "",
    "tests/integration/BUILD": 'python_tests(tags=["integration"])\n',
    "tests/integration/test_b.py": "",
    "src/BUILD": 'python_sources(tags=["unit"])\n',
    "src/lib.py": "",
}


@pytest.fixture
def rule_runner() -> RuleRunner:
    rule_runner = new_rule_runner()
    rule_runner.write_files(REPO)  # type: ignore[arg-type]
    return rule_runner


def run(rule_runner: RuleRunner, tag: str, *args: str):  # type: ignore[no-untyped-def]
    return rule_runner.run_goal_rule(TierSelectionGoal, global_args=[f"--tag={tag}"], args=args)


def test_a_misspelt_tier_fails_naming_the_tier(rule_runner: RuleRunner) -> None:
    result = run(rule_runner, "unti", "::")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "--tag=unti: 'unti' is not a tier, and it looks like a misspelling of 'unit' (the tiers, "
        "`[tiers].names`: unit, integration); with it no test would run.",
        "    fix: use --tag=unit.",
    ]


def test_a_path_without_tests_of_the_tier_fails(rule_runner: RuleRunner) -> None:
    # src/ has a target tagged `unit`, but no test: selecting it tests nothing.
    for path in ("tests/integration::", "src::"):
        result = run(rule_runner, "unit", path)
        assert result.exit_code == 1, path
        assert "no test was selected" in result.stderr


def test_a_tier_with_tests_passes_silently(rule_runner: RuleRunner) -> None:
    result = run(rule_runner, "unit", "::")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_an_empty_selection_can_be_allowed(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(
        TierSelectionGoal,
        global_args=["--tag=unit", "--tiers-allow-empty-selection"],
        args=["tests/integration::"],
    )
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_change_that_affects_nothing_succeeds_and_says_so(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(
        TierSelectionGoal, global_args=["--tag=unit", "--changed-since=HEAD"], args=[]
    )
    assert result.exit_code == 0
    assert result.stderr == (
        "tier-selection: nothing affected since HEAD: no test target to run.\n"
    )
