"""Real worker processes (`python -m jobpipe.entrypoints.worker`) on PostgreSQL and Redis."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from redis.asyncio import Redis

import jobpipe.entrypoints.worker as worker_entrypoint
from jobpipe.adapters.redis_concurrency_limiter import RedisConcurrencyLimiter
from jobpipe.adapters.redis_job_queue import RedisJobQueue
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.adapters.redis_usage_counter import RedisUsageCounter
from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.usage_policy import Plan
from jobpipe.service_layer.jobs import cancel_job, submit_job
from jobpipe.service_layer.projects import create_project
from jobpipe.service_layer.users import register_user
from jobpipe.settings import Settings
from tests.integration.entrypoints.support import (
    eventually,
    running,
    service_env,
    stop_gracefully,
)

pytestmark = pytest.mark.integration


async def submit_many(uow_factory, redis_client: Redis, keys: KeySpace, count: int):
    queue = RedisJobQueue(redis_client, keys)
    limiter = RedisConcurrencyLimiter(redis_client, keys)
    usage = RedisUsageCounter(redis_client, keys)
    user, _ = await register_user(uow_factory(), name="team", plan=Plan.TEAM)
    project = await create_project(uow_factory(), user, "site")
    jobs = [
        await submit_job(
            uow=uow_factory(),
            queue=queue,
            limiter=limiter,
            usage=usage,
            user=user,
            project_id=project.id,
            now=datetime.now(timezone.utc),
        )
        for _ in range(count)
    ]
    return user, project, jobs, queue, limiter


async def test_two_workers_share_the_queue_and_run_each_job_once(
    isolated_settings: Settings,
    uow_factory,
    redis_client: Redis,
    keys: KeySpace,
    tmp_path: Path,
) -> None:
    user, project, jobs, queue, limiter = await submit_many(uow_factory, redis_client, keys, 8)

    async def all_jobs() -> list[Job]:
        async with uow_factory() as uow:
            return await uow.jobs.list_for_project(user.id, project.id)

    module = worker_entrypoint.__name__
    with (
        running(
            module, service_env(isolated_settings, JOBPIPE_WORKER_ID="w1"), tmp_path / "1.log"
        ) as first,
        running(
            module, service_env(isolated_settings, JOBPIPE_WORKER_ID="w2"), tmp_path / "2.log"
        ) as second,
    ):
        done = await eventually(
            all_jobs,
            lambda js: all(j.state.is_terminal for j in js),
            timeout=60,
            what="all jobs to finish",
        )
        await eventually(queue.leased, lambda leased: leased == {}, timeout=10, what="acks")
        assert stop_gracefully(first, ready=(tmp_path / "1.log", "worker w1 ready")) == 0
        assert stop_gracefully(second, ready=(tmp_path / "2.log", "worker w2 ready")) == 0

    assert [(j.state, j.attempts) for j in done] == [(JobState.SUCCEEDED, 1)] * 8
    async with uow_factory() as uow:
        artifacts = await uow.artifacts.list_for_project(user.id, project.id)
    assert len(artifacts) == 2 * 8
    assert await limiter.active(user.id) == 0
    logs = (tmp_path / "1.log").read_text() + (tmp_path / "2.log").read_text()
    assert logs.count(": succeeded") == 8


async def test_a_job_cancelled_before_pickup_is_never_run(
    isolated_settings: Settings,
    uow_factory,
    redis_client: Redis,
    keys: KeySpace,
    tmp_path: Path,
) -> None:
    user, project, jobs, queue, limiter = await submit_many(uow_factory, redis_client, keys, 2)
    await cancel_job(
        uow=uow_factory(),
        queue=queue,
        limiter=limiter,
        user=user,
        job_id=jobs[0].id,
        now=datetime.now(timezone.utc),
    )

    async def states() -> dict:
        async with uow_factory() as uow:
            return {j.id: j.state for j in await uow.jobs.list_for_project(user.id, project.id)}

    env = service_env(isolated_settings, JOBPIPE_WORKER_ID="w")
    with running(worker_entrypoint.__name__, env, tmp_path / "w.log") as process:
        final = await eventually(
            states,
            lambda s: s[jobs[1].id] is JobState.SUCCEEDED,
            timeout=30,
            what="the other job",
        )
        assert stop_gracefully(process, ready=(tmp_path / "w.log", "worker w ready")) == 0
    assert final[jobs[0].id] is JobState.CANCELLED
    async with uow_factory() as uow:
        assert await uow.artifacts.list_for_job(user.id, jobs[0].id) == []
    assert await queue.depth() == 0
