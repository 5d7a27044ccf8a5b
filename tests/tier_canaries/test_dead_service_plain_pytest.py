"""Canary: under plain pytest, an integration test whose PostgreSQL is down fails at setup with
the services catalog's message (where, what, how to start it), as the Pants check does.

Integration tier: it needs loopback, to be refused by a closed port (no service)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tier_canaries.scratch_backend import scratch_backend, start_pytest

pytestmark = pytest.mark.integration

DEAD_URL = "postgresql+asyncpg://postgres@127.0.0.1:1/test"
NEEDS_POSTGRES = """
import pytest

from tests.integration.conftest import *  # noqa: F403

pytestmark = pytest.mark.integration


async def test_needs_postgres(pg_engine):
    pass
"""


def test_a_dead_postgres_fails_at_setup_naming_url_source_and_fix(tmp_path: Path) -> None:
    env = scratch_backend(tmp_path, NEEDS_POSTGRES, JOBPIPE_DATABASE_URL=DEAD_URL)
    output = start_pytest(tmp_path, env).communicate(timeout=120)[0]
    assert "1 error" in output, output
    assert (
        f"::process_database_url: postgres (PostgreSQL) at {DEAD_URL} (from "
        "$JOBPIPE_DATABASE_URL) is not reachable: " in output
    ), output
    assert "    fix: start PostgreSQL, then re-run:" in output, output
    assert "sudo service postgresql start" in output, output
    assert "or set JOBPIPE_DATABASE_URL to the URL of a running PostgreSQL" in output, output
