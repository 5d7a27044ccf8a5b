"""Running one dequeued job: the worker's use case.

Exactly-once results under redelivery: the job is marked running (with its attempt number) in
one transaction, the runner works outside any transaction, and its artifacts are written in a
second transaction that first re-reads the job under a row lock. If the job was cancelled or
another worker took it over meanwhile (the attempt number moved on), the results are dropped.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from jobpipe.domain.artifacts import Artifact
from jobpipe.domain.jobs import Job, JobState
from jobpipe.service_layer.ports import Clock, JobFailed, JobRunner, UnitOfWorkFactory

# A job whose worker died this many times is failed rather than redelivered again: it is
# probably what kills the workers.
MAX_ATTEMPTS = 3


class RunOutcome(str, enum.Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"  # missing, already finished, cancelled, or taken over


@dataclass(frozen=True)
class RunResult:
    outcome: RunOutcome
    job: Job | None


async def run_job(
    *, uow_factory: UnitOfWorkFactory, runner: JobRunner, job_id: uuid.UUID, clock: Clock
) -> RunResult:
    async with uow_factory() as uow:
        job = await uow.jobs.get(job_id, for_update=True)
        if job is None or job.state.is_terminal:
            return RunResult(RunOutcome.SKIPPED, job)
        if job.state is JobState.RUNNING:
            if job.attempts >= MAX_ATTEMPTS:
                job.fail(f"gave up after {job.attempts} attempts whose workers were lost", clock())
                await uow.jobs.update(job)
                await uow.commit()
                return RunResult(RunOutcome.FAILED, job)
            job.requeue()  # the worker that started it was lost: this is a redelivery
        job.start(clock())
        project = await uow.projects.get(job.owner_id, job.project_id)
        assert project is not None, "jobs cascade-delete with their project"
        await uow.jobs.update(job)
        await uow.commit()
    attempt = job.attempts

    try:
        drafts = await runner.run(job, project)
        failure = None
    except JobFailed as exc:
        drafts, failure = [], str(exc) or "job failed"
    except Exception as exc:  # a runner bug fails the job instead of looping on redelivery
        drafts, failure = [], f"runner crashed: {exc!r}"

    async with uow_factory() as uow:
        current = await uow.jobs.get(job_id, for_update=True)
        if current is None or current.state is not JobState.RUNNING or current.attempts != attempt:
            return RunResult(RunOutcome.SKIPPED, current)
        if failure is not None:
            current.fail(failure, clock())
            outcome = RunOutcome.FAILED
        else:
            for draft in drafts:
                await uow.artifacts.add(
                    Artifact.from_draft(
                        draft, job_id=job.id, project_id=job.project_id, owner_id=job.owner_id
                    )
                )
            current.succeed(clock())
            outcome = RunOutcome.SUCCEEDED
        await uow.jobs.update(current)
        await uow.commit()
    return RunResult(outcome, current)
