"""Canaries of the OS-level seal, in scratch pytest sessions of the backend: libpq over TCP,
libpq over the unix socket, and a child process that connects each fail in a unit-only session
(`pytest -m unit`, as a Pants unit batch is) and pass in an integration one.

pytest-socket alone lets all three through (it patches Python's `socket` module only).
Integration tier: the integration sessions connect to the real PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tier_canaries.scratch_backend import scratch_backend, start_pytest

pytestmark = pytest.mark.integration

_URL = urlsplit(
    os.environ.get("JOBPIPE_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
)
HOST, PORT = _URL.hostname or "127.0.0.1", _URL.port or 5432
DSN = f"dbname={_URL.path.lstrip('/')} user={_URL.username or 'postgres'}"
SOCKET_DIR = "/var/run/postgresql"

CANARIES = {
    "libpq_tcp": f"psycopg.connect('host={HOST} port={PORT} {DSN}', connect_timeout=5).close()",
    "libpq_unix": f"psycopg.connect('host={SOCKET_DIR} port={PORT} {DSN}', connect_timeout=5)"
    ".close()",
    "child_process": "subprocess.run([sys.executable, '-c', 'import socket; "
    f"socket.create_connection((\"{HOST}\", {PORT}), timeout=5).close()'], check=True)",
}
SCRATCH_TEST = """
import subprocess
import sys

import psycopg
import pytest

pytestmark = pytest.mark.{tier}


def test_canary():
    {body}
"""
OS_SEALED = (
    "tiers seal: OS level: every selected test is 'unit', so connect(2) is denied (EACCES) for "
    "the rest of this session and its child processes, C clients included"
)
FIX = (
    "    fix: use a fake (fakeredis, in-memory repositories), or move it to the integration "
    "tier (its directory's BUILD `__defaults__` and its `pytestmark`)."
)
# What each says in the unit tier: the violation, or (a child's connect, which the session
# cannot attribute) the child's own error.
UNIT_SAYS = {
    "libpq_tcp": [
        f"test_scratch.py::test_canary: this 'unit' test tried to connect to {HOST}:{PORT}, "
        "and that tier is hermetic (connect(2) is denied at the OS level in this session).",
        FIX,
    ],
    "libpq_unix": [
        f"test_scratch.py::test_canary: this 'unit' test tried to connect to "
        f"{SOCKET_DIR}/.s.PGSQL.{PORT}, and that tier is hermetic (connect(2) is denied at the "
        "OS level in this session).",
        FIX,
    ],
    "child_process": ["PermissionError: [Errno 13] Permission denied"],
}


def _run(tmp_path: Path, canary: str, tier: str) -> str:
    if canary == "libpq_unix" and not Path(SOCKET_DIR, f".s.PGSQL.{PORT}").exists():
        pytest.skip(f"no PostgreSQL unix socket in {SOCKET_DIR} on this machine")
    source = SCRATCH_TEST.format(tier=tier, body=CANARIES[canary])
    env = scratch_backend(tmp_path, source)
    return start_pytest(tmp_path, env, "-m", tier).communicate(timeout=120)[0]


@pytest.mark.parametrize("canary", CANARIES)
def test_fails_in_the_unit_tier(tmp_path: Path, canary: str) -> None:
    output = _run(tmp_path, canary, "unit")
    lines = output.splitlines()
    assert "1 failed" in lines[-1], output
    assert OS_SEALED in lines, output
    expected = UNIT_SAYS[canary]
    start = lines.index(expected[0]) if expected[0] in lines else -1
    assert lines[start : start + len(expected)] == expected, output


@pytest.mark.parametrize("canary", CANARIES)
def test_passes_in_the_integration_tier(tmp_path: Path, canary: str) -> None:
    output = _run(tmp_path, canary, "integration")
    assert "1 passed" in output.splitlines()[-1], output
    assert "tiers seal: not needed: no selected test is 'unit'" in output.splitlines(), output
