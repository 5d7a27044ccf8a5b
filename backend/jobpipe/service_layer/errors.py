"""Errors the use cases raise; the API maps each to one HTTP status."""

from __future__ import annotations

import uuid

from jobpipe.domain.gates import GateDecision


class NotFound(Exception):
    """The resource does not exist *for this user*: others' resources look missing too."""

    def __init__(self, kind: str, resource_id: uuid.UUID) -> None:
        super().__init__(f"{kind} {resource_id} not found")
        self.kind = kind
        self.resource_id = resource_id


class Conflict(Exception):
    """The request is valid but clashes with the current state (duplicate name, finished job)."""


class GateBlocked(Exception):
    """A project may not advance: the gate's reasons say what is missing."""

    def __init__(self, decision: GateDecision) -> None:
        super().__init__(
            f"cannot enter stage {decision.target.value!r}: " + "; ".join(decision.reasons)
        )
        self.decision = decision
