"""Every Redis key name jobpipe uses, in one place.

A `KeySpace` carries a prefix so that several deployments, or several test processes, can
share one Redis server without seeing each other's keys.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class KeySpace:
    prefix: str = "jobpipe"

    @property
    def queue(self) -> str:
        """Sorted set of job ids, scored by priority then enqueue order."""
        return f"{self.prefix}:queue"

    @property
    def payloads(self) -> str:
        """Hash of job id -> queued message, kept apart so the sorted set stays small."""
        return f"{self.prefix}:payloads"

    @property
    def sequence(self) -> str:
        """Counter that orders jobs of equal priority first-in, first-out."""
        return f"{self.prefix}:sequence"

    @property
    def wakeups(self) -> str:
        """List pushed on every enqueue, so idle workers can block on it instead of polling."""
        return f"{self.prefix}:wakeups"

    @property
    def leases(self) -> str:
        """Sorted set of taken job ids, scored by the lease deadline (ms since epoch)."""
        return f"{self.prefix}:leases"

    @property
    def lease_owners(self) -> str:
        """Hash of taken job id -> id of the worker holding its lease."""
        return f"{self.prefix}:lease-owners"

    @property
    def lease_scores(self) -> str:
        """Hash of taken job id -> its queue score, restored when the job is redelivered."""
        return f"{self.prefix}:lease-scores"

    def concurrency(self, user_id: uuid.UUID) -> str:
        """Semaphore (sorted set of holder -> expiry) bounding one user's active jobs."""
        return f"{self.prefix}:concurrency:{user_id}"

    def daily_usage(self, user_id: uuid.UUID, day: date) -> str:
        """Counter of jobs a user submitted on one UTC day; expires after the day ends."""
        return f"{self.prefix}:usage:{user_id}:{day.isoformat()}"
