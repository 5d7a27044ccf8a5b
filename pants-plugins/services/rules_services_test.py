"""The `uses` check as Pants runs it: RuleRunner with the real probe process."""

from __future__ import annotations

import socket
import threading

import pytest
from pants.backend.python import target_types_rules as python_target_types_rules
from pants.backend.python.goals.pytest_runner import PytestPluginSetup
from pants.backend.python.target_types import PythonTestsGeneratorTarget, PythonTestTarget
from pants.core.util_rules import adhoc_binaries
from pants.engine.addresses import Address
from pants.engine.internals.scheduler import ExecutionError
from pants.testutil.rule_runner import QueryRule, RuleRunner

from services import check
from services.check import ServicesCheckRequest
from services.target_types import target_types_rules

pytestmark = pytest.mark.unit

SERVICES_OPTIONS = [
    '--services-env-vars={"postgres": "APP_DB_URL", "redis": "APP_REDIS_URL"}',
    '--services-default-urls={"postgres": "postgresql://127.0.0.1:5432/x", '
    '"redis": "redis://127.0.0.1:6379/0"}',
    "--services-check-timeout=1",
]


@pytest.fixture
def rule_runner() -> RuleRunner:
    return RuleRunner(
        rules=[
            *check.rules(),
            *target_types_rules(),
            *adhoc_binaries.rules(),
            *python_target_types_rules.rules(),
            QueryRule(PytestPluginSetup, [ServicesCheckRequest]),
        ],
        target_types=[PythonTestsGeneratorTarget, PythonTestTarget],
    )


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"postgresql://postgres@127.0.0.1:{sock.getsockname()[1]}/x"


def run_check(rule_runner: RuleRunner, build: str, *options: str, env: dict | None = None):
    rule_runner.write_files({"tests/BUILD": build, "tests/test_a.py": ""})
    rule_runner.set_options([*SERVICES_OPTIONS, *options], env=env or {})
    target = rule_runner.get_target(Address("tests", relative_file_path="test_a.py"))
    assert ServicesCheckRequest.is_applicable(target)
    return rule_runner.request(PytestPluginSetup, [ServicesCheckRequest(target)])


def test_targets_without_uses_are_not_checked(rule_runner: RuleRunner) -> None:
    rule_runner.write_files({"tests/BUILD": "python_tests()", "tests/test_a.py": ""})
    target = rule_runner.get_target(Address("tests", relative_file_path="test_a.py"))
    assert not ServicesCheckRequest.is_applicable(target)


def test_a_dead_service_fails_naming_target_service_url_and_fix(rule_runner: RuleRunner) -> None:
    url = closed_port_url()
    with pytest.raises(ExecutionError) as error:
        run_check(
            rule_runner,
            'python_tests(uses=["postgres"], extra_env_vars=["APP_DB_URL"])',
            env={"APP_DB_URL": url},
        )
    message = str(error.value)
    assert "tests/test_a.py uses services that are not reachable" in message
    assert f"PostgreSQL (postgres) at {url} (from $APP_DB_URL): cannot connect to" in message
    assert "sudo service postgresql start" in message
    assert "brew services start postgresql@15" in message
    assert "docker run -d -p 5432:5432" in message
    assert "or set APP_DB_URL to the URL of a running PostgreSQL." in message


def test_a_url_fixed_in_extra_env_vars_is_the_one_checked(rule_runner: RuleRunner) -> None:
    url = closed_port_url()
    with pytest.raises(ExecutionError, match=r"at \S+ \(APP_DB_URL in its extra_env_vars\)"):
        run_check(
            rule_runner, f'python_tests(uses=["postgres"], extra_env_vars=["APP_DB_URL={url}"])'
        )


def test_the_check_can_be_switched_off(rule_runner: RuleRunner) -> None:
    build = 'python_tests(uses=["postgres"], extra_env_vars=["APP_DB_URL"])'
    setup = run_check(
        rule_runner, build, "--no-services-check", env={"APP_DB_URL": closed_port_url()}
    )
    assert setup == PytestPluginSetup()


def test_a_url_variable_missing_from_extra_env_vars_is_a_config_error(
    rule_runner: RuleRunner,
) -> None:
    with pytest.raises(ExecutionError) as error:
        run_check(rule_runner, 'python_tests(uses=["redis"])')
    assert (
        "tests/test_a.py: uses=['redis'] names 'redis', but its URL variable APP_REDIS_URL is not "
        "in the target's extra_env_vars" in str(error.value)
    )
    assert 'Add "APP_REDIS_URL" to extra_env_vars' in str(error.value)


def test_a_service_missing_from_services_options_is_a_config_error(
    rule_runner: RuleRunner,
) -> None:
    with pytest.raises(ExecutionError) as error:
        run_check(
            rule_runner,
            'python_tests(uses=["redis"], extra_env_vars=["APP_REDIS_URL"])',
            '--services-env-vars={"postgres": "APP_DB_URL"}',
        )
    assert "[services] in pants.toml has no env_vars entry for it" in str(error.value)


def test_an_unknown_service_is_rejected_with_the_known_ones(rule_runner: RuleRunner) -> None:
    rule_runner.write_files({"tests/BUILD": 'python_tests(uses=["mysql"])', "tests/test_a.py": ""})
    with pytest.raises(ExecutionError) as error:
        rule_runner.get_target(Address("tests", relative_file_path="test_a.py"))
    assert "uses" in str(error.value) and "['postgres', 'redis']" in str(error.value)


def test_a_service_that_answers_lets_pytest_start(rule_runner: RuleRunner) -> None:
    """A fake Redis on a loopback port (in this process; no real service) answers the probe."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"

        def answer() -> None:
            conn, _ = server.accept()
            with conn:
                conn.recv(64)
                conn.sendall(b"+PONG\r\n")

        thread = threading.Thread(target=answer)
        thread.start()
        setup = run_check(
            rule_runner,
            'python_tests(uses=["redis"], extra_env_vars=["APP_REDIS_URL"])',
            env={"APP_REDIS_URL": url},
        )
        thread.join(timeout=5)
    assert setup == PytestPluginSetup()
