"""In-memory implementations of the service-layer ports, for the unit tier."""

from __future__ import annotations

import uuid

from jobpipe.domain.jobs import Job


class InMemoryJobRepository:
    def __init__(self) -> None:
        self.jobs: dict[uuid.UUID, Job] = {}

    async def add(self, job: Job) -> None:
        self.jobs[job.id] = job

    async def get(self, job_id: uuid.UUID) -> Job | None:
        return self.jobs.get(job_id)
