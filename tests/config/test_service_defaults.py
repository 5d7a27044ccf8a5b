"""The service URL defaults live twice, by necessity: in pants.toml (`[services]`, what Pants
checks before the integration tier) and in jobpipe.settings (what the code connects to). They
must agree, or Pants would check one server while the tests talk to another."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib

from jobpipe.settings import Settings

pytestmark = pytest.mark.unit

SERVICES = tomllib.loads((Path(__file__).resolve().parents[2] / "pants.toml").read_text())[
    "services"
]
SETTING_OF_SERVICE = {"postgres": "database_url", "redis": "redis_url"}


@pytest.mark.parametrize("service", sorted(SETTING_OF_SERVICE))
def test_pants_checks_the_url_the_code_uses(service: str) -> None:
    field = SETTING_OF_SERVICE[service]
    assert SERVICES["default_urls"][service] == Settings.model_fields[field].default
    prefix = Settings.model_config["env_prefix"]
    assert SERVICES["env_vars"][service] == f"{prefix}{field}".upper()


def test_every_configured_service_is_covered_here() -> None:
    assert (
        sorted(SERVICES["env_vars"])
        == sorted(SERVICES["default_urls"])
        == sorted(SETTING_OF_SERVICE)
    )
