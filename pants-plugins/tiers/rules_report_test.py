from __future__ import annotations

import json

import pytest
from pants.testutil.rule_runner import RuleRunner

from tiers.report import TiersGoal
from tiers.rules_test_support import new_rule_runner

pytestmark = pytest.mark.unit

REPO = {
    "a/BUILD": 'python_tests(tags=["unit"])\n',
    "a/test_1.py": "",
    "a/test_2.py": "",
    "b/BUILD": 'python_tests(sources=["test_*.py"], tags=["integration"])\npython_test(name="solo", source="solo_test.py", tags=["unit"])\n',
    "b/test_3.py": "",
    "b/solo_test.py": "",
    "c/BUILD": 'python_tests(tags=["unit", "integration"])\n',
    "c/test_4.py": "",
    "d/BUILD": "python_tests()\n",
    "d/test_5.py": "",
}


@pytest.fixture
def rule_runner() -> RuleRunner:
    rule_runner = new_rule_runner()
    rule_runner.write_files(REPO)  # type: ignore[arg-type]
    return rule_runner


def test_text_report(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(TiersGoal, args=["::"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "unit: 2 target(s), 3 file(s)",
        "integration: 1 target(s), 1 file(s)",
        "untagged: 1",
        "  d/test_5.py",
        "conflicting: 1",
        "  c/test_4.py (integration, unit)",
    ]


def test_json_report(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(TiersGoal, args=["--format=json", "::"])
    assert json.loads(result.stdout) == {
        "tiers": {"unit": {"targets": 2, "files": 3}, "integration": {"targets": 1, "files": 1}},
        "untagged": ["d/test_5.py"],
        "conflicting": [{"address": "c/test_4.py", "tiers": ["integration", "unit"]}],
    }


def test_clean_selection_exits_zero(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(TiersGoal, args=["a::", "b::"])
    assert result.exit_code == 0
    assert "untagged" not in result.stdout
