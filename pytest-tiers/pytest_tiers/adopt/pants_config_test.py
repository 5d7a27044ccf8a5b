"""What adopt reads from the Pants repository's pants.toml for the pytest configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_tiers.adopt.pants_config import pants_attempts, pants_config, pants_service_env_vars
from pytest_tiers.messages import ProblemError

pytestmark = pytest.mark.unit

TIERS = ("unit", "integration")


def test_attempts_become_the_words_of_tiers_attempts() -> None:
    config = {"tiers": {"attempts": {"integration": 3, "unit": 1}}}
    assert pants_attempts(config, TIERS) == ("integration=3",)
    assert pants_attempts({}, TIERS) == ()


def test_attempts_the_plugin_would_reject_are_a_problem() -> None:
    with pytest.raises(ProblemError) as raised:
        pants_attempts({"tiers": {"attempts": {"unit": 2}}}, TIERS)
    assert str(raised.value).startswith("pants.toml: [tiers].attempts: gives the hermetic tier")


def test_service_variables_come_from_services_env_vars() -> None:
    config = {"services": {"env_vars": {"redis": "APP_REDIS_URL"}}}
    assert pants_service_env_vars(config) == {"redis": "APP_REDIS_URL"}
    assert pants_service_env_vars({"services": {"env_vars": ["x"]}}) == {}


def test_pants_toml_is_read_or_taken_as_empty(tmp_path: Path) -> None:
    (tmp_path / "pants.toml").write_text('[tiers]\nattempts = { integration = 2 }\n')
    assert pants_config(tmp_path) == {"tiers": {"attempts": {"integration": 2}}}
    assert pants_config(None) == {}
    assert pants_config(tmp_path / "missing") == {}
    (tmp_path / "pants.toml").write_text("[tiers\n")  # Pants reports that one itself
    assert pants_config(tmp_path) == {}
