"""Runs that must fail, and say why, in an outside Pants repository that loads the plugin
wheels: a tier run that would test nothing (a misspelt tier, a path with no test of the tier),
and, after adoption, a target added that declares only PostgreSQL but PINGs Redis, which the
integration tier under `--tiers-check-uses` (as the full check runs it) fails, naming test,
service and fix. Integration tier: pip and Pants fetch requirements from PyPI, the project's
tests PING the real Redis.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from distributions.outside_project import FIXTURES, pants, pants_repository, virtualenv

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("outside")
    return pants_repository(root, virtualenv(root / "venv", "3.11"))


def test_a_tier_run_that_would_test_nothing_fails(repo: Path) -> None:
    # Through the launcher's tier-selection goal: a misspelt tier, and a path that has no test
    # of the tier (tests/ping is integration).
    typo = pants(repo, "test", "--tag=unti", "::")
    assert typo.startswith("exit 1"), typo
    assert "'unti' is not a tier, and it looks like a misspelling of 'unit'" in typo, typo
    assert "fix: use --tag=unit." in typo, typo
    empty = pants(repo, "--tag=unit", "test", "tests/ping::")
    assert empty.startswith("exit 1"), empty
    assert "--tag=unit: no test was selected" in empty, empty


def test_a_target_that_reaches_an_undeclared_service_fails_the_uses_check(repo: Path) -> None:
    shutil.copytree(FIXTURES / "planted", repo, dirs_exist_ok=True)

    integration = pants(repo, "--tag=integration", "test", "::", "--", "--tiers-check-uses")
    assert "✓ tests/ping/test_redis_ping.py:tests succeeded" in integration, integration
    assert "✕ tests/reports/test_report_cache.py:tests failed" in integration, integration
    assert (
        "tests/reports/test_report_cache.py::test_report_is_cached: it reached redis "
        "(127.0.0.1:6379) in call, but its target declares uses=['postgres']." in integration
    ), integration
    assert "    fix: add 'redis' to `uses`" in integration, integration
