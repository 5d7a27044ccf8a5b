"""Running jobs: success, failure, redelivery after a lost worker, and cancellation races."""

import pytest

from jobpipe.domain.artifacts import ArtifactDraft
from jobpipe.domain.jobs import Job, JobState
from jobpipe.service_layer.run_job import MAX_ATTEMPTS, RunOutcome, run_job
from tests.unit.fakes import FakeRunner, FakeWorld

pytestmark = pytest.mark.unit


def queued_job(world: FakeWorld) -> Job:
    user, _ = world.add_user("ann")
    project = world.add_project(user)
    job = Job(project_id=project.id, owner_id=user.id, priority=5)
    world.store.jobs[job.id] = job
    return job


async def run(world: FakeWorld, job: Job, runner: FakeRunner | None = None):
    return await run_job(
        uow_factory=world.uow, runner=runner or world.runner, job_id=job.id, clock=world.clock
    )


async def test_success_stores_artifacts_and_finishes_the_job(world: FakeWorld) -> None:
    job = queued_job(world)
    world.runner.drafts = [
        ArtifactDraft("a.txt", "text/plain", "A"),
        ArtifactDraft("b", "x/y", "B"),
    ]
    result = await run(world, job)
    stored = world.store.jobs[job.id]
    assert result.outcome is RunOutcome.SUCCEEDED
    assert (stored.state, stored.attempts) == (JobState.SUCCEEDED, 1)
    assert sorted(a.name for a in world.store.artifacts.values()) == ["a.txt", "b"]
    assert all(a.job_id == job.id for a in world.store.artifacts.values())


async def test_runner_failure_fails_the_job_without_artifacts(world: FakeWorld) -> None:
    job = queued_job(world)
    result = await run(world, job, FakeRunner(fail_with="tests are red"))
    assert result.outcome is RunOutcome.FAILED
    assert world.store.jobs[job.id].failure_reason == "tests are red"
    assert world.store.artifacts == {}


async def test_a_crashing_runner_fails_the_job_instead_of_looping(world: FakeWorld) -> None:
    class Exploding(FakeRunner):
        async def run(self, job, project):
            raise ZeroDivisionError

    job = queued_job(world)
    result = await run(world, job, Exploding())
    assert result.outcome is RunOutcome.FAILED
    assert "ZeroDivisionError" in (world.store.jobs[job.id].failure_reason or "")


@pytest.mark.parametrize("state", [JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED])
async def test_finished_jobs_are_skipped_not_rerun(world: FakeWorld, state: JobState) -> None:
    job = queued_job(world)
    world.store.jobs[job.id].state = state
    result = await run(world, job)
    assert result.outcome is RunOutcome.SKIPPED
    assert world.runner.calls == []


async def test_redelivered_running_job_is_rerun_as_a_second_attempt(world: FakeWorld) -> None:
    job = queued_job(world)
    world.store.jobs[job.id].start()  # a worker started it, then died
    result = await run(world, job)
    assert result.outcome is RunOutcome.SUCCEEDED
    assert world.store.jobs[job.id].attempts == 2
    assert world.runner.calls == [(job.id, 2)]
    assert len(world.store.artifacts) == 1


async def test_a_job_that_keeps_losing_workers_is_failed(world: FakeWorld) -> None:
    job = queued_job(world)
    stored = world.store.jobs[job.id]
    for _ in range(MAX_ATTEMPTS):
        stored.state = JobState.QUEUED
        stored.start()
    result = await run(world, job)
    assert result.outcome is RunOutcome.FAILED
    assert "gave up after 3 attempts" in (world.store.jobs[job.id].failure_reason or "")
    assert world.runner.calls == []


async def test_cancelled_while_running_discards_the_results(world: FakeWorld) -> None:
    job = queued_job(world)

    async def cancel_meanwhile(running: Job) -> None:
        world.store.jobs[running.id].cancel()

    world.runner.before_return = cancel_meanwhile
    result = await run(world, job)
    assert result.outcome is RunOutcome.SKIPPED
    assert world.store.jobs[job.id].state is JobState.CANCELLED
    assert world.store.artifacts == {}


async def test_taken_over_attempt_does_not_write_twice(world: FakeWorld) -> None:
    """A slow worker whose lease expired finishes after another worker took the job over."""
    job = queued_job(world)

    async def another_worker_takes_over(running: Job) -> None:
        stored = world.store.jobs[running.id]
        stored.requeue()
        stored.start()

    world.runner.before_return = another_worker_takes_over
    result = await run(world, job)
    assert result.outcome is RunOutcome.SKIPPED
    assert world.store.artifacts == {}
    assert world.store.jobs[job.id].state is JobState.RUNNING
