"""A RuleRunner wired with the services plugin, shared by its unit and integration tests."""

from __future__ import annotations

from pants.backend.python import target_types_rules as python_target_types_rules
from pants.backend.python.goals.pytest_runner import PytestPluginSetup
from pants.backend.python.target_types import PythonTestsGeneratorTarget, PythonTestTarget
from pants.core.util_rules import adhoc_binaries
from pants.engine.addresses import Address
from pants.testutil.rule_runner import QueryRule, RuleRunner

from services import declared_uses, rules
from services.declared_uses import DeclaredUsesRequest
from services.rules import ServicesCheckRequest
from services.target_types import target_types_rules

SERVICES_OPTIONS = [
    '--services-env-vars={"postgres": "APP_DB_URL", "redis": "APP_REDIS_URL"}',
    '--services-default-urls={"postgres": "postgresql://127.0.0.1:5432/x", '
    '"redis": "redis://127.0.0.1:6379/0"}',
    "--services-check-timeout=1",
]


def new_rule_runner() -> RuleRunner:
    return RuleRunner(
        rules=[
            *rules.rules(),
            *declared_uses.rules(),
            *target_types_rules(),
            *adhoc_binaries.rules(),
            *python_target_types_rules.rules(),
            QueryRule(PytestPluginSetup, [ServicesCheckRequest]),
            QueryRule(PytestPluginSetup, [DeclaredUsesRequest]),
        ],
        target_types=[PythonTestsGeneratorTarget, PythonTestTarget],
    )


def run_check(rule_runner: RuleRunner, build: str, *options: str, env: dict | None = None):
    rule_runner.write_files({"tests/BUILD": build, "tests/test_a.py": ""})
    rule_runner.set_options([*SERVICES_OPTIONS, *options], env=env or {})
    target = rule_runner.get_target(Address("tests", relative_file_path="test_a.py"))
    assert ServicesCheckRequest.is_applicable(target)
    return rule_runner.request(PytestPluginSetup, [ServicesCheckRequest(target)])
