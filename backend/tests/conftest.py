"""Fixtures shared by every tier. Only fakes live here: nothing in this file connects."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes import FakeWorld, make_world


@pytest.fixture
async def world() -> AsyncIterator[FakeWorld]:
    fake = make_world()
    yield fake
    await fake.redis.aclose()
