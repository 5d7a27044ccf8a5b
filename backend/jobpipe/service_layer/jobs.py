"""Use cases on jobs from the user's side: submit under quota and concurrency, cancel, read."""

from __future__ import annotations

import uuid
from datetime import datetime

from jobpipe.domain.jobs import IllegalTransition, Job
from jobpipe.domain.queue_messages import QueuedJob
from jobpipe.domain.usage_policy import LimitExceeded, LimitKind, limits_for, quota_resets_at
from jobpipe.domain.users import User
from jobpipe.service_layer.errors import Conflict, NotFound
from jobpipe.service_layer.ports import ConcurrencyLimiter, JobQueue, UnitOfWork, UsageCounter

# A slot outlives any sane job; it only matters if its release is lost.
SLOT_TTL_SECONDS = 6 * 3600


async def submit_job(
    *,
    uow: UnitOfWork,
    queue: JobQueue,
    limiter: ConcurrencyLimiter,
    usage: UsageCounter,
    user: User,
    project_id: uuid.UUID,
    now: datetime,
) -> Job:
    """Check quota, take a concurrency slot, persist, then queue.

    Persisting before queueing means a worker never dequeues a job the database lacks; a
    refusal at any step gives back what earlier steps took.
    """
    limits = limits_for(user.plan)
    async with uow:
        project = await uow.projects.get(user.id, project_id)
        if project is None:
            raise NotFound("project", project_id)
        allowed, _ = await usage.consume(user.id, limit=limits.daily_jobs, now=now)
        if not allowed:
            raise LimitExceeded(
                LimitKind.DAILY_QUOTA, limits.daily_jobs, user.plan, quota_resets_at(now)
            )
        job = Job(project_id=project.id, owner_id=user.id, priority=limits.priority, created_at=now)
        slot = await limiter.acquire(
            user.id, str(job.id), limit=limits.concurrent_jobs, ttl_seconds=SLOT_TTL_SECONDS
        )
        if not slot:
            await usage.refund(user.id, now=now)
            raise LimitExceeded(LimitKind.CONCURRENCY, limits.concurrent_jobs, user.plan)
        try:
            await uow.jobs.add(job)
            await uow.commit()
        except BaseException:
            await limiter.release(user.id, str(job.id))
            await usage.refund(user.id, now=now)
            raise
    await queue.enqueue(QueuedJob(job_id=job.id, priority=job.priority, enqueued_at=now))
    return job


async def cancel_job(
    *,
    uow: UnitOfWork,
    queue: JobQueue,
    limiter: ConcurrencyLimiter,
    user: User,
    job_id: uuid.UUID,
    now: datetime,
) -> Job:
    """Cancel a queued or running job; a running job's result is discarded when it ends."""
    async with uow:
        job = await uow.jobs.get_for_owner(user.id, job_id)
        if job is None:
            raise NotFound("job", job_id)
        try:
            job.cancel(now)
        except IllegalTransition as exc:
            raise Conflict(f"job is already {job.state.value}") from exc
        await uow.jobs.update(job)
        await uow.commit()
    await queue.remove(job.id)
    await limiter.release(user.id, str(job.id))
    return job


async def get_job(uow: UnitOfWork, user: User, job_id: uuid.UUID) -> Job:
    async with uow:
        job = await uow.jobs.get_for_owner(user.id, job_id)
    if job is None:
        raise NotFound("job", job_id)
    return job


async def list_jobs(uow: UnitOfWork, user: User, project_id: uuid.UUID) -> list[Job]:
    async with uow:
        if await uow.projects.get(user.id, project_id) is None:
            raise NotFound("project", project_id)
        return await uow.jobs.list_for_project(user.id, project_id)
