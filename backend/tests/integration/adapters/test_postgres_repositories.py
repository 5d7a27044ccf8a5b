"""Repositories on real PostgreSQL: round trips, owner scoping, and constraints fakes lack."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobpipe.adapters.postgres_repositories import (
    PostgresArtifactRepository,
    PostgresJobRepository,
    PostgresProjectRepository,
    PostgresUserRepository,
)
from jobpipe.domain.artifacts import Artifact
from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.projects import Project, Stage
from jobpipe.domain.usage_policy import Plan
from jobpipe.domain.users import User, generate_api_key, hash_api_key

pytestmark = pytest.mark.integration

T0 = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)


def new_user(name: str = "ann") -> User:
    return User(name=name, plan=Plan.PRO, api_key_hash=hash_api_key(generate_api_key()))


async def seed(session: AsyncSession) -> tuple[User, Project]:
    user = new_user()
    project = Project(owner_id=user.id, name="site", created_at=T0)
    await PostgresUserRepository(session).add(user)
    await PostgresProjectRepository(session).add(project)
    return user, project


async def test_user_round_trip_and_lookup_by_key_digest(pg_session: AsyncSession) -> None:
    repo = PostgresUserRepository(pg_session)
    user = new_user()
    user.beta = True
    await repo.add(user)
    assert await repo.get(user.id) == user
    assert await repo.get_by_api_key_hash(user.api_key_hash) == user
    assert await repo.get_by_api_key_hash(hash_api_key("nope")) is None


async def test_a_committed_job_is_read_back_by_another_session(
    pg_session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    user, project = await seed(pg_session)
    job = Job(project_id=project.id, owner_id=user.id, priority=2, created_at=T0)
    job.start(T0)
    job.fail("out of disk", T0 + timedelta(seconds=5))
    await PostgresJobRepository(pg_session).add(job)
    await pg_session.commit()

    async with session_factory() as other:
        loaded = await PostgresJobRepository(other).get(job.id)
    assert loaded == job
    assert loaded is not None and loaded.state is JobState.FAILED


async def test_rows_of_another_owner_are_invisible(pg_session: AsyncSession) -> None:
    user, project = await seed(pg_session)
    stranger = uuid.uuid4()
    job = Job(project_id=project.id, owner_id=user.id, priority=2)
    await PostgresJobRepository(pg_session).add(job)
    assert await PostgresProjectRepository(pg_session).get(stranger, project.id) is None
    assert await PostgresJobRepository(pg_session).get_for_owner(stranger, job.id) is None
    assert await PostgresJobRepository(pg_session).list_for_project(stranger, project.id) == []
    assert (await PostgresJobRepository(pg_session).get_for_owner(user.id, job.id)) == job


async def test_project_update_and_listing_order(pg_session: AsyncSession) -> None:
    user, first = await seed(pg_session)
    repo = PostgresProjectRepository(pg_session)
    second = Project(owner_id=user.id, name="api", created_at=T0 + timedelta(hours=1))
    await repo.add(second)
    first.advance()
    await repo.update(first)
    listed = await repo.list_for_owner(user.id)
    assert [(p.name, p.stage) for p in listed] == [("site", Stage.BUILD), ("api", Stage.DRAFT)]
    assert await repo.get_by_name(user.id, "api") == second


async def test_job_counts_and_recent_durations(pg_session: AsyncSession) -> None:
    user, project = await seed(pg_session)
    repo = PostgresJobRepository(pg_session)
    for index, seconds in enumerate([10, 20, 30]):
        job = Job(project_id=project.id, owner_id=user.id, priority=1)
        started = T0 + timedelta(minutes=index)
        job.start(started)
        job.succeed(started + timedelta(seconds=seconds))
        await repo.add(job)
    await repo.add(Job(project_id=project.id, owner_id=user.id, priority=1))
    counts = await repo.count_by_state(user.id, project.id)
    assert counts == {JobState.SUCCEEDED: 3, JobState.QUEUED: 1}
    assert await repo.recent_durations(2) == [30.0, 20.0]  # most recently finished first


async def test_duplicate_ids_are_rejected_by_the_database(pg_session: AsyncSession) -> None:
    user, project = await seed(pg_session)
    job = Job(project_id=project.id, owner_id=user.id, priority=2)
    repo = PostgresJobRepository(pg_session)
    await repo.add(job)
    with pytest.raises(IntegrityError):
        await repo.add(job)


async def test_a_job_needs_an_existing_project(pg_session: AsyncSession) -> None:
    user, _ = await seed(pg_session)
    with pytest.raises(IntegrityError, match="foreign key"):
        await PostgresJobRepository(pg_session).add(
            Job(project_id=uuid.uuid4(), owner_id=user.id, priority=2)
        )


async def test_project_names_are_unique_per_owner(pg_session: AsyncSession) -> None:
    user, _ = await seed(pg_session)
    with pytest.raises(IntegrityError, match="uq_projects_owner_id_name"):
        await PostgresProjectRepository(pg_session).add(Project(owner_id=user.id, name="site"))


async def test_a_job_cannot_store_the_same_artifact_twice(pg_session: AsyncSession) -> None:
    user, project = await seed(pg_session)
    job = Job(project_id=project.id, owner_id=user.id, priority=2)
    await PostgresJobRepository(pg_session).add(job)
    repo = PostgresArtifactRepository(pg_session)

    def artifact() -> Artifact:
        return Artifact(
            job_id=job.id,
            project_id=project.id,
            owner_id=user.id,
            name="build.log",
            media_type="text/plain",
            content="ok",
        )

    first = artifact()
    await repo.add(first)
    assert await repo.get_for_owner(user.id, first.id) == first
    assert await repo.list_for_job(user.id, job.id) == [first]
    assert await repo.get_for_owner(uuid.uuid4(), first.id) is None
    with pytest.raises(IntegrityError, match="uq_artifacts_job_id_name"):
        await repo.add(artifact())
