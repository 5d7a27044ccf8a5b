"""The ports the use cases need. Adapters implement them; tests substitute fakes."""

from __future__ import annotations

import uuid
from typing import Protocol

from jobpipe.domain.jobs import Job
from jobpipe.domain.queue_messages import QueuedJob


class JobRepository(Protocol):
    async def add(self, job: Job) -> None: ...

    async def get(self, job_id: uuid.UUID) -> Job | None: ...


class JobQueue(Protocol):
    async def enqueue(self, message: QueuedJob) -> None: ...

    async def depth(self) -> int: ...
