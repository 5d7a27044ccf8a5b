"""Repositories on PostgreSQL (async SQLAlchemy 2 Core over asyncpg), one class per aggregate.

Rows are mapped to domain objects by hand: the domain never imports SQLAlchemy.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from jobpipe.adapters.postgres_tables import artifacts, jobs, projects, users
from jobpipe.domain.artifacts import Artifact
from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.projects import Project, Stage
from jobpipe.domain.usage_policy import Plan
from jobpipe.domain.users import User


def _user(row: Any) -> User:
    return User(
        id=row.id, name=row.name, plan=Plan(row.plan), api_key_hash=row.api_key_hash, beta=row.beta
    )


def _project(row: Any) -> Project:
    return Project(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        stage=Stage(row.stage),
        created_at=row.created_at,
    )


def _job(row: Any) -> Job:
    return Job(
        id=row.id,
        project_id=row.project_id,
        owner_id=row.owner_id,
        priority=row.priority,
        state=JobState(row.state),
        attempts=row.attempts,
        failure_reason=row.failure_reason,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def _artifact(row: Any) -> Artifact:
    return Artifact(
        id=row.id,
        job_id=row.job_id,
        project_id=row.project_id,
        owner_id=row.owner_id,
        name=row.name,
        media_type=row.media_type,
        content=row.content,
        created_at=row.created_at,
    )


class PostgresUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> None:
        await self._session.execute(
            insert(users).values(
                id=user.id,
                name=user.name,
                plan=user.plan,
                api_key_hash=user.api_key_hash,
                beta=user.beta,
            )
        )

    async def get(self, user_id: uuid.UUID) -> User | None:
        row = (await self._session.execute(select(users).where(users.c.id == user_id))).first()
        return None if row is None else _user(row)

    async def get_by_api_key_hash(self, api_key_hash: str) -> User | None:
        query = select(users).where(users.c.api_key_hash == api_key_hash)
        row = (await self._session.execute(query)).first()
        return None if row is None else _user(row)


class PostgresProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, project: Project) -> None:
        await self._session.execute(
            insert(projects).values(
                id=project.id,
                owner_id=project.owner_id,
                name=project.name,
                stage=project.stage,
                created_at=project.created_at,
            )
        )

    async def get(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> Project | None:
        query = select(projects).where(projects.c.id == project_id, projects.c.owner_id == owner_id)
        row = (await self._session.execute(query)).first()
        return None if row is None else _project(row)

    async def get_by_name(self, owner_id: uuid.UUID, name: str) -> Project | None:
        query = select(projects).where(projects.c.owner_id == owner_id, projects.c.name == name)
        row = (await self._session.execute(query)).first()
        return None if row is None else _project(row)

    async def list_for_owner(self, owner_id: uuid.UUID) -> list[Project]:
        query = (
            select(projects)
            .where(projects.c.owner_id == owner_id)
            .order_by(projects.c.created_at, projects.c.id)
        )
        return [_project(row) for row in await self._session.execute(query)]

    async def update(self, project: Project) -> None:
        await self._session.execute(
            update(projects)
            .where(projects.c.id == project.id)
            .values(name=project.name, stage=project.stage)
        )


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
                created_at=job.created_at,
                started_at=job.started_at,
                finished_at=job.finished_at,
            )
        )

    async def get(self, job_id: uuid.UUID, *, for_update: bool = False) -> Job | None:
        query = select(jobs).where(jobs.c.id == job_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return None if row is None else _job(row)

    async def get_for_owner(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> Job | None:
        query = select(jobs).where(jobs.c.id == job_id, jobs.c.owner_id == owner_id)
        row = (await self._session.execute(query)).first()
        return None if row is None else _job(row)

    async def list_for_project(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> list[Job]:
        query = (
            select(jobs)
            .where(jobs.c.project_id == project_id, jobs.c.owner_id == owner_id)
            .order_by(jobs.c.created_at, jobs.c.id)
        )
        return [_job(row) for row in await self._session.execute(query)]

    async def update(self, job: Job) -> None:
        await self._session.execute(
            update(jobs)
            .where(jobs.c.id == job.id)
            .values(
                state=job.state,
                attempts=job.attempts,
                failure_reason=job.failure_reason,
                started_at=job.started_at,
                finished_at=job.finished_at,
            )
        )

    async def count_by_state(
        self, owner_id: uuid.UUID, project_id: uuid.UUID | None = None
    ) -> dict[JobState, int]:
        query = select(jobs.c.state, func.count()).where(jobs.c.owner_id == owner_id)
        if project_id is not None:
            query = query.where(jobs.c.project_id == project_id)
        rows = await self._session.execute(query.group_by(jobs.c.state))
        return {JobState(state): count for state, count in rows}

    async def recent_durations(self, limit: int) -> list[float]:
        duration = func.extract("epoch", jobs.c.finished_at - jobs.c.started_at)
        query = (
            select(duration)
            .where(jobs.c.state == JobState.SUCCEEDED, jobs.c.started_at.is_not(None))
            .order_by(jobs.c.finished_at.desc())
            .limit(limit)
        )
        return [float(value) for value in (await self._session.scalars(query))]


class PostgresArtifactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, artifact: Artifact) -> None:
        await self._session.execute(
            insert(artifacts).values(
                id=artifact.id,
                job_id=artifact.job_id,
                project_id=artifact.project_id,
                owner_id=artifact.owner_id,
                name=artifact.name,
                media_type=artifact.media_type,
                content=artifact.content,
                created_at=artifact.created_at,
            )
        )

    async def get_for_owner(self, owner_id: uuid.UUID, artifact_id: uuid.UUID) -> Artifact | None:
        query = select(artifacts).where(
            artifacts.c.id == artifact_id, artifacts.c.owner_id == owner_id
        )
        row = (await self._session.execute(query)).first()
        return None if row is None else _artifact(row)

    async def list_for_project(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> list[Artifact]:
        query = (
            select(artifacts)
            .where(artifacts.c.project_id == project_id, artifacts.c.owner_id == owner_id)
            .order_by(artifacts.c.name, artifacts.c.id)
        )
        return [_artifact(row) for row in await self._session.execute(query)]

    async def list_for_job(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> list[Artifact]:
        query = (
            select(artifacts)
            .where(artifacts.c.job_id == job_id, artifacts.c.owner_id == owner_id)
            .order_by(artifacts.c.name, artifacts.c.id)
        )
        return [_artifact(row) for row in await self._session.execute(query)]
