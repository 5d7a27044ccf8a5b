"""The probe against the real services the integration tier uses, and against a closed port."""

from __future__ import annotations

import os
import socket

import pytest

from services.probe import probe

pytestmark = pytest.mark.integration

DATABASE_URL = os.environ.get("JOBPIPE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("JOBPIPE_REDIS_URL", "redis://127.0.0.1:6379/0")


def test_a_running_postgresql_answers() -> None:
    assert probe("postgres", DATABASE_URL, timeout=2) is None


def test_a_running_redis_answers() -> None:
    assert probe("redis", REDIS_URL, timeout=2) is None


def test_postgresql_is_not_mistaken_for_redis() -> None:
    problem = probe("redis", DATABASE_URL, timeout=2)
    assert problem is not None and "does not speak redis" in problem


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_closed_port_is_refused_with_host_and_port() -> None:
    port = closed_port()
    problem = probe("postgres", f"postgresql://postgres@127.0.0.1:{port}/test", timeout=2)
    assert problem is not None and f"cannot connect to 127.0.0.1:{port}" in problem
