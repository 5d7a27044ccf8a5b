"""Alembic migrations, run programmatically (no alembic.ini): the app's startup, the admin
command and the integration tests all call `run_migrations`.

`env.py` and `versions/` are loaded by Alembic from this directory at run time, not imported;
the BUILD file declares them as dependencies so Pants ships them.

Alembic is imported when migrations run, not with this module: a worker that does not migrate
on startup, and every integration-test process that clones an already migrated template, would
otherwise pay for importing it (about a third of a second of CPU each).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from jobpipe.adapters.postgres_engine import create_postgres_engine

if TYPE_CHECKING:
    from alembic.config import Config

_SCRIPT_LOCATION = Path(__file__).resolve().parent


def alembic_config(connection: Connection) -> Config:
    """An Alembic config that runs on an already-open connection (see env.py)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


async def _run(database_url: str, schema: str | None, upgrade: bool, revision: str) -> None:
    engine = create_postgres_engine(database_url, search_path=schema)
    try:
        async with engine.begin() as conn:
            # API and worker may start together: serialise migrations of one schema.
            lock_name = f"jobpipe-migrations:{schema or 'public'}"
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:n))"), {"n": lock_name})
            if schema is not None:
                if '"' in schema:
                    raise ValueError(f"unsafe schema name {schema!r}")
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))

            def migrate(sync_conn: Connection) -> None:
                from alembic import command

                config = alembic_config(sync_conn)
                if upgrade:
                    command.upgrade(config, revision)
                else:
                    command.downgrade(config, revision)

            await conn.run_sync(migrate)
    finally:
        await engine.dispose()


async def run_migrations(
    database_url: str, *, schema: str | None = None, revision: str = "head"
) -> None:
    """Upgrade the database (or one schema of it) to `revision`."""
    await _run(database_url, schema, upgrade=True, revision=revision)


async def downgrade_migrations(
    database_url: str, *, schema: str | None = None, revision: str = "base"
) -> None:
    """Downgrade to `revision` (by default, drop everything the migrations created)."""
    await _run(database_url, schema, upgrade=False, revision=revision)
