"""Submitting a job: record it, then queue it."""

from __future__ import annotations

import uuid

from jobpipe.domain.jobs import Job
from jobpipe.domain.queue_messages import QueuedJob
from jobpipe.service_layer.ports import JobQueue, JobRepository


async def submit_job(
    *,
    jobs: JobRepository,
    queue: JobQueue,
    project_id: uuid.UUID,
    owner_id: uuid.UUID,
    priority: int,
) -> Job:
    """Persist before queueing, so a worker never dequeues a job the database lacks."""
    message = QueuedJob(job_id=uuid.uuid4(), priority=priority)
    job = Job(id=message.job_id, project_id=project_id, owner_id=owner_id, priority=priority)
    await jobs.add(job)
    await queue.enqueue(message)
    return job
