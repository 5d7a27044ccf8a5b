"""Canary: this very process, when it runs only unit tests (a Pants unit batch, `pytest -m
unit`), is sealed at the OS level: libpq over TCP and over the unix socket, and a child
process, all get EACCES, with no service and no network needed. In a session that mixes tiers
the seal does not apply: there this canary fails, saying how to run it."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from pytest_tiers.plugin import guard, settings

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _sealed_session(request: pytest.FixtureRequest) -> None:
    tier_settings = settings(request.config)
    assert tier_settings is not None
    assert all(tier_settings.is_hermetic(item) for item in request.session.items), (
        "this session mixes tiers, and the OS-level seal applies to unit-only sessions: run this "
        "canary in one (`./pants --tag=unit test tests/tier_canaries::`, or `pytest -m unit`)"
    )
    assert guard(request.config) == "os"


@pytest.mark.parametrize(
    ("conninfo", "said"),
    [
        (
            "host=127.0.0.1 port=5432 dbname=test user=postgres",
            'connection to server at "127.0.0.1", port 5432 failed: Permission denied',
        ),
        (
            "host=/var/run/postgresql port=5432 dbname=test user=postgres",
            'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: '
            "Permission denied",
        ),
    ],
)
def test_libpq_is_denied(conninfo: str, said: str) -> None:
    with pytest.raises(psycopg.OperationalError) as denied:
        psycopg.connect(conninfo, connect_timeout=5)
    assert said in str(denied.value)


def test_a_child_process_is_denied() -> None:
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import socket; socket.create_connection(('127.0.0.1', 5432), timeout=5)",
        ],
        capture_output=True,
        text=True,
    )
    assert child.returncode == 1
    assert child.stderr.splitlines()[-1] == "PermissionError: [Errno 13] Permission denied"
