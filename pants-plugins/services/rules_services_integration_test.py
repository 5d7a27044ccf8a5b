"""The `uses` check as Pants runs it, with the real probe process: it needs loopback sockets (a
closed port, a fake Redis in this process), though no real service."""

from __future__ import annotations

import socket
import threading

import pytest
from pants.backend.python.goals.pytest_runner import PytestPluginSetup
from pants.engine.internals.scheduler import ExecutionError
from pants.testutil.rule_runner import RuleRunner

from services.rules_test_support import new_rule_runner, run_check

pytestmark = pytest.mark.integration


@pytest.fixture
def rule_runner() -> RuleRunner:
    return new_rule_runner()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_dead_service_fails_naming_target_service_url_and_fix(rule_runner: RuleRunner) -> None:
    port = closed_port()
    url = f"postgresql://postgres@127.0.0.1:{port}/x"
    with pytest.raises(ExecutionError) as error:
        run_check(
            rule_runner,
            'python_tests(uses=["postgres"], extra_env_vars=["APP_DB_URL"])',
            env={"APP_DB_URL": url},
        )
    assert (
        f"ServiceUnavailable: tests/test_a.py: postgres (PostgreSQL) at {url} (from $APP_DB_URL) "
        f"is not reachable: cannot connect to 127.0.0.1:{port}: Connection refused.\n"
        "    fix: start PostgreSQL, then re-run:\n"
        "           Debian/Ubuntu:  sudo apt-get install -y postgresql && "
        "sudo service postgresql start\n"
        "           macOS:          brew install postgresql@15 && "
        "brew services start postgresql@15\n"
        "           container:      docker run -d -p 5432:5432 "
        "-e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:15\n"
        "         or set APP_DB_URL to the URL of a running PostgreSQL; the unit tier needs no "
        "services (`pants --tag=unit test ::`, or `pytest -m unit`)."
    ) in str(error.value)


def test_a_url_fixed_in_extra_env_vars_is_the_one_checked(rule_runner: RuleRunner) -> None:
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/x"
    with pytest.raises(ExecutionError) as error:
        run_check(
            rule_runner, f'python_tests(uses=["postgres"], extra_env_vars=["APP_DB_URL={url}"])'
        )
    assert (
        f"tests/test_a.py: postgres (PostgreSQL) at {url} (APP_DB_URL in its extra_env_vars) "
        "is not reachable: cannot connect to"
    ) in str(error.value)


def test_a_service_that_answers_lets_pytest_start(rule_runner: RuleRunner) -> None:
    """A fake Redis on a loopback port (in this process; no real service) answers the probe."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(5)  # if the probe never comes, fail instead of hanging in accept()
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
