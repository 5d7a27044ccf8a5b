"""`--tiers-check-uses` in a scratch session laid out as Pants lays out a sandbox: a test that
reaches a service its target does not declare fails, naming test, service, fixture and fix.

Integration tier: the scratch tests connect to a loopback listener of this test's own (the port
table names it `redis`), so no real service is needed, but a network is."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from pytest_tiers.services import declared_uses_file

pytestmark = pytest.mark.integration

SCRATCH = """
import socket

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def queue():
    with socket.create_connection(("127.0.0.1", {port}), timeout=2):
        yield


def test_uses_the_queue(queue):
    pass


def test_reaches_nothing():
    pass
"""


@pytest.fixture
def listener() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def declare(scratch: pytest.Pytester, uses: list[str]) -> None:
    declaration = scratch.path / declared_uses_file("test_scratch.py")
    declaration.parent.mkdir(parents=True, exist_ok=True)
    declaration.write_text(json.dumps({"uses": uses}))


def run(scratch: pytest.Pytester, port: int) -> pytest.RunResult:
    scratch.makepyfile(test_scratch=SCRATCH.format(port=port))
    return scratch.runpytest_subprocess(
        "--tiers-check-uses", "-o", f"tiers_service_ports={port}=redis"
    )


def test_an_undeclared_service_fails_naming_test_service_fixture_and_fix(
    scratch: pytest.Pytester, listener: int
) -> None:
    declare(scratch, ["postgres"])
    result = run(scratch, listener)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            f"test_scratch.py::test_uses_the_queue: it reached redis (127.0.0.1:{listener}) in "
            "the setup of fixture 'queue' (function-scoped, test_scratch.py:8), but its target "
            "declares uses=['postgres'].",
            "    fix: add 'redis' to `uses` (and its URL variable to `extra_env_vars`) in its "
            "BUILD target or its directory's `__defaults__`, or stop reaching it.",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*= tiers: tests that reached no service =*",
            "test_scratch.py::test_reaches_nothing: reached no service (Python-level "
            "observation; a C client is not seen): a candidate for the hermetic tier",
        ]
    )


def test_a_declared_service_passes(scratch: pytest.Pytester, listener: int) -> None:
    declare(scratch, ["redis"])
    run(scratch, listener).assert_outcomes(passed=2)


def test_without_a_declaration_nothing_is_checked(
    scratch: pytest.Pytester, listener: int
) -> None:
    run(scratch, listener).assert_outcomes(passed=2)
