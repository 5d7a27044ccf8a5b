"""Feature flags with beta gating.

A flag is off, on for everyone, or on for beta users and (optionally) some plans. Rollouts use a
stable hash of the user id, so one user sees the same answer on every request.
"""

from __future__ import annotations

import enum
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from jobpipe.domain.usage_policy import Plan


class Flag(str, enum.Enum):
    WAIT_ESTIMATES = "wait_estimates"
    MARKDOWN_EXPORT = "markdown_export"


@dataclass(frozen=True)
class FlagRule:
    enabled: bool = False
    beta_only: bool = False
    plans: frozenset[Plan] = field(default_factory=frozenset)  # empty: every plan
    rollout_percent: int = 100

    def __post_init__(self) -> None:
        if not 0 <= self.rollout_percent <= 100:
            raise ValueError("rollout_percent must be between 0 and 100")


@dataclass(frozen=True)
class FlagSubject:
    user_id: uuid.UUID
    plan: Plan
    beta: bool


def _bucket(flag: Flag, user_id: uuid.UUID) -> int:
    digest = hashlib.sha256(f"{flag.value}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


DEFAULT_RULES: Mapping[Flag, FlagRule] = {
    Flag.WAIT_ESTIMATES: FlagRule(enabled=True, beta_only=True),
    Flag.MARKDOWN_EXPORT: FlagRule(enabled=True),
}


@dataclass(frozen=True)
class FeatureFlags:
    rules: Mapping[Flag, FlagRule] = field(default_factory=lambda: dict(DEFAULT_RULES))

    def is_enabled(self, flag: Flag, subject: FlagSubject) -> bool:
        rule = self.rules.get(flag, FlagRule())
        if not rule.enabled:
            return False
        if rule.beta_only and not subject.beta:
            return False
        if rule.plans and subject.plan not in rule.plans:
            return False
        return _bucket(flag, subject.user_id) < rule.rollout_percent
