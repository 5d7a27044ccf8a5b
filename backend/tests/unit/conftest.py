"""Fixtures of the unit tier, for every test below this directory: fakes only, nothing here
connects."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.unit.fakes import FakeWorld, make_world


@pytest.fixture
async def world() -> AsyncIterator[FakeWorld]:
    fake = make_world()
    yield fake
    await fake.redis.aclose()
