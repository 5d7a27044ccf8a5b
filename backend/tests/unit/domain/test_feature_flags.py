import uuid

import pytest

from jobpipe.domain.feature_flags import FeatureFlags, Flag, FlagRule, FlagSubject
from jobpipe.domain.usage_policy import Plan

pytestmark = pytest.mark.unit


def subject(plan: Plan = Plan.FREE, beta: bool = False) -> FlagSubject:
    return FlagSubject(user_id=uuid.uuid4(), plan=plan, beta=beta)


def test_default_rules_gate_wait_estimates_to_beta_users() -> None:
    flags = FeatureFlags()
    assert flags.is_enabled(Flag.WAIT_ESTIMATES, subject(beta=True))
    assert not flags.is_enabled(Flag.WAIT_ESTIMATES, subject(beta=False))
    assert flags.is_enabled(Flag.MARKDOWN_EXPORT, subject())


def test_disabled_flag_is_off_even_for_beta_users() -> None:
    flags = FeatureFlags({Flag.MARKDOWN_EXPORT: FlagRule(enabled=False)})
    assert not flags.is_enabled(Flag.MARKDOWN_EXPORT, subject(beta=True))


def test_flag_without_a_rule_is_off() -> None:
    assert not FeatureFlags({}).is_enabled(Flag.WAIT_ESTIMATES, subject(beta=True))


def test_plan_restriction() -> None:
    flags = FeatureFlags(
        {Flag.WAIT_ESTIMATES: FlagRule(enabled=True, plans=frozenset({Plan.TEAM}))}
    )
    assert flags.is_enabled(Flag.WAIT_ESTIMATES, subject(Plan.TEAM))
    assert not flags.is_enabled(Flag.WAIT_ESTIMATES, subject(Plan.PRO))


def test_rollout_is_stable_per_user_and_roughly_proportional() -> None:
    flags = FeatureFlags({Flag.WAIT_ESTIMATES: FlagRule(enabled=True, rollout_percent=30)})
    subjects = [subject() for _ in range(2000)]
    first = [flags.is_enabled(Flag.WAIT_ESTIMATES, s) for s in subjects]
    again = [flags.is_enabled(Flag.WAIT_ESTIMATES, s) for s in subjects]
    assert first == again
    assert 0.2 < sum(first) / len(first) < 0.4


@pytest.mark.parametrize("percent", [-1, 101])
def test_rollout_percent_must_be_a_percentage(percent: int) -> None:
    with pytest.raises(ValueError, match="rollout_percent"):
        FlagRule(enabled=True, rollout_percent=percent)
