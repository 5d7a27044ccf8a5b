"""A RuleRunner wired with the tiers plugin and just enough of the Python backend."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from pants.backend.python import target_types_rules
from pants.backend.python.dependency_inference import rules as dependency_inference_rules
from pants.backend.python.target_types import (
    PythonRequirementTarget,
    PythonSourcesGeneratorTarget,
    PythonSourceTarget,
    PythonTestsGeneratorTarget,
    PythonTestTarget,
    PythonTestUtilsGeneratorTarget,
)
from pants.core.goals.fix import FixResult
from pants.core.goals.lint import LintResult
from pants.core.util_rules.partitions import Partitions
from pants.engine.fs import Snapshot
from pants.testutil.rule_runner import QueryRule, RuleRunner

from tiers import fix, lint, report, selection_goal
from tiers.fix import TiersFixRequest
from tiers.lint import TiersLintRequest

LOCKFILE_WITH_ASYNCIO = """// Pants lockfile header
{"locked_resolves": [{"locked_requirements": [{"project_name": "pytest-asyncio"}]}]}
"""

GOOD_PYPROJECT = """[tool.pytest.ini_options]
asyncio_default_fixture_loop_scope = "function"
markers = ["unit: fast", "integration: slow"]
addopts = "--strict-markers"
tiers = ["unit", "integration"]
"""


def new_rule_runner() -> RuleRunner:
    rule_runner = RuleRunner(
        rules=[
            *lint.rules(),
            *fix.rules(),
            *report.rules(),
            *selection_goal.rules(),
            *target_types_rules.rules(),
            *dependency_inference_rules.rules(),
            QueryRule(Partitions, [TiersLintRequest.PartitionRequest]),
            QueryRule(LintResult, [TiersLintRequest.Batch]),
            QueryRule(Partitions, [TiersFixRequest.PartitionRequest]),
            QueryRule(FixResult, [TiersFixRequest.Batch]),
        ],
        target_types=[
            PythonSourcesGeneratorTarget,
            PythonSourceTarget,
            PythonTestsGeneratorTarget,
            PythonTestTarget,
            PythonTestUtilsGeneratorTarget,
            PythonRequirementTarget,
        ],
    )
    set_options(rule_runner)
    return rule_runner


def set_options(rule_runner: RuleRunner, *extra: str) -> None:
    """The options every test uses, plus `extra` (e.g. `--tiers-skip`)."""
    rule_runner.set_options(
        [
            "--python-enable-resolves",
            "--python-resolves={'python-default': 'default.lock'}",
            "--tiers-integration-only=['3rdparty:asyncpg', 'app/adapters::']",
            "--python-infer-use-rust-parser",
            *extra,
        ],
        env_inherit={"PATH", "PYENV_ROOT", "HOME"},
    )


def start_new_run(rule_runner: RuleRunner) -> None:
    """A new session with the same options and scheduler: what pantsd does for each run."""
    rule_runner.set_session_values({})


def record_calls(monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> list[Any]:
    """Wraps `module.name` so that each call's first argument is recorded in the returned list."""
    calls: list[Any] = []
    real = getattr(module, name)
    monkeypatch.setattr(
        module, name, lambda first, *args: calls.append(first) or real(first, *args)
    )
    return calls


def snapshot_of(rule_runner: RuleRunner, paths: list[str]) -> Snapshot:
    from pants.engine.fs import PathGlobs

    return rule_runner.request(Snapshot, [PathGlobs(paths)])
