"""Fixtures for the integration tier: real PostgreSQL and Redis, reached through the URLs in
`JOBPIPE_DATABASE_URL` / `JOBPIPE_REDIS_URL` (localhost defaults, see jobpipe.settings).

Each test gets its own PostgreSQL schema and its own Redis key prefix, and removes them
afterwards, so tests running in parallel processes never see each other's data.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from jobpipe.adapters.postgres_engine import create_postgres_engine
from jobpipe.adapters.postgres_tables import metadata
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.settings import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
async def pg_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    schema = f"test_{uuid.uuid4().hex}"
    admin = create_postgres_engine(settings.database_url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_postgres_engine(settings.database_url, search_path=schema)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def pg_session(pg_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(pg_engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
async def redis_client(settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(settings.redis_url)
    yield client
    await client.aclose()


@pytest.fixture
async def keys(redis_client: Redis) -> AsyncIterator[KeySpace]:
    keyspace = KeySpace(prefix=f"test:{uuid.uuid4().hex}")
    yield keyspace
    stale = [key async for key in redis_client.scan_iter(match=f"{keyspace.prefix}:*")]
    if stale:
        await redis_client.delete(*stale)
