"""The unit of work on PostgreSQL: commit, rollback, and row locks between transactions."""

import asyncio

import pytest

from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.projects import Project
from jobpipe.domain.usage_policy import Plan
from jobpipe.domain.users import User, hash_api_key

pytestmark = pytest.mark.integration


async def seed(uow_factory) -> tuple[User, Project, Job]:
    user = User(name="ann", plan=Plan.FREE, api_key_hash=hash_api_key("k"))
    project = Project(owner_id=user.id, name="site")
    job = Job(project_id=project.id, owner_id=user.id, priority=5)
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.projects.add(project)
        await uow.jobs.add(job)
        await uow.commit()
    return user, project, job


async def test_committed_work_is_visible_to_the_next_unit(uow_factory) -> None:
    user, project, job = await seed(uow_factory)
    async with uow_factory() as uow:
        assert await uow.projects.get(user.id, project.id) == project
        assert await uow.jobs.get(job.id) == job


async def test_leaving_without_commit_rolls_back(uow_factory) -> None:
    user, project, job = await seed(uow_factory)
    async with uow_factory() as uow:
        loaded = await uow.jobs.get(job.id)
        assert loaded is not None
        loaded.cancel()
        await uow.jobs.update(loaded)
    async with uow_factory() as uow:
        assert (await uow.jobs.get(job.id)).state is JobState.QUEUED  # type: ignore[union-attr]


async def test_an_exception_rolls_back(uow_factory) -> None:
    user, _, _ = await seed(uow_factory)
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.projects.add(Project(owner_id=user.id, name="half-done"))
            raise RuntimeError("crash before commit")
    async with uow_factory() as uow:
        assert await uow.projects.get_by_name(user.id, "half-done") is None


async def test_for_update_serialises_two_workers_on_one_job(uow_factory) -> None:
    """The second reader waits for the first transaction, then sees its write (not stale)."""
    _, _, job = await seed(uow_factory)
    first_holds_lock = asyncio.Event()
    release_first = asyncio.Event()

    async def first() -> None:
        async with uow_factory() as uow:
            locked = await uow.jobs.get(job.id, for_update=True)
            first_holds_lock.set()
            await asyncio.wait_for(release_first.wait(), timeout=10)
            locked.start()
            await uow.jobs.update(locked)
            await uow.commit()

    async def second() -> JobState:
        await asyncio.wait_for(first_holds_lock.wait(), timeout=10)
        async with uow_factory() as uow:
            seen = await uow.jobs.get(job.id, for_update=True)
            return seen.state

    first_task = asyncio.create_task(first())
    second_task = asyncio.create_task(second())
    await asyncio.wait_for(first_holds_lock.wait(), timeout=10)
    await asyncio.sleep(0.2)
    assert not second_task.done(), "the row lock should hold the second reader back"
    release_first.set()
    await asyncio.wait_for(first_task, timeout=10)
    assert await asyncio.wait_for(second_task, timeout=10) is JobState.RUNNING
