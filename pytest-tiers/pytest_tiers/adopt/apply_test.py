"""What adopt reads from the Pants repository's pants.toml for the pytest configuration."""

from __future__ import annotations

import pytest

from pytest_tiers.adopt.apply import pants_attempts, pants_service_env_vars
from pytest_tiers.messages import ProblemError

pytestmark = pytest.mark.unit


def test_attempts_become_the_words_of_tiers_attempts() -> None:
    config = {"tiers": {"attempts": {"integration": 3, "unit": 1}}}
    assert pants_attempts(config) == ("integration=3",)
    assert pants_attempts({}) == ()


def test_attempts_the_plugin_would_reject_are_a_problem() -> None:
    with pytest.raises(ProblemError) as raised:
        pants_attempts({"tiers": {"attempts": {"unit": 2}}})
    assert str(raised.value).startswith("pants.toml: [tiers].attempts: gives the hermetic tier")


def test_service_variables_come_from_services_env_vars() -> None:
    config = {"services": {"env_vars": {"redis": "APP_REDIS_URL"}}}
    assert pants_service_env_vars(config) == {"redis": "APP_REDIS_URL"}
    assert pants_service_env_vars({"services": {"env_vars": ["x"]}}) == {}
