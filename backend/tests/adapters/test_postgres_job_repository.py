import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from jobpipe.adapters.postgres_job_repository import PostgresJobRepository
from jobpipe.domain.jobs import Job, JobState

pytestmark = pytest.mark.integration


async def test_a_committed_job_is_read_back_by_another_session(
    pg_session: AsyncSession, pg_engine: AsyncEngine
) -> None:
    job = Job(project_id=uuid.uuid4(), owner_id=uuid.uuid4(), priority=2)
    job.start()
    job.fail("out of disk")
    await PostgresJobRepository(pg_session).add(job)
    await pg_session.commit()

    async with AsyncSession(pg_engine) as other:
        loaded = await PostgresJobRepository(other).get(job.id)
    assert loaded == job
    assert loaded is not None and loaded.state is JobState.FAILED


async def test_unknown_job_is_none(pg_session: AsyncSession) -> None:
    assert await PostgresJobRepository(pg_session).get(uuid.uuid4()) is None


async def test_duplicate_ids_are_rejected_by_the_database(pg_session: AsyncSession) -> None:
    from sqlalchemy.exc import IntegrityError

    job = Job(project_id=uuid.uuid4(), owner_id=uuid.uuid4(), priority=2)
    repo = PostgresJobRepository(pg_session)
    await repo.add(job)
    with pytest.raises(IntegrityError):
        await repo.add(job)
