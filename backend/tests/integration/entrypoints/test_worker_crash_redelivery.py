"""A worker killed (SIGKILL) in the middle of a job: the job is redelivered to another worker
and completes exactly once: one set of artifacts, two attempts, nothing left leased."""

from __future__ import annotations

import os
import signal
from datetime import datetime, timezone
from pathlib import Path

import pytest
from redis.asyncio import Redis

import tests.integration.entrypoints.gated_worker as gated_worker
from jobpipe.adapters.redis_concurrency_limiter import RedisConcurrencyLimiter
from jobpipe.adapters.redis_job_queue import RedisJobQueue
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.adapters.redis_usage_counter import RedisUsageCounter
from jobpipe.domain.jobs import JobState
from jobpipe.domain.usage_policy import Plan
from jobpipe.service_layer.jobs import submit_job
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


async def test_killed_worker_job_completes_exactly_once(
    isolated_settings: Settings,
    uow_factory,
    redis_client: Redis,
    keys: KeySpace,
    tmp_path: Path,
) -> None:
    queue = RedisJobQueue(redis_client, keys)
    limiter = RedisConcurrencyLimiter(redis_client, keys)
    user, _ = await register_user(uow_factory(), name="ann", plan=Plan.FREE)
    project = await create_project(uow_factory(), user, "site")
    job = await submit_job(
        uow=uow_factory(),
        queue=queue,
        limiter=limiter,
        usage=RedisUsageCounter(redis_client, keys),
        user=user,
        project_id=project.id,
        now=datetime.now(timezone.utc),
    )

    async def stored_job():
        async with uow_factory() as uow:
            return await uow.jobs.get(job.id)

    gate = tmp_path / "gate"
    gate.mkdir()
    settings = isolated_settings.model_copy(update={"worker_lease_seconds": 1.0})
    module = gated_worker.__name__

    with running(
        module,
        service_env(settings, GATE_DIR=str(gate), JOBPIPE_WORKER_ID="doomed"),
        tmp_path / "doomed.log",
    ) as doomed:
        await eventually(
            lambda: _exists(gate / "started-1"), bool, timeout=30, what="first worker to start"
        )
        assert (await stored_job()).state is JobState.RUNNING
        assert (await queue.leased()) == {job.id: "doomed"}
        os.kill(doomed.pid, signal.SIGKILL)
        assert doomed.wait(timeout=10) == -signal.SIGKILL

    (gate / "release").touch()
    with running(
        module,
        service_env(settings, GATE_DIR=str(gate), JOBPIPE_WORKER_ID="rescuer"),
        tmp_path / "rescuer.log",
    ) as rescuer:
        finished = await eventually(
            stored_job, lambda j: j.state.is_terminal, timeout=45, what="job to finish"
        )
        await eventually(queue.leased, lambda leased: leased == {}, timeout=10, what="ack")
        assert (
            stop_gracefully(rescuer, ready=(tmp_path / "rescuer.log", "worker rescuer ready")) == 0
        )

    assert (finished.state, finished.attempts) == (JobState.SUCCEEDED, 2)
    assert (gate / "started-2").exists()
    async with uow_factory() as uow:
        artifacts = await uow.artifacts.list_for_job(user.id, job.id)
    assert sorted(a.name for a in artifacts) == ["build.log", "manifest.json"]
    assert await queue.depth() == 0
    assert await limiter.active(user.id) == 0


async def _exists(path: Path) -> bool:
    return path.exists()
