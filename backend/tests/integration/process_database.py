"""One PostgreSQL database per test process, cloned from a migrated template.

Running the Alembic migrations costs far more than cloning a database, so they run once per
set of migrations: the first process to need it builds a template database whose name carries
a hash of the migration files, and every pytest process clones its own database from it.

The clone is named after Pants' execution slot (`[pytest].execution_slot_var` sets
JOBPIPE_EXECUTION_SLOT), so at most as many databases exist as concurrent processes. Slots are
only unique within one Pants run, and two checkouts (or two developers) may share a server, so
a process first claims its name with an advisory lock held for its whole session, and falls
back to a name of its own (`..._run_<random>`, also what a plain pytest run uses) when another
process holds it. A database whose claim nobody holds belongs to no live process (one that was
killed): it is dropped. Building, cloning and sweeping happen under one more lock, so
concurrent processes neither migrate twice nor clone a half-built template.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_fixed

from jobpipe.adapters import migrations
from jobpipe.adapters.migrations import run_migrations
from jobpipe.adapters.postgres_engine import create_postgres_engine

SLOT_VAR = "JOBPIPE_EXECUTION_SLOT"
_BUILD_LOCK = "jobpipe-tests:template-and-clones"
_CLAIM_LOCK = "jobpipe-tests:claim:"


def migrations_fingerprint() -> str:
    """A hash of every migration file: a changed migration gets a new template."""
    root = Path(migrations.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def candidate_names(base: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    """The names this process may claim, preferred first. (Not the pid: pids repeat across
    containers and wrap around.)"""
    own = f"{base}_run_{uuid.uuid4().hex[:12]}"
    slot = environ.get(SLOT_VAR)
    return [f"{base}_slot{int(slot)}", own] if slot else [own]


def with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


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


async def _lock(conn: AsyncConnection, name: str, *, wait: bool = True) -> bool:
    function = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
    taken = await conn.scalar(text(f"SELECT {function}(hashtext(:n))"), {"n": name})
    return wait or bool(taken)


async def _unlock(conn: AsyncConnection, name: str) -> None:
    await conn.execute(text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": name})


async def _drop_abandoned(conn: AsyncConnection, base: str, mine: str) -> None:
    """Drop the process databases that no live process claims (left by killed runs)."""
    like = base.replace("_", "\\_")
    names = await conn.scalars(
        text("SELECT datname FROM pg_database WHERE datname LIKE :slot OR datname LIKE :run"),
        {"slot": f"{like}\\_slot%", "run": f"{like}\\_run\\_%"},
    )
    for name in names.all():
        if name != mine and await _lock(conn, _CLAIM_LOCK + name, wait=False):
            await _ddl(conn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await _unlock(conn, _CLAIM_LOCK + name)


async def _build_template(conn: AsyncConnection, server_url: str, template: str) -> None:
    building = f"{template}_new"  # renamed only when migrated: a killed build leaves no template
    await _ddl(conn, f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    await _ddl(conn, f'CREATE DATABASE "{building}"')
    await run_migrations(with_database(server_url, building))
    await _ddl(conn, f'ALTER DATABASE "{building}" RENAME TO "{template}"')


@dataclass
class ProcessDatabase:
    """This process's own database. The connection that holds its claim stays open until
    `drop`, so no other process takes (or drops) the same name meanwhile."""

    url: str
    _engine: AsyncEngine
    _claim: AsyncConnection

    @classmethod
    async def create(cls, server_url: str) -> ProcessDatabase:
        base = make_url(server_url).database or "postgres"
        template = f"{base}_tmpl_{migrations_fingerprint()}"
        engine = create_postgres_engine(server_url)
        conn = await (await engine.connect()).execution_options(isolation_level="AUTOCOMMIT")
        try:
            for name in candidate_names(base):
                if await _lock(conn, _CLAIM_LOCK + name, wait=False):
                    break
            else:
                raise RuntimeError(f"another process holds every name for this one: {name}")
            await _lock(conn, _BUILD_LOCK)
            await _drop_abandoned(conn, base, name)
            exists = "SELECT 1 FROM pg_database WHERE datname = :n"
            if await conn.scalar(text(exists), {"n": template}) is None:
                await _build_template(conn, server_url, template)
            await _ddl(conn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await _ddl(conn, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            await _unlock(conn, _BUILD_LOCK)
        except BaseException:
            await conn.close()
            await engine.dispose()
            raise
        return cls(with_database(server_url, name), engine, conn)

    async def drop(self) -> None:
        try:
            name = make_url(self.url).database
            await _ddl(self._claim, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await self._claim.close()
            await self._engine.dispose()
