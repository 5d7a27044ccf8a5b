"""Observation and the sealed session, in scratch pytest sessions. Hermetic: every connection
tried here is refused or denied, and observation records the attempt all the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

# Port 9 (discard) on loopback: nothing listens here, and in a network namespace there is no
# loopback at all; either way the connect fails after observation has seen it.
_SUITE = """
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def _try(address, family=socket.AF_INET):
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(address)
        except OSError:
            pass


@pytest.fixture(scope="session")
def pool():
    _try(("127.0.0.1", 5432))
    return "pool"


def test_first(pool):
    pass


def test_second_reuses_the_pool(pool):
    pass


def test_unix_socket():
    _try("/nonexistent/.s.PGSQL.5432", socket.AF_UNIX)


def test_child_process():
    subprocess.run([sys.executable, "-c", "import socket\\ntry:\\n    socket.create_connection(('127.0.0.1', 6379), timeout=1)\\nexcept OSError:\\n    pass"], check=True)


def test_nothing():
    pass
"""


def _observe(scratch: pytest.Pytester, *args: str) -> dict:
    scratch.makepyfile(test_suite=_SUITE)
    report = Path(scratch.path) / "report.json"
    scratch.runpytest_subprocess(f"--tiers-observe={report}", *args)
    return json.loads(report.read_text())


def test_each_test_is_charged_with_its_fixture_closure_and_phase(scratch: pytest.Pytester) -> None:
    report = _observe(scratch)
    tests = report["tests"]
    assert {nodeid: t["outcome"] for nodeid, t in tests.items()} == {
        f"test_suite.py::{name}": "passed"
        for name in ("test_first", "test_second_reuses_the_pool", "test_unix_socket",
                     "test_child_process", "test_nothing")
    }
    (first,) = tests["test_suite.py::test_first"]["reached"]
    assert first["service"] == "postgres"
    assert first["phase"] == "setup"
    fixture = report["fixtures"][first["fixture"]]
    assert (fixture["name"], fixture["scope"]) == ("pool", "session")
    assert fixture["location"] == "test_suite.py:18"  # the decorator line, as pytest reports it
    # The pool was opened during the first test; the second is charged with it all the same.
    assert tests["test_suite.py::test_second_reuses_the_pool"]["reached"] == [first]
    (unix,) = tests["test_suite.py::test_unix_socket"]["reached"]
    assert (unix["kind"], unix["service"], unix["phase"]) == ("unix", "postgres", "call")
    (child,) = tests["test_suite.py::test_child_process"]["reached"]
    assert (child["service"], child["phase"], child["child"]) == ("redis", "call", True)
    assert tests["test_suite.py::test_nothing"]["reached"] == []


def test_the_port_table_is_extended_from_the_configuration(scratch: pytest.Pytester) -> None:
    ini = Path(scratch.path) / "tox.ini"
    ini.write_text(ini.read_text() + "\ntiers_service_ports = 5432=warehouse\n")
    report = _observe(scratch)
    (first,) = report["tests"]["test_suite.py::test_first"]["reached"]
    assert first["service"] == "warehouse"


def test_the_sealed_session_denies_every_connect_and_keeps_asyncio(scratch: pytest.Pytester) -> None:
    scratch.makepyfile(
        test_sealed="""
import asyncio
import errno
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def test_connect_is_denied():
    with pytest.raises(PermissionError) as denied:
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert denied.value.errno == errno.EACCES


def test_a_child_is_denied_too():
    child = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"], capture_output=True, text=True)
    assert "PermissionError" in child.stderr


def test_asyncio_still_works():
    assert asyncio.run(asyncio.sleep(0, result=7)) == 7
"""
    )
    scratch.runpytest_subprocess("--tiers-seal=all").assert_outcomes(passed=3)
