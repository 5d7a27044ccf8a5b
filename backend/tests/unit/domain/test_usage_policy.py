from datetime import datetime, timedelta, timezone

import pytest

from jobpipe.domain.queue_messages import MAX_PRIORITY, MIN_PRIORITY
from jobpipe.domain.usage_policy import (
    LimitExceeded,
    LimitKind,
    Plan,
    limits_for,
    quota_day,
    quota_resets_at,
)

pytestmark = pytest.mark.unit


def test_better_plans_get_more_of_everything() -> None:
    free, pro, team = (limits_for(p) for p in (Plan.FREE, Plan.PRO, Plan.TEAM))
    assert free.daily_jobs < pro.daily_jobs < team.daily_jobs
    assert free.concurrent_jobs < pro.concurrent_jobs < team.concurrent_jobs
    assert free.priority > pro.priority > team.priority  # lower is served first


@pytest.mark.parametrize("plan", list(Plan))
def test_every_plan_priority_is_a_valid_queue_priority(plan: Plan) -> None:
    assert MIN_PRIORITY <= limits_for(plan).priority <= MAX_PRIORITY


def test_quota_day_is_the_utc_day() -> None:
    late_in_new_york = datetime(2026, 5, 1, 22, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert quota_day(late_in_new_york).isoformat() == "2026-05-02"


def test_quota_resets_at_the_next_utc_midnight() -> None:
    now = datetime(2026, 5, 1, 23, 59, 59, tzinfo=timezone.utc)
    assert quota_resets_at(now) == datetime(2026, 5, 2, tzinfo=timezone.utc)


def test_quota_message_names_the_limit_and_the_reset() -> None:
    resets = datetime(2026, 5, 2, tzinfo=timezone.utc)
    error = LimitExceeded(LimitKind.DAILY_QUOTA, 20, Plan.FREE, resets)
    assert "daily job quota of 20" in error.message
    assert "'free'" in error.message
    assert "2026-05-02T00:00:00+00:00" in error.message


def test_concurrency_message_says_how_it_frees_up() -> None:
    error = LimitExceeded(LimitKind.CONCURRENCY, 4, Plan.PRO)
    assert "concurrency limit of 4" in str(error)
    assert "finishes or is cancelled" in str(error)
