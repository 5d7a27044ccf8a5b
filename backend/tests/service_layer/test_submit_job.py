"""Submitting jobs through the real Redis queue adapter on fakeredis (Lua included)."""

import uuid
from collections.abc import AsyncIterator

import pytest
from fakeredis import FakeAsyncRedis

from jobpipe.adapters.redis_job_queue import RedisJobQueue
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.domain.jobs import JobState
from jobpipe.service_layer.submit_job import submit_job
from tests.fakes import InMemoryJobRepository

pytestmark = pytest.mark.unit


@pytest.fixture
async def queue() -> AsyncIterator[RedisJobQueue]:
    redis = FakeAsyncRedis()
    yield RedisJobQueue(redis, KeySpace(prefix="test"))
    await redis.aclose()


async def test_submitted_job_is_recorded_then_queued(queue: RedisJobQueue) -> None:
    jobs = InMemoryJobRepository()
    job = await submit_job(
        jobs=jobs, queue=queue, project_id=uuid.uuid4(), owner_id=uuid.uuid4(), priority=4
    )
    assert (await jobs.get(job.id)) is job
    assert job.state is JobState.QUEUED
    assert await queue.depth() == 1
    popped = await queue.pop()
    assert popped is not None and popped.job_id == job.id


async def test_higher_priority_is_served_first_and_ties_in_order(queue: RedisJobQueue) -> None:
    jobs = InMemoryJobRepository()
    owner, project = uuid.uuid4(), uuid.uuid4()
    low = await submit_job(jobs=jobs, queue=queue, project_id=project, owner_id=owner, priority=7)
    first = await submit_job(jobs=jobs, queue=queue, project_id=project, owner_id=owner, priority=1)
    second = await submit_job(
        jobs=jobs, queue=queue, project_id=project, owner_id=owner, priority=1
    )
    order = [(await queue.pop()).job_id for _ in range(3)]  # type: ignore[union-attr]
    assert order == [first.id, second.id, low.id]
    assert await queue.pop() is None
