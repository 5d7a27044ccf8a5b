"""The ports the use cases need. Adapters implement them; tests substitute fakes. `Ports`
bundles one of each for an entrypoint.

Repositories that serve API requests take the caller's `owner_id`, so that a user can only ever
load their own rows: another user's project is indistinguishable from a missing one.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import TracebackType
from typing import Protocol

from jobpipe.domain.artifacts import Artifact, ArtifactDraft
from jobpipe.domain.feature_flags import FeatureFlags
from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.projects import Project
from jobpipe.domain.queue_messages import QueuedJob
from jobpipe.domain.users import User


class UserRepository(Protocol):
    async def add(self, user: User) -> None: ...

    async def get(self, user_id: uuid.UUID) -> User | None: ...

    async def get_by_api_key_hash(self, api_key_hash: str) -> User | None: ...


class ProjectRepository(Protocol):
    async def add(self, project: Project) -> None: ...

    async def get(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> Project | None: ...

    async def get_by_name(self, owner_id: uuid.UUID, name: str) -> Project | None: ...

    async def list_for_owner(self, owner_id: uuid.UUID) -> list[Project]: ...

    async def update(self, project: Project) -> None: ...


class JobRepository(Protocol):
    async def add(self, job: Job) -> None: ...

    async def get(self, job_id: uuid.UUID, *, for_update: bool = False) -> Job | None:
        """Unscoped: for workers. `for_update` locks the row until the transaction ends."""
        ...

    async def get_for_owner(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> Job | None: ...

    async def list_for_project(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> list[Job]: ...

    async def update(self, job: Job) -> None: ...

    async def count_by_state(
        self, owner_id: uuid.UUID, project_id: uuid.UUID | None = None
    ) -> dict[JobState, int]: ...

    async def recent_durations(self, limit: int) -> list[float]:
        """Durations in seconds of the most recently finished successful jobs."""
        ...


class ArtifactRepository(Protocol):
    async def add(self, artifact: Artifact) -> None: ...

    async def get_for_owner(
        self, owner_id: uuid.UUID, artifact_id: uuid.UUID
    ) -> Artifact | None: ...

    async def list_for_project(
        self, owner_id: uuid.UUID, project_id: uuid.UUID
    ) -> list[Artifact]: ...

    async def list_for_job(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> list[Artifact]: ...


class UnitOfWork(Protocol):
    """One transaction over every repository. Leaving without `commit` rolls back."""

    users: UserRepository
    projects: ProjectRepository
    jobs: JobRepository
    artifacts: ArtifactRepository

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
Clock = Callable[[], datetime]


class JobQueue(Protocol):
    async def enqueue(self, message: QueuedJob) -> None: ...

    async def remove(self, job_id: uuid.UUID) -> bool: ...

    async def depth(self) -> int: ...


class WorkQueue(JobQueue, Protocol):
    """The worker's side of the queue: leased pops, acknowledgement, redelivery."""

    async def pop(
        self, worker_id: str, *, lease_seconds: float, timeout: float = 0.0
    ) -> QueuedJob | None: ...

    async def ack(self, job_id: uuid.UUID, worker_id: str) -> bool: ...

    async def extend_lease(
        self, job_id: uuid.UUID, worker_id: str, lease_seconds: float
    ) -> bool: ...

    async def reap_expired(self, limit: int = 100) -> list[uuid.UUID]: ...


class ConcurrencyLimiter(Protocol):
    async def acquire(
        self, user_id: uuid.UUID, holder: str, *, limit: int, ttl_seconds: float
    ) -> bool: ...

    async def release(self, user_id: uuid.UUID, holder: str) -> None: ...

    async def active(self, user_id: uuid.UUID) -> int: ...


class UsageCounter(Protocol):
    async def consume(
        self, user_id: uuid.UUID, *, limit: int, now: datetime
    ) -> tuple[bool, int]: ...

    async def refund(self, user_id: uuid.UUID, *, now: datetime) -> None: ...

    async def used(self, user_id: uuid.UUID, *, now: datetime) -> int: ...


class JobFailed(Exception):
    """Raised by a runner when the job itself failed (as opposed to the worker crashing)."""


class JobRunner(Protocol):
    """What a worker calls to turn a job into artifacts. Runners must be deterministic in their
    inputs, since a redelivered job is run again and must produce the same result."""

    async def run(self, job: Job, project: Project) -> list[ArtifactDraft]: ...


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Ports:
    """The ports an entrypoint needs, bundled: built once by the composition root (or by tests
    from fakes) and handed to the API and the worker."""

    uow_factory: UnitOfWorkFactory
    queue: WorkQueue
    limiter: ConcurrencyLimiter
    usage: UsageCounter
    runner: JobRunner
    flags: FeatureFlags = field(default_factory=FeatureFlags)
    clock: Clock = utc_now
    workers: int = 1
    # Readiness probes by name (e.g. "postgres", "redis"); each raises if its service is down.
    health_checks: Mapping[str, Callable[[], Awaitable[object]]] = field(default_factory=dict)
