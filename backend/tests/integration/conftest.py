"""Fixtures for the integration tier, for every test below this directory: real PostgreSQL
and Redis, reached through the URLs in `JOBPIPE_DATABASE_URL` / `JOBPIPE_REDIS_URL` (localhost
defaults, see jobpipe.settings).

Isolation, so that tests running in parallel processes never see each other's data:
- PostgreSQL: each pytest process gets its own database, cloned from a migrated template (see
  process_database), and each test starts with every table empty. Tests of the migrations
  themselves get a fresh schema of their own.
- Redis: each test gets its own key prefix, and removes its keys afterwards. Prefixes carry
  their creation time, so that what a killed run could not remove is swept by later runs once
  it is clearly abandoned (an hour old), never while its run may still be going.
"""

from __future__ import annotations

import asyncio
import os
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
from jobpipe.adapters.postgres_tables import metadata
from jobpipe.adapters.postgres_unit_of_work import PostgresUnitOfWork
from jobpipe.adapters.redis_client import create_redis_client
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.settings import Settings
from pytest_tiers.services import from_default, from_environment, unreachable
from tests.integration.process_database import ProcessDatabase

ABANDONED_AFTER_SECONDS = 3600
_PREFIX_NAME = re.compile(rb"^test:(\d+):[0-9a-f]+:")
_TRUNCATE = "TRUNCATE {} RESTART IDENTITY CASCADE".format(
    ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
)


def _unique_suffix() -> str:
    return f"{int(time.time())}_{uuid.uuid4().hex[:16]}"


def _abandoned(created: bytes | str) -> bool:
    return time.time() - int(created) > ABANDONED_AFTER_SECONDS


@pytest.fixture(scope="session")
def process_database_url(pytestconfig: pytest.Config) -> str:
    """This process's own database, cloned from the migrated template, dropped when pytest
    exits. Defined once, here, so pytest sets it up once per session. It lives on an event
    loop of its own, since the connection holding its claim spans all tests."""
    server_url = Settings().database_url
    loop = asyncio.new_event_loop()
    try:
        database = loop.run_until_complete(ProcessDatabase.create(server_url))
    except OSError as e:
        loop.close()
        variable = f"{Settings.model_config.get('env_prefix', '')}DATABASE_URL"
        source = from_environment(variable) if variable in os.environ else from_default(variable)
        fixture = f"{os.path.relpath(__file__, pytestconfig.rootpath)}::process_database_url"
        problem = unreachable("postgres", server_url, variable, source, str(e), location=fixture)
        raise pytest.fail.Exception(problem.render(), pytrace=False) from None

    def drop() -> None:
        try:
            loop.run_until_complete(database.drop())
        finally:
            loop.close()

    pytestconfig.add_cleanup(drop)
    return database.url


@pytest.fixture
def base_settings(process_database_url: str) -> Settings:
    return Settings(database_url=process_database_url)


@pytest.fixture
async def empty_schema(base_settings: Settings) -> AsyncIterator[str]:
    """A fresh, empty schema, dropped with everything in it afterwards."""
    schema = f"test_{_unique_suffix()}"
    admin = create_postgres_engine(base_settings.database_url)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield schema
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def pg_schema(base_settings: Settings, empty_schema: str) -> str:
    """A schema of its own, migrated by this test (for tests of the migrations)."""
    await run_migrations(base_settings.database_url, schema=empty_schema)
    return empty_schema


@pytest.fixture
async def pg_engine(base_settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on this process's database, every table emptied first."""
    engine = create_postgres_engine(base_settings.database_url)
    async with engine.begin() as conn:
        await conn.execute(text(_TRUNCATE))
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
async def redis_client() -> AsyncIterator[Redis]:
    client = create_redis_client(Settings().redis_url)
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
def isolated_settings(base_settings: Settings, pg_engine: AsyncEngine, keys: KeySpace) -> Settings:
    """Settings for an app or worker confined to this process's (emptied) database and this
    test's key prefix."""
    return base_settings.model_copy(
        update={
            "redis_key_prefix": keys.prefix,
            "run_migrations_on_startup": False,
            "worker_poll_seconds": 0.2,
        }
    )
