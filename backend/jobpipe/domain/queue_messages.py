"""The message a job is queued as: what crosses the Redis boundary, validated both ways."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict, Field

# Lower number = served first. Plans map to these in the usage policy.
MIN_PRIORITY = 0
MAX_PRIORITY = 9


class QueuedJob(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    job_id: uuid.UUID
    priority: int = Field(ge=MIN_PRIORITY, le=MAX_PRIORITY)
    enqueued_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))

    def to_wire(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_wire(cls, raw: str | bytes) -> QueuedJob:
        return cls.model_validate_json(raw)
