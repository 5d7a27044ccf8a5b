"""Where a used service's URL comes from, and the messages, without Pants or a network."""

from __future__ import annotations

import pytest

from pytest_tiers.services import unreachable
from services.endpoints import (
    ServiceEndpoint,
    ServicesConfigError,
    service_endpoints,
    unavailable_message,
)

pytestmark = pytest.mark.unit

ENV_VARS = {"postgres": "APP_DB_URL", "redis": "APP_REDIS_URL"}
DEFAULTS = {"postgres": "postgresql://127.0.0.1:5432/x", "redis": "redis://127.0.0.1:6379/0"}


def endpoints(used, extra_env_vars, env=None, env_vars=ENV_VARS, default_urls=DEFAULTS):
    return service_endpoints(
        "tests/test_a.py", used, extra_env_vars, env or {}, env_vars, default_urls
    )


def test_a_value_in_extra_env_vars_wins_over_the_environment() -> None:
    assert endpoints(["redis"], ["APP_REDIS_URL=redis://h:1/0"], {"APP_REDIS_URL": "x"}) == [
        ServiceEndpoint(
            "redis", "redis://h:1/0", "APP_REDIS_URL", "APP_REDIS_URL in its extra_env_vars"
        )
    ]


def test_a_bare_variable_passes_the_environments_value() -> None:
    assert endpoints(["redis"], ["APP_REDIS_URL"], {"APP_REDIS_URL": "redis://h:2/0"}) == [
        ServiceEndpoint("redis", "redis://h:2/0", "APP_REDIS_URL", "from $APP_REDIS_URL")
    ]


def test_an_unset_variable_falls_back_to_the_default() -> None:
    assert endpoints(["postgres", "redis", "postgres"], ["APP_DB_URL", "APP_REDIS_URL"]) == [
        ServiceEndpoint(
            "postgres", DEFAULTS["postgres"], "APP_DB_URL", "the default; $APP_DB_URL is unset"
        ),
        ServiceEndpoint(
            "redis", DEFAULTS["redis"], "APP_REDIS_URL", "the default; $APP_REDIS_URL is unset"
        ),
    ]


def test_a_variable_missing_from_extra_env_vars_is_a_config_error() -> None:
    with pytest.raises(ServicesConfigError) as error:
        endpoints(["redis"], ["APP_DB_URL"])
    assert str(error.value) == (
        "tests/test_a.py: uses=['redis'] names 'redis', but its URL variable APP_REDIS_URL is "
        "not in the target's extra_env_vars, so its tests would not see the URL that was "
        "checked.\n"
        '    fix: add "APP_REDIS_URL" to extra_env_vars in the BUILD file (or its __defaults__).'
    )


@pytest.mark.parametrize(
    ("env_vars", "default_urls", "missing"),
    [({}, DEFAULTS, "env_vars"), (ENV_VARS, {}, "default_urls")],
)
def test_a_service_missing_from_services_options_is_a_config_error(
    env_vars: dict, default_urls: dict, missing: str
) -> None:
    with pytest.raises(ServicesConfigError) as error:
        endpoints(["redis"], ["APP_REDIS_URL"], env_vars=env_vars, default_urls=default_urls)
    assert str(error.value) == (
        f"tests/test_a.py: uses=['redis'] names 'redis', but [services] in pants.toml has no "
        f"{missing} entry for it.\n"
        '    fix: add `env_vars = {"redis" = "APP_REDIS_URL"}` and a matching `default_urls` '
        "entry under [services]."
    )


def test_unreachable_says_what_where_why_and_how_to_start_it() -> None:
    problem = unreachable(
        "redis",
        "redis://127.0.0.1:1/0",
        "APP_REDIS_URL",
        "from $APP_REDIS_URL",
        "[Errno 111] Connection refused.\n",
        location="tests/test_a.py::test_x",
    )
    assert problem.render() == (
        "tests/test_a.py::test_x: redis (Redis) at redis://127.0.0.1:1/0 (from $APP_REDIS_URL) "
        "is not reachable: [Errno 111] Connection refused.\n"
        "    fix: start Redis, then re-run:\n"
        "           Debian/Ubuntu:  sudo apt-get install -y redis-server && "
        "sudo service redis-server start\n"
        "           macOS:          brew install redis && brew services start redis\n"
        "           container:      docker run -d -p 6379:6379 redis:7\n"
        "         or set APP_REDIS_URL to the URL of a running Redis; the unit tier needs no "
        "services (`pants --tag=unit test ::`, or `pytest -m unit`)."
    )


def test_every_unreachable_service_of_a_target_is_one_problem() -> None:
    postgres = ServiceEndpoint("postgres", "postgresql://h/x", "APP_DB_URL", "from $APP_DB_URL")
    redis = ServiceEndpoint("redis", "redis://h/0", "APP_REDIS_URL", "from $APP_REDIS_URL")
    message = unavailable_message("tests/test_a.py", [(postgres, "down"), (redis, "gone")])
    assert message.split("\n\n") == [
        unreachable(
            "postgres", "postgresql://h/x", "APP_DB_URL", "from $APP_DB_URL", "down",
            location="tests/test_a.py",
        ).render(),
        unreachable(
            "redis", "redis://h/0", "APP_REDIS_URL", "from $APP_REDIS_URL", "gone",
            location="tests/test_a.py",
        ).render(),
    ]
