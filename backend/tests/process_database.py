"""One PostgreSQL database per test process, cloned from a migrated template.

Running the Alembic migrations costs far more than cloning a database, so they run once per
set of migrations: the first process to need it builds a template database whose name carries
a hash of the migration files, and every pytest process clones its own database from it. The
clone is named after Pants' execution slot (`[pytest].execution_slot_var` sets
JOBPIPE_EXECUTION_SLOT, so at most as many databases as concurrent processes exist), or after
the process id in a plain pytest run. Building and cloning happen under one advisory lock, so
concurrent processes neither migrate twice nor clone a half-built template.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_fixed

from jobpipe.adapters import migrations
from jobpipe.adapters.migrations import run_migrations
from jobpipe.adapters.postgres_engine import create_postgres_engine

SLOT_VAR = "JOBPIPE_EXECUTION_SLOT"
_LOCK = "jobpipe-tests:template-and-clones"


def migrations_fingerprint() -> str:
    """A hash of every migration file: a changed migration gets a new template."""
    root = Path(migrations.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def process_database_name(base: str, environ: dict[str, str] | os._Environ = os.environ) -> str:
    slot = environ.get(SLOT_VAR)
    return f"{base}_slot{int(slot)}" if slot else f"{base}_pid{os.getpid()}"


def with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


async def _autocommit(url: str):
    engine = create_postgres_engine(url)
    conn = await engine.connect()
    return engine, await conn.execution_options(isolation_level="AUTOCOMMIT")


async def _exists(conn: AsyncConnection, name: str) -> bool:
    found = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    return found is not None


async def _ddl(conn: AsyncConnection, statement: str) -> None:
    """DDL that may briefly find the database still in use by a just-closed connection."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(lambda e: "is being accessed by other users" in str(e)),
        stop=stop_after_attempt(20),
        wait=wait_fixed(0.1),
        reraise=True,
    ):
        with attempt:
            await conn.execute(text(statement))


async def _build_template(conn: AsyncConnection, server_url: str, template: str) -> None:
    building = f"{template}_new"  # renamed only when migrated: a killed build leaves no template
    await _ddl(conn, f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    await _ddl(conn, f'CREATE DATABASE "{building}"')
    await run_migrations(with_database(server_url, building))
    await _ddl(conn, f'ALTER DATABASE "{building}" RENAME TO "{template}"')


async def create_process_database(server_url: str) -> str:
    """Clone this process's database from the template (built if missing); its URL."""
    base = make_url(server_url).database or "postgres"
    template = f"{base}_tmpl_{migrations_fingerprint()}"
    name = process_database_name(base)
    engine, conn = await _autocommit(server_url)
    try:
        await conn.execute(text("SELECT pg_advisory_lock(hashtext(:n))"), {"n": _LOCK})
        if not await _exists(conn, template):
            await _build_template(conn, server_url, template)
        await _ddl(conn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await _ddl(conn, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        await conn.execute(text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": _LOCK})
    finally:
        await conn.close()
        await engine.dispose()
    return with_database(server_url, name)


async def drop_process_database(server_url: str, process_url: str) -> None:
    engine, conn = await _autocommit(server_url)
    try:
        await _ddl(conn, f'DROP DATABASE IF EXISTS "{make_url(process_url).database}" WITH (FORCE)')
    finally:
        await conn.close()
        await engine.dispose()
