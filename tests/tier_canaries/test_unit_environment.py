"""Canary: under Pants, a unit test's process receives no service URL.

Only targets that declare `uses=[...]` list the URL variables in `extra_env_vars`, so Pants
passes them nowhere else, and a unit test's cache key never depends on them.
`build-support/ci/check` runs the unit tier with those variables set (to closed ports), so
this fails if they leak.

pytest-tiers also unsets them around every unit test, which would hide a leak; so this reads
the environment as the process received it, at import (collection), before any test runs.
"""

from __future__ import annotations

import os

import pytest

from pytest_tiers.plugin import settings

pytestmark = pytest.mark.unit

ENVIRONMENT_AS_RECEIVED = dict(os.environ)


def test_a_unit_test_sees_no_service_url(pytestconfig: pytest.Config) -> None:
    tier_settings = settings(pytestconfig)
    assert tier_settings is not None, "pytest-tiers is not configured for tests/"
    service_vars = tier_settings.service_env_vars
    assert sorted(service_vars) == ["JOBPIPE_DATABASE_URL", "JOBPIPE_REDIS_URL"]
    leaked = {n: ENVIRONMENT_AS_RECEIVED[n] for n in service_vars if n in ENVIRONMENT_AS_RECEIVED}
    assert leaked == {}
