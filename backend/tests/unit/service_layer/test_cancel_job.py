import uuid

import pytest

from jobpipe.domain.jobs import JobState
from jobpipe.domain.usage_policy import Plan
from jobpipe.service_layer.errors import Conflict, NotFound
from jobpipe.service_layer.jobs import cancel_job, submit_job
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


async def submitted(world: FakeWorld, plan: Plan = Plan.FREE):
    user, _ = world.add_user("ann", plan)
    project = world.add_project(user)
    s = world.ports
    job = await submit_job(
        uow=world.uow(),
        queue=s.queue,
        limiter=s.limiter,
        usage=s.usage,
        user=user,
        project_id=project.id,
        now=world.clock(),
    )
    return user, job


async def cancel(world: FakeWorld, user, job_id: uuid.UUID):
    s = world.ports
    return await cancel_job(
        uow=world.uow(),
        queue=s.queue,
        limiter=s.limiter,
        user=user,
        job_id=job_id,
        now=world.clock(),
    )


async def test_cancelling_a_queued_job_withdraws_it_and_frees_the_slot(world: FakeWorld) -> None:
    user, job = await submitted(world)
    cancelled = await cancel(world, user, job.id)
    assert cancelled.state is JobState.CANCELLED
    assert world.store.jobs[job.id].state is JobState.CANCELLED
    assert world.store.jobs[job.id].finished_at == world.clock()
    assert await world.ports.queue.depth() == 0
    assert await world.ports.queue.pop("w", lease_seconds=1) is None
    assert await world.ports.limiter.active(user.id) == 0


async def test_cancelling_twice_is_a_conflict(world: FakeWorld) -> None:
    user, job = await submitted(world)
    await cancel(world, user, job.id)
    with pytest.raises(Conflict, match="already cancelled"):
        await cancel(world, user, job.id)


async def test_other_users_cannot_cancel(world: FakeWorld) -> None:
    _, job = await submitted(world)
    intruder, _ = world.add_user("mallory")
    with pytest.raises(NotFound):
        await cancel(world, intruder, job.id)
    assert world.store.jobs[job.id].state is JobState.QUEUED
    assert await world.ports.queue.depth() == 1


async def test_cancelled_job_frees_room_for_the_next_submission(world: FakeWorld) -> None:
    user, job = await submitted(world, Plan.FREE)
    await cancel(world, user, job.id)
    s = world.ports
    project_id = job.project_id
    again = await submit_job(
        uow=world.uow(),
        queue=s.queue,
        limiter=s.limiter,
        usage=s.usage,
        user=user,
        project_id=project_id,
        now=world.clock(),
    )
    assert again.state is JobState.QUEUED
