"""Fixtures for the integration tier: real PostgreSQL and Redis, reached through the URLs in
`JOBPIPE_DATABASE_URL` / `JOBPIPE_REDIS_URL` (localhost defaults, see jobpipe.settings).

Each test gets its own PostgreSQL schema (migrated with the real Alembic migrations) and its
own Redis key prefix, and removes both afterwards, so tests running in parallel processes never
see each other's data. Integration conftest files import these fixtures.

Names carry their creation time, so that what a killed test run could not remove is swept by
later runs once it is clearly abandoned (an hour old), never while its run may still be going.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from jobpipe.adapters.migrations import run_migrations
from jobpipe.adapters.postgres_engine import create_postgres_engine, create_session_factory
from jobpipe.adapters.postgres_unit_of_work import PostgresUnitOfWork
from jobpipe.adapters.redis_client import create_redis_client
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.settings import Settings

ABANDONED_AFTER_SECONDS = 3600
_SCHEMA_NAME = re.compile(r"^test_(\d+)_[0-9a-f]+$")
_PREFIX_NAME = re.compile(rb"^test:(\d+):[0-9a-f]+:")


def _unique_suffix() -> str:
    return f"{int(time.time())}_{uuid.uuid4().hex[:16]}"


def _abandoned(created: bytes | str) -> bool:
    return time.time() - int(created) > ABANDONED_AFTER_SECONDS


@pytest.fixture
def base_settings() -> Settings:
    return Settings()


@pytest.fixture
async def empty_schema(base_settings: Settings) -> AsyncIterator[str]:
    """A fresh, empty schema, dropped with everything in it afterwards."""
    schema = f"test_{_unique_suffix()}"
    admin = create_postgres_engine(base_settings.database_url)
    try:
        async with admin.begin() as conn:
            names = await conn.scalars(text("SELECT nspname FROM pg_namespace"))
            for name in names.all():
                match = _SCHEMA_NAME.match(name)
                if match and _abandoned(match.group(1)):
                    await conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield schema
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def pg_schema(base_settings: Settings, empty_schema: str) -> str:
    """A schema migrated to the latest revision."""
    await run_migrations(base_settings.database_url, schema=empty_schema)
    return empty_schema


@pytest.fixture
async def pg_engine(base_settings: Settings, pg_schema: str) -> AsyncIterator[AsyncEngine]:
    engine = create_postgres_engine(base_settings.database_url, search_path=pg_schema)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(pg_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(pg_engine)


@pytest.fixture
async def pg_session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture
def uow_factory(session_factory: async_sessionmaker[AsyncSession]):
    return lambda: PostgresUnitOfWork(session_factory)


@pytest.fixture
async def redis_client(base_settings: Settings) -> AsyncIterator[Redis]:
    client = create_redis_client(base_settings.redis_url)
    yield client
    await client.aclose()


@pytest.fixture
async def keys(redis_client: Redis) -> AsyncIterator[KeySpace]:
    abandoned = [
        key
        async for key in redis_client.scan_iter(match="test:*", count=1000)
        if (match := _PREFIX_NAME.match(key)) and _abandoned(match.group(1))
    ]
    if abandoned:
        await redis_client.delete(*abandoned)
    keyspace = KeySpace(prefix=f"test:{_unique_suffix().replace('_', ':')}")
    yield keyspace
    stale = [key async for key in redis_client.scan_iter(match=f"{keyspace.prefix}:*")]
    if stale:
        await redis_client.delete(*stale)


@pytest.fixture
def isolated_settings(base_settings: Settings, pg_schema: str, keys: KeySpace) -> Settings:
    """Settings for an app or worker confined to this test's schema and key prefix."""
    return base_settings.model_copy(
        update={
            "database_schema": pg_schema,
            "redis_key_prefix": keys.prefix,
            "run_migrations_on_startup": False,
            "worker_poll_seconds": 0.2,
        }
    )
