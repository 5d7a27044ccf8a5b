"""The unit of work on PostgreSQL: one session, one transaction, every repository."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobpipe.adapters.postgres_repositories import (
    PostgresArtifactRepository,
    PostgresJobRepository,
    PostgresProjectRepository,
    PostgresUserRepository,
)


class PostgresUnitOfWork:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> PostgresUnitOfWork:
        self._session = self._session_factory()
        self.users = PostgresUserRepository(self._session)
        self.projects = PostgresProjectRepository(self._session)
        self.jobs = PostgresJobRepository(self._session)
        self.artifacts = PostgresArtifactRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()  # no-op after commit; undoes anything uncommitted
        finally:
            await self._session.close()
            self._session = None

    async def commit(self) -> None:
        assert self._session is not None, "commit outside `async with`"
        await self._session.commit()

    async def rollback(self) -> None:
        assert self._session is not None, "rollback outside `async with`"
        await self._session.rollback()
