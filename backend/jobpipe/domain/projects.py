"""A user's project and the stages it moves through.

Stages are strictly ordered; a project only ever advances one stage at a time, and only when the
gate guarding the next stage lets it (see `gates.py`). Progress is derived, never stored.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

MAX_PROJECT_NAME_LENGTH = 80


class Stage(str, enum.Enum):
    DRAFT = "draft"
    BUILD = "build"
    REVIEW = "review"
    RELEASED = "released"

    @property
    def index(self) -> int:
        return _ORDER.index(self)

    @property
    def next(self) -> Stage | None:
        """The stage after this one, or None for the last stage."""
        position = self.index + 1
        return _ORDER[position] if position < len(_ORDER) else None


_ORDER: tuple[Stage, ...] = tuple(Stage)


class ProjectAlreadyReleased(Exception):
    """Raised when asked to advance a project that has no further stage."""


@dataclass
class Project:
    owner_id: uuid.UUID
    name: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    stage: Stage = Stage.DRAFT
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def progress_percent(self) -> int:
        """Share of the way from the first stage to the last, as a whole percentage."""
        return round(100 * self.stage.index / (len(_ORDER) - 1))

    def advance(self) -> Stage:
        """Move to the next stage; the caller has already checked the gate."""
        following = self.stage.next
        if following is None:
            raise ProjectAlreadyReleased(f"project {self.id} is already {self.stage.value!r}")
        self.stage = following
        return following
