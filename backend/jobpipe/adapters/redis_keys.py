"""Every Redis key name jobpipe uses, in one place.

A `KeySpace` carries a prefix so that several deployments, or several test processes, can
share one Redis server without seeing each other's keys.
"""

from __future__ import annotations

from dataclasses import dataclass


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
