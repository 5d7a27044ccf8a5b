"""The build job and its state machine.

A job moves queued -> running -> succeeded | failed, may be cancelled while queued or running,
and goes back to queued when the worker that held it dies (redelivery). Anything else is a bug
in the caller, so it raises instead of silently corrupting state.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone


class JobState(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL


_TERMINAL = frozenset({JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED})

_ALLOWED_TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.CANCELLED}),
    JobState.RUNNING: frozenset(
        {JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED, JobState.QUEUED}
    ),
    JobState.SUCCEEDED: frozenset(),
    JobState.FAILED: frozenset(),
    JobState.CANCELLED: frozenset(),
}


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class IllegalTransition(Exception):
    """A job was asked to move to a state its current state cannot reach."""

    def __init__(self, job_id: uuid.UUID, current: JobState, requested: JobState) -> None:
        super().__init__(f"job {job_id}: cannot go from {current.value!r} to {requested.value!r}")
        self.job_id = job_id
        self.current = current
        self.requested = requested


@dataclass
class Job:
    project_id: uuid.UUID
    owner_id: uuid.UUID
    priority: int
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    state: JobState = JobState.QUEUED
    attempts: int = 0
    failure_reason: str | None = None
    created_at: datetime = field(default_factory=_utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def _move_to(self, new_state: JobState) -> None:
        if new_state not in _ALLOWED_TRANSITIONS[self.state]:
            raise IllegalTransition(self.id, self.state, new_state)
        self.state = new_state

    def start(self, now: datetime | None = None) -> None:
        self._move_to(JobState.RUNNING)
        self.attempts += 1
        self.started_at = now or _utcnow()

    def succeed(self, now: datetime | None = None) -> None:
        self._move_to(JobState.SUCCEEDED)
        self.finished_at = now or _utcnow()

    def fail(self, reason: str, now: datetime | None = None) -> None:
        self._move_to(JobState.FAILED)
        self.failure_reason = reason
        self.finished_at = now or _utcnow()

    def cancel(self, now: datetime | None = None) -> None:
        self._move_to(JobState.CANCELLED)
        self.finished_at = now or _utcnow()

    @property
    def duration_seconds(self) -> float | None:
        """How long the last attempt ran, once it has finished; feeds the wait estimator."""
        if self.started_at is None or self.finished_at is None:
            return None
        return max(0.0, (self.finished_at - self.started_at).total_seconds())

    def requeue(self) -> None:
        """Return a running job to the queue after its worker was lost."""
        self._move_to(JobState.QUEUED)
