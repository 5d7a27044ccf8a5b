"""Alembic environment: runs on the connection `run_migrations` hands over."""

from __future__ import annotations

from alembic import context

from jobpipe.adapters.postgres_tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through jobpipe.adapters.migrations.run_migrations, not the alembic CLI"
    )
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
