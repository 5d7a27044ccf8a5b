"""Canary for the integration tier's parallel isolation (backend/tests/integration/conftest.py).

Two scratch pytest processes run at once, as Pants runs them with `[pytest].execution_slot_var`:
slots 1 and 2. Each writes the same row (a user with one fixed, unique name) and the same
logical Redis key, waits until the other has written too, and then must read back only its own
writes. Without a database per process the second insert would collide with, or see, the first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tier_canaries.scratch_backend import scratch_backend, start_pytest

pytestmark = pytest.mark.integration

SAME_ROW_AND_KEY = """
import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.integration.conftest import *  # noqa: F403

pytestmark = pytest.mark.integration

SLOT = os.environ["JOBPIPE_EXECUTION_SLOT"]
BARRIER = Path(os.environ["CANARY_BARRIER"])


async def wait_for_the_other_slot() -> None:
    (BARRIER / f"{os.getpid()}.written").touch()
    for _ in range(600):
        if len(list(BARRIER.glob("*.written"))) == 2:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the other slot never wrote: the two processes did not overlap")


async def test_same_row_and_key_from_two_slots(pg_session, redis_client, keys):
    await pg_session.execute(
        text(
            "INSERT INTO users (id, name, plan, api_key_hash, beta) "
            "VALUES (gen_random_uuid(), 'canary', 'free', :hash, false)"
        ),
        {"hash": f"hash-of-slot-{SLOT}"},
    )
    await pg_session.commit()
    await redis_client.set(keys.sequence, SLOT)
    await wait_for_the_other_slot()
    rows = (await pg_session.execute(text("SELECT name, api_key_hash FROM users"))).all()
    assert [tuple(row) for row in rows] == [("canary", f"hash-of-slot-{SLOT}")]
    assert await redis_client.get(keys.sequence) == SLOT.encode()
"""


def test_two_slots_writing_the_same_row_and_key_do_not_see_each_other(tmp_path: Path) -> None:
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = scratch_backend(tmp_path, SAME_ROW_AND_KEY, CANARY_BARRIER=str(barrier))
    runs = [start_pytest(tmp_path, {**env, "JOBPIPE_EXECUTION_SLOT": slot}) for slot in ("1", "2")]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    for run, output in zip(runs, outputs):
        assert run.returncode == 0, output
        assert "1 passed" in output, output
