"""Canary: under Pants, a unit test's process receives no service URL.

Only targets that declare `uses=[...]` list the URL variables in `extra_env_vars`, so Pants
passes them nowhere else, and a unit test's cache key never depends on them.
`build-support/ci/check` runs the unit tier with those variables set (to closed ports), so
this fails if they leak.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tomllib

pytestmark = pytest.mark.unit

PANTS_TOML = Path(__file__).resolve().parents[2] / "pants.toml"


def test_a_unit_test_sees_no_service_url() -> None:
    service_vars = tomllib.loads(PANTS_TOML.read_text())["services"]["env_vars"].values()
    assert sorted(service_vars) == ["JOBPIPE_DATABASE_URL", "JOBPIPE_REDIS_URL"]
    assert {name: os.environ[name] for name in service_vars if name in os.environ} == {}
