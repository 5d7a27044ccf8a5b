"""Submitting jobs: quota, concurrency slot, persistence, queueing (fakes and fakeredis)."""

import uuid

import pytest

from jobpipe.domain.jobs import JobState
from jobpipe.domain.usage_policy import LimitExceeded, LimitKind, Plan, limits_for
from jobpipe.domain.users import User
from jobpipe.service_layer.errors import NotFound
from jobpipe.service_layer.jobs import submit_job
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


async def submit(world: FakeWorld, user: User, project_id: uuid.UUID):
    ports = world.ports
    return await submit_job(
        uow=world.uow(),
        queue=ports.queue,
        limiter=ports.limiter,
        usage=ports.usage,
        user=user,
        project_id=project_id,
        now=world.clock(),
    )


async def test_submitted_job_is_recorded_then_queued(world: FakeWorld) -> None:
    user, _ = world.add_user("ann", Plan.PRO)
    project = world.add_project(user)
    job = await submit(world, user, project.id)
    assert world.store.jobs[job.id].state is JobState.QUEUED
    assert job.priority == limits_for(Plan.PRO).priority
    assert await world.ports.queue.depth() == 1
    popped = await world.ports.queue.pop("w", lease_seconds=5)
    assert popped is not None and popped.job_id == job.id


async def test_better_plans_are_served_first(world: FakeWorld) -> None:
    free, _ = world.add_user("free", Plan.FREE)
    team, _ = world.add_user("team", Plan.TEAM)
    slow = await submit(world, free, world.add_project(free).id)
    fast = await submit(world, team, world.add_project(team).id)
    queue = world.ports.queue
    order = [(await queue.pop("w", lease_seconds=5)).job_id for _ in range(2)]  # type: ignore[union-attr]
    assert order == [fast.id, slow.id]


async def test_unknown_or_foreign_project_is_not_found(world: FakeWorld) -> None:
    owner, _ = world.add_user("owner")
    intruder, _ = world.add_user("intruder")
    project = world.add_project(owner)
    with pytest.raises(NotFound):
        await submit(world, intruder, project.id)
    with pytest.raises(NotFound):
        await submit(world, owner, uuid.uuid4())
    assert world.store.jobs == {}
    assert await world.ports.usage.used(intruder.id, now=world.clock()) == 0


async def test_concurrency_limit_refuses_and_refunds_the_quota(world: FakeWorld) -> None:
    user, _ = world.add_user("ann", Plan.FREE)  # one job at a time
    project = world.add_project(user)
    await submit(world, user, project.id)
    with pytest.raises(LimitExceeded) as excinfo:
        await submit(world, user, project.id)
    assert excinfo.value.kind is LimitKind.CONCURRENCY
    assert await world.ports.usage.used(user.id, now=world.clock()) == 1
    assert len(world.store.jobs) == 1
    assert await world.ports.queue.depth() == 1


async def test_daily_quota_refuses_with_the_reset_time(world: FakeWorld) -> None:
    user, _ = world.add_user("ann", Plan.FREE)
    project = world.add_project(user)
    quota = limits_for(Plan.FREE).daily_jobs
    for _ in range(quota):
        await world.ports.usage.consume(user.id, limit=quota, now=world.clock())
    with pytest.raises(LimitExceeded) as excinfo:
        await submit(world, user, project.id)
    assert excinfo.value.kind is LimitKind.DAILY_QUOTA
    assert excinfo.value.resets_at is not None and excinfo.value.resets_at > world.clock()
    assert await world.ports.limiter.active(user.id) == 0
    assert world.store.jobs == {}


async def test_a_failed_commit_gives_back_slot_and_quota(world: FakeWorld) -> None:
    user, _ = world.add_user("ann", Plan.PRO)
    project = world.add_project(user)
    uow = world.uow()

    async def broken_commit() -> None:
        raise RuntimeError("database went away")

    uow.commit = broken_commit  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        await submit_job(
            uow=uow,
            queue=world.ports.queue,
            limiter=world.ports.limiter,
            usage=world.ports.usage,
            user=user,
            project_id=project.id,
            now=world.clock(),
        )
    assert await world.ports.limiter.active(user.id) == 0
    assert await world.ports.usage.used(user.id, now=world.clock()) == 0
    assert await world.ports.queue.depth() == 0
