"""Where each service a target uses is found, and what to say when it is not there.

Pure (no Pants imports): the rules in `services.rules` gather the target's fields, the
environment and `[services]`, and hand them here; the tests call these functions directly.
Every message has the project's one shape (`pytest_tiers.messages`): the target address, the
problem, then `fix:`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pytest_tiers.messages import Problem
from pytest_tiers.services import from_default, from_environment, unreachable


class ServicesConfigError(Exception):
    """`uses=[...]` and `[services]` / `extra_env_vars` disagree."""


class ServiceUnavailable(Exception):
    """A declared service did not answer: the tests that use it cannot run."""


@dataclass(frozen=True)
class ServiceEndpoint:
    """Where one target's tests will find one service, and where that URL came from."""

    service: str
    url: str
    variable: str
    source: str


def service_endpoints(
    address: str,
    used: Sequence[str],
    extra_env_vars: Iterable[str],
    env: Mapping[str, str],
    env_vars: Mapping[str, str],
    default_urls: Mapping[str, str],
) -> list[ServiceEndpoint]:
    """The URL each used service has in the target's test process (its `extra_env_vars`:
    `NAME=value` wins, a bare `NAME` passes the environment's value, else the default).

    `env_vars` and `default_urls` are `[services]`; `env` holds the caller's environment."""
    passed = {entry.partition("=")[0]: entry for entry in extra_env_vars}
    endpoints = []
    for service in sorted(set(used)):
        var = env_vars.get(service)
        default = default_urls.get(service)
        if not var or not default:
            raise ServicesConfigError(missing_from_options(address, used, service, var))
        if var not in passed:
            raise ServicesConfigError(missing_from_extra_env_vars(address, used, service, var))
        name, has_value, value = passed[var].partition("=")
        if has_value:
            endpoint = ServiceEndpoint(service, value, var, f"{var} in its extra_env_vars")
        elif name in env:
            endpoint = ServiceEndpoint(service, env[name], var, from_environment(var))
        else:
            endpoint = ServiceEndpoint(service, default, var, from_default(var))
        endpoints.append(endpoint)
    return endpoints


def missing_from_options(
    address: str, used: Sequence[str], service: str, variable: str | None
) -> str:
    return Problem(
        location=address,
        problem=f"uses={list(used)} names {service!r}, but [services] in pants.toml has no "
        f"{'env_vars' if not variable else 'default_urls'} entry for it.",
        fix=f'add `env_vars = {{"{service}" = "APP_{service.upper()}_URL"}}` and a matching '
        "`default_urls` entry under [services].",
    ).render()


def missing_from_extra_env_vars(
    address: str, used: Sequence[str], service: str, variable: str
) -> str:
    return Problem(
        location=address,
        problem=f"uses={list(used)} names {service!r}, but its URL variable {variable} is not "
        "in the target's extra_env_vars, so its tests would not see the URL that was checked.",
        fix=f'add "{variable}" to extra_env_vars in the BUILD file (or its __defaults__).',
    ).render()


def unavailable_message(address: str, failures: Iterable[tuple[ServiceEndpoint, str]]) -> str:
    """One problem per service that did not answer, each with how to start it."""
    return "\n\n".join(
        unreachable(e.service, e.url, e.variable, e.source, reason, location=address).render()
        for e, reason in failures
    )
