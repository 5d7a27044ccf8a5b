"""The job repository on PostgreSQL (async SQLAlchemy 2 over asyncpg)."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobpipe.adapters.postgres_tables import jobs
from jobpipe.domain.jobs import Job, JobState


class PostgresJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, job: Job) -> None:
        await self._session.execute(
            insert(jobs).values(
                id=job.id,
                project_id=job.project_id,
                owner_id=job.owner_id,
                priority=job.priority,
                state=job.state,
                attempts=job.attempts,
                failure_reason=job.failure_reason,
            )
        )

    async def get(self, job_id: uuid.UUID) -> Job | None:
        row = (await self._session.execute(select(jobs).where(jobs.c.id == job_id))).one_or_none()
        if row is None:
            return None
        return Job(
            id=row.id,
            project_id=row.project_id,
            owner_id=row.owner_id,
            priority=row.priority,
            state=JobState(row.state),
            attempts=row.attempts,
            failure_reason=row.failure_reason,
        )
