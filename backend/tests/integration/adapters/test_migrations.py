"""Alembic migrations on real PostgreSQL: they build exactly the schema the code expects, and
downgrade back to nothing."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from jobpipe.adapters.migrations import downgrade_migrations, run_migrations
from jobpipe.adapters.postgres_engine import create_postgres_engine
from jobpipe.adapters.postgres_tables import metadata
from jobpipe.settings import Settings

pytestmark = pytest.mark.integration

TABLES = {"users", "projects", "jobs", "artifacts"}


async def inspect_schema(settings: Settings, schema: str, probe):
    engine = create_postgres_engine(settings.database_url, search_path=schema)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(probe)
    finally:
        await engine.dispose()


def tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def enum_types(conn: Connection) -> set[str]:
    rows = conn.execute(
        text(
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = current_schema() AND t.typtype = 'e'"
        )
    )
    return {row[0] for row in rows}


async def test_upgrade_creates_every_table_and_type(
    base_settings: Settings, empty_schema: str
) -> None:
    await run_migrations(base_settings.database_url, schema=empty_schema)
    assert await inspect_schema(base_settings, empty_schema, tables) == TABLES | {"alembic_version"}
    assert await inspect_schema(base_settings, empty_schema, enum_types) == {
        "plan",
        "project_stage",
        "job_state",
    }


async def test_migrated_schema_matches_the_table_definitions(
    base_settings: Settings, pg_schema: str
) -> None:
    """Autogenerate finds nothing to do: no table, column, index or constraint drifted."""

    def differences(conn: Connection) -> list:
        return compare_metadata(MigrationContext.configure(conn), metadata)

    assert await inspect_schema(base_settings, pg_schema, differences) == []


async def test_upgrading_twice_is_a_no_op(base_settings: Settings, pg_schema: str) -> None:
    await run_migrations(base_settings.database_url, schema=pg_schema)

    def version(conn: Connection) -> str:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()

    assert await inspect_schema(base_settings, pg_schema, version) == "0001"


async def test_downgrade_removes_everything_and_upgrade_restores_it(
    base_settings: Settings, pg_schema: str
) -> None:
    await downgrade_migrations(base_settings.database_url, schema=pg_schema)
    assert await inspect_schema(base_settings, pg_schema, tables) == {"alembic_version"}
    assert await inspect_schema(base_settings, pg_schema, enum_types) == set()
    await run_migrations(base_settings.database_url, schema=pg_schema)
    assert await inspect_schema(base_settings, pg_schema, tables) >= TABLES


async def test_migrations_stay_inside_their_schema(
    base_settings: Settings, empty_schema: str
) -> None:
    public_before = await inspect_schema(base_settings, "public", tables)
    await run_migrations(base_settings.database_url, schema=empty_schema)
    assert await inspect_schema(base_settings, "public", tables) == public_before
    assert await inspect_schema(base_settings, empty_schema, tables) >= TABLES


async def test_a_missing_schema_is_created(base_settings: Settings, empty_schema: str) -> None:
    nested = f"{empty_schema}_new"
    try:
        await run_migrations(base_settings.database_url, schema=nested)
        assert await inspect_schema(base_settings, nested, tables) >= TABLES
    finally:
        engine = create_postgres_engine(base_settings.database_url)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{nested}" CASCADE'))
        await engine.dispose()
