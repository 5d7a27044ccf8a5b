"""Builds the async SQLAlchemy engine for PostgreSQL (asyncpg driver)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_postgres_engine(database_url: str, *, search_path: str | None = None) -> AsyncEngine:
    """Create an engine; connecting is deferred to first use, never done here."""
    connect_args = {}
    if search_path is not None:
        connect_args["server_settings"] = {"search_path": search_path}
    return create_async_engine(database_url, connect_args=connect_args, pool_pre_ping=True)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
