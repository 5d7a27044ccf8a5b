"""Plans and their limits: how many jobs a day, how many at once, and at what priority.

The Redis counters and semaphore enforce these numbers; this module only decides them, and
explains a refusal in words a user can act on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone


class Plan(str, enum.Enum):
    FREE = "free"
    PRO = "pro"
    TEAM = "team"


@dataclass(frozen=True)
class PlanLimits:
    daily_jobs: int
    concurrent_jobs: int
    priority: int  # lower is served first, see queue_messages.MIN_PRIORITY


PLAN_LIMITS: dict[Plan, PlanLimits] = {
    Plan.FREE: PlanLimits(daily_jobs=20, concurrent_jobs=1, priority=7),
    Plan.PRO: PlanLimits(daily_jobs=200, concurrent_jobs=4, priority=3),
    Plan.TEAM: PlanLimits(daily_jobs=1000, concurrent_jobs=16, priority=1),
}


def limits_for(plan: Plan) -> PlanLimits:
    return PLAN_LIMITS[plan]


def quota_day(now: datetime) -> date:
    """Quotas count per UTC day, whatever the caller's time zone."""
    return now.astimezone(timezone.utc).date()


def quota_resets_at(now: datetime) -> datetime:
    """The instant the current day's quota resets: the next UTC midnight."""
    return datetime.combine(quota_day(now) + timedelta(days=1), time(0), tzinfo=timezone.utc)


class LimitKind(str, enum.Enum):
    DAILY_QUOTA = "daily_quota"
    CONCURRENCY = "concurrency"


class LimitExceeded(Exception):
    """A plan limit refused a request; `message` names the limit and when it frees up."""

    def __init__(
        self, kind: LimitKind, limit: int, plan: Plan, resets_at: datetime | None = None
    ) -> None:
        super().__init__(kind, limit, plan, resets_at)
        self.kind = kind
        self.limit = limit
        self.plan = plan
        self.resets_at = resets_at

    @property
    def message(self) -> str:
        if self.kind is LimitKind.DAILY_QUOTA:
            assert self.resets_at is not None
            return (
                f"daily job quota of {self.limit} for plan {self.plan.value!r} is used up; "
                f"it resets at {self.resets_at.isoformat()}"
            )
        return (
            f"concurrency limit of {self.limit} active job(s) for plan {self.plan.value!r} "
            "reached; it frees up when one of your jobs finishes or is cancelled"
        )

    def __str__(self) -> str:
        return self.message
