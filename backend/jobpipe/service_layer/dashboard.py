"""The dashboard: a user's usage against their plan, their jobs, and the expected wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jobpipe.domain.feature_flags import FeatureFlags, Flag, FlagSubject
from jobpipe.domain.jobs import JobState
from jobpipe.domain.usage_policy import PlanLimits, limits_for, quota_resets_at
from jobpipe.domain.users import User
from jobpipe.domain.wait_time import estimate_wait_seconds
from jobpipe.service_layer.ports import ConcurrencyLimiter, JobQueue, UnitOfWork, UsageCounter

RECENT_DURATIONS = 50


@dataclass(frozen=True)
class Dashboard:
    plan_limits: PlanLimits
    jobs_today: int
    active_jobs: int
    quota_resets_at: datetime
    projects: int
    jobs_by_state: dict[JobState, int]
    queue_depth: int
    wait_estimate_seconds: float | None  # None unless the beta flag is on for the user


async def build_dashboard(
    *,
    uow: UnitOfWork,
    queue: JobQueue,
    limiter: ConcurrencyLimiter,
    usage: UsageCounter,
    flags: FeatureFlags,
    user: User,
    now: datetime,
    workers: int,
) -> Dashboard:
    async with uow:
        projects = await uow.projects.list_for_owner(user.id)
        by_state = await uow.jobs.count_by_state(user.id)
        durations = await uow.jobs.recent_durations(RECENT_DURATIONS)
    depth = await queue.depth()
    subject = FlagSubject(user_id=user.id, plan=user.plan, beta=user.beta)
    estimate = (
        estimate_wait_seconds(depth, durations, workers)
        if flags.is_enabled(Flag.WAIT_ESTIMATES, subject)
        else None
    )
    return Dashboard(
        plan_limits=limits_for(user.plan),
        jobs_today=await usage.used(user.id, now=now),
        active_jobs=await limiter.active(user.id),
        quota_resets_at=quota_resets_at(now),
        projects=len(projects),
        jobs_by_state={state: by_state.get(state, 0) for state in JobState},
        queue_depth=depth,
        wait_estimate_seconds=estimate,
    )
