"""The worker loop on fakes: taking, acknowledging, releasing, redelivering, stopping."""

import asyncio

import pytest

from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.usage_policy import Plan
from jobpipe.entrypoints.worker_loop import Worker
from jobpipe.service_layer.jobs import submit_job
from jobpipe.service_layer.run_job import RunOutcome
from tests.unit.fakes import FakeRunner, FakeWorld

pytestmark = pytest.mark.unit


async def submit(world: FakeWorld, plan: Plan = Plan.PRO) -> Job:
    user, _ = world.add_user(f"user-{len(world.store.users)}", plan)
    project = world.add_project(user)
    s = world.ports
    return await submit_job(
        uow=world.uow(),
        queue=s.queue,
        limiter=s.limiter,
        usage=s.usage,
        user=user,
        project_id=project.id,
        now=world.clock(),
    )


def worker(world: FakeWorld, worker_id: str = "w1", lease: float = 5.0) -> Worker:
    return Worker(world.ports, worker_id=worker_id, lease_seconds=lease, poll_seconds=0.05)


async def test_idle_worker_returns_after_its_poll_timeout(world: FakeWorld) -> None:
    assert await worker(world).run_once() is None


async def test_a_processed_job_is_acked_and_its_slot_released(world: FakeWorld) -> None:
    job = await submit(world)
    result = await worker(world).run_once()
    assert result is not None and result.outcome is RunOutcome.SUCCEEDED
    assert world.store.jobs[job.id].state is JobState.SUCCEEDED
    assert await world.ports.queue.leased() == {}
    assert await world.ports.limiter.active(job.owner_id) == 0


async def test_a_failed_job_also_releases_its_slot(world: FakeWorld) -> None:
    job = await submit(world)
    world.ports.runner = FakeRunner(fail_with="lint errors")
    result = await worker(world).run_once()
    assert result is not None and result.outcome is RunOutcome.FAILED
    assert await world.ports.limiter.active(job.owner_id) == 0
    assert await world.ports.queue.leased() == {}


async def test_a_dead_workers_job_is_redelivered_and_finished_once(world: FakeWorld) -> None:
    job = await submit(world)
    # A worker took the job, marked it running, then vanished without acking.
    taken = await world.ports.queue.pop("dead", lease_seconds=0.05)
    assert taken is not None
    stored = world.store.jobs[job.id]
    stored.start()
    await asyncio.sleep(0.1)
    result = await worker(world, "w2").run_once()
    assert result is not None and result.outcome is RunOutcome.SUCCEEDED
    assert world.store.jobs[job.id].attempts == 2
    assert len(world.store.artifacts) == 1
    assert await worker(world, "w3").run_once() is None


async def test_heartbeat_keeps_a_long_job_from_being_stolen(world: FakeWorld) -> None:
    job = await submit(world)
    started = asyncio.Event()
    finish = asyncio.Event()

    async def slow(running: Job) -> None:
        started.set()
        await finish.wait()

    world.runner.before_return = slow
    slow_worker = worker(world, "slow", lease=0.15)
    task = asyncio.create_task(slow_worker.run_once())
    await asyncio.wait_for(started.wait(), timeout=5)
    await asyncio.sleep(0.4)  # well past the lease: only the heartbeat keeps it
    assert await world.ports.queue.reap_expired() == []
    finish.set()
    result = await asyncio.wait_for(task, timeout=5)
    assert result is not None and result.outcome is RunOutcome.SUCCEEDED
    assert world.runner.calls == [(job.id, 1)]


async def test_run_stops_when_asked(world: FakeWorld) -> None:
    for _ in range(3):
        await submit(world)
    stop = asyncio.Event()
    loop = worker(world)

    async def stop_when_done() -> None:
        while len(world.runner.calls) < 3:
            await asyncio.sleep(0.01)
        stop.set()

    await asyncio.wait_for(asyncio.gather(loop.run(stop), stop_when_done()), timeout=10)
    assert all(j.state is JobState.SUCCEEDED for j in world.store.jobs.values())


async def test_an_iteration_error_does_not_kill_the_loop(world: FakeWorld) -> None:
    await submit(world)
    calls = 0
    real_reap = world.ports.queue.reap_expired

    async def flaky_reap(limit: int = 100):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("redis blinked")
        return await real_reap(limit)

    world.ports.queue.reap_expired = flaky_reap  # type: ignore[method-assign]
    stop = asyncio.Event()

    async def stop_when_done() -> None:
        while not world.runner.calls:
            await asyncio.sleep(0.01)
        stop.set()

    await asyncio.wait_for(asyncio.gather(worker(world).run(stop), stop_when_done()), timeout=10)
    assert calls >= 2
