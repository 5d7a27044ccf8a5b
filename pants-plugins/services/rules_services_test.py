"""The `uses` check as Pants runs it, where no probe reaches the network: configuration errors
and a skipped check; and the file that tells pytest what each test declares. The probes
themselves are in rules_services_integration_test.py."""

from __future__ import annotations

import json

import pytest
from pants.backend.python.goals.pytest_runner import PytestPluginSetup
from pants.engine.addresses import Address
from pants.engine.fs import DigestContents
from pants.engine.internals.scheduler import ExecutionError
from pants.testutil.rule_runner import RuleRunner

from services.declared_uses import DeclaredUsesRequest
from services.rules import ServicesCheckRequest
from services.rules_test_support import SERVICES_OPTIONS, new_rule_runner, run_check

pytestmark = pytest.mark.unit

# Never probed: a probe of it would fail the test (and, with no network, fail to connect).
DEAD_URL = "postgresql://postgres@127.0.0.1:1/x"


@pytest.fixture
def rule_runner() -> RuleRunner:
    return new_rule_runner()


def test_targets_without_uses_are_not_checked(rule_runner: RuleRunner) -> None:
    rule_runner.write_files({"tests/BUILD": "python_tests()", "tests/test_a.py": ""})
    target = rule_runner.get_target(Address("tests", relative_file_path="test_a.py"))
    assert not ServicesCheckRequest.is_applicable(target)


def test_the_check_can_be_skipped(rule_runner: RuleRunner) -> None:
    build = 'python_tests(uses=["postgres"], extra_env_vars=["APP_DB_URL"])'
    setup = run_check(rule_runner, build, "--services-skip", env={"APP_DB_URL": DEAD_URL})
    assert setup == PytestPluginSetup()


def test_a_url_variable_missing_from_extra_env_vars_is_a_config_error(
    rule_runner: RuleRunner,
) -> None:
    with pytest.raises(ExecutionError) as error:
        run_check(rule_runner, 'python_tests(uses=["redis"])')
    assert (
        "ServicesConfigError: tests/test_a.py: uses=['redis'] names 'redis', but its URL "
        "variable APP_REDIS_URL is not in the target's extra_env_vars, so its tests would not "
        "see the URL that was checked.\n"
        '    fix: add "APP_REDIS_URL" to extra_env_vars in the BUILD file (or its __defaults__).'
    ) in str(error.value)


def test_a_service_missing_from_services_options_is_a_config_error(
    rule_runner: RuleRunner,
) -> None:
    with pytest.raises(ExecutionError) as error:
        run_check(
            rule_runner,
            'python_tests(uses=["redis"], extra_env_vars=["APP_REDIS_URL"])',
            '--services-env-vars={"postgres": "APP_DB_URL"}',
        )
    assert (
        "ServicesConfigError: tests/test_a.py: uses=['redis'] names 'redis', but [services] in "
        "pants.toml has no env_vars entry for it.\n"
        '    fix: add `env_vars = {"redis" = "APP_REDIS_URL"}` and a matching `default_urls` '
        "entry under [services]."
    ) in str(error.value)


def test_an_unknown_service_is_rejected_with_the_known_ones(rule_runner: RuleRunner) -> None:
    rule_runner.write_files({"tests/BUILD": 'python_tests(uses=["mysql"])', "tests/test_a.py": ""})
    with pytest.raises(ExecutionError) as error:
        rule_runner.get_target(Address("tests", relative_file_path="test_a.py"))
    assert "uses" in str(error.value) and "['postgres', 'redis']" in str(error.value)


@pytest.mark.parametrize(
    ("build", "declared"),
    [
        (
            'python_tests(uses=["redis", "postgres"], '
            'extra_env_vars=["APP_DB_URL", "APP_REDIS_URL"])',
            ["postgres", "redis"],
        ),
        ("python_tests()", []),
    ],
)
def test_every_test_file_tells_pytest_what_its_target_declares(
    rule_runner: RuleRunner, build: str, declared: list[str]
) -> None:
    rule_runner.write_files({"tests/BUILD": build, "tests/test_a.py": ""})
    rule_runner.set_options(SERVICES_OPTIONS)
    target = rule_runner.get_target(Address("tests", relative_file_path="test_a.py"))
    setup = rule_runner.request(PytestPluginSetup, [DeclaredUsesRequest(target)])
    contents = rule_runner.request(DigestContents, [setup.digest])
    assert [(c.path, json.loads(c.content)) for c in contents] == [
        (".pytest-tiers/uses/tests/test_a.py.json", {"uses": declared})
    ]
