"""Before pytest starts on a target with `uses=[...]`, check that each service answers.

A `PytestPluginSetupRequest`: Pants runs it for every test target it applies to and waits for
it before building the pytest process. The probe runs as a process with
`ProcessCacheScope.PER_SESSION`, so it is deduplicated within a run (one probe per URL, however
many targets use it) and never answered from a cache in a later run. A failure stops the run at
once with what to do, instead of letting every test time out against a dead port.
"""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass

from pants.backend.python.goals.pytest_runner import PytestPluginSetup, PytestPluginSetupRequest
from pants.backend.python.target_types import PythonTestsExtraEnvVarsField
from pants.core.util_rules.adhoc_binaries import PythonBuildStandaloneBinary
from pants.engine.addresses import Address
from pants.engine.env_vars import EnvironmentVars, EnvironmentVarsRequest
from pants.engine.fs import CreateDigest, Digest, FileContent
from pants.engine.process import FallibleProcessResult, Process, ProcessCacheScope
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import Target
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from services.catalog import KNOWN_SERVICES
from services.subsystem import ServicesSubsystem
from services.target_types import UsesServicesField

_PROBE_FILE = "__services_probe.py"


class ServicesConfigError(Exception):
    """`uses=[...]` and `[services]` / `extra_env_vars` disagree."""


class ServiceUnavailable(Exception):
    """A declared service did not answer: the tests that use it cannot run."""


@dataclass(frozen=True)
class ServicesCheckRequest(PytestPluginSetupRequest):
    @classmethod
    def is_applicable(cls, target: Target) -> bool:
        return bool(target.get(UsesServicesField).value)


@dataclass(frozen=True)
class ServiceProbe:
    service: str
    url: str
    timeout: float


@dataclass(frozen=True)
class ServiceProbeResult:
    problem: str | None


@dataclass(frozen=True)
class ServiceEndpoint:
    """Where one target's tests will find one service, and where that URL came from."""

    service: str
    url: str
    variable: str
    source: str


def service_endpoints(
    address: Address,
    used: tuple[str, ...],
    extra_env_vars: tuple[str, ...],
    env: EnvironmentVars,
    subsystem: ServicesSubsystem,
) -> list[ServiceEndpoint]:
    """The URL each used service has in the target's test process (its `extra_env_vars`:
    `NAME=value` wins, a bare `NAME` passes the environment's value, else the default)."""
    passed = {entry.partition("=")[0]: entry for entry in extra_env_vars}
    endpoints = []
    for service in sorted(set(used)):
        var = subsystem.env_vars.get(service)
        default = subsystem.default_urls.get(service)
        if not var or not default:
            raise ServicesConfigError(
                f"{address}: uses={list(used)} names {service!r}, but [services] in pants.toml "
                f"has no {'env_vars' if not var else 'default_urls'} entry for it. Add "
                f'`env_vars = {{"{service}" = "APP_{service.upper()}_URL"}}` and a matching '
                f"`default_urls` entry under [services]."
            )
        if var not in passed:
            raise ServicesConfigError(
                f"{address}: uses={list(used)} names {service!r}, but its URL variable {var} is "
                f"not in the target's extra_env_vars, so its tests would not see the URL that was "
                f'checked. Add "{var}" to extra_env_vars in the BUILD file (or its __defaults__).'
            )
        name, has_value, value = passed[var].partition("=")
        if has_value:
            endpoint = ServiceEndpoint(service, value, var, f"{var} in its extra_env_vars")
        elif name in env:
            endpoint = ServiceEndpoint(service, env[name], var, f"from ${var}")
        else:
            endpoint = ServiceEndpoint(service, default, var, f"the default; ${var} is unset")
        endpoints.append(endpoint)
    return endpoints


def unavailable_message(
    address: Address, failures: list[tuple[ServiceEndpoint, str]], timeout: float
) -> str:
    lines = [
        f"{address} uses services that are not reachable (checked with a {timeout:g} s limit):"
    ]
    for endpoint, problem in failures:
        kind = KNOWN_SERVICES[endpoint.service]
        lines += [
            "",
            f"{kind.title} ({endpoint.service}) at {endpoint.url} ({endpoint.source}): {problem}",
            f"Start {kind.title}, then re-run:",
            kind.how_to_start(),
            f"or set {endpoint.variable} to the URL of a running {kind.title}.",
        ]
    lines += ["", "The unit tier needs no services: `pants --tag=unit test ::`."]
    return "\n".join(lines)


@rule(desc="Checking a service that tests use", level=LogLevel.DEBUG)
async def probe_service(
    request: ServiceProbe, python: PythonBuildStandaloneBinary
) -> ServiceProbeResult:
    script = pkgutil.get_data("services", "probe.py")
    assert script is not None, "services/probe.py is missing from the plugin"
    digest = await Get(Digest, CreateDigest([FileContent(_PROBE_FILE, script)]))
    kind = KNOWN_SERVICES[request.service]
    result = await Get(
        FallibleProcessResult,
        Process(
            argv=(python.path, _PROBE_FILE, kind.protocol, request.url, str(request.timeout)),
            input_digest=digest,
            description=f"Checking that {kind.title} answers at {request.url}",
            level=LogLevel.DEBUG,
            cache_scope=ProcessCacheScope.PER_SESSION,
            timeout_seconds=int(request.timeout) + 5,  # the probe bounds itself; a backstop
            append_only_caches=PythonBuildStandaloneBinary.APPEND_ONLY_CACHES,
        ),
    )
    if result.exit_code == 0:
        return ServiceProbeResult(None)
    output = (result.stdout or result.stderr).decode(errors="replace").strip()
    return ServiceProbeResult(output or f"the probe exited with {result.exit_code}")


@rule(desc="Checking the services that tests use", level=LogLevel.DEBUG)
async def check_services(
    request: ServicesCheckRequest, subsystem: ServicesSubsystem
) -> PytestPluginSetup:
    if not subsystem.check:
        return PytestPluginSetup()
    target = request.target
    used = tuple(target[UsesServicesField].value or ())
    extra_env_vars = tuple(target.get(PythonTestsExtraEnvVarsField).value or ())
    env = await Get(
        EnvironmentVars,
        EnvironmentVarsRequest(
            sorted(subsystem.env_vars[s] for s in set(used) if s in subsystem.env_vars)
        ),
    )
    endpoints = service_endpoints(target.address, used, extra_env_vars, env, subsystem)
    results = await MultiGet(
        Get(ServiceProbeResult, ServiceProbe(e.service, e.url, subsystem.check_timeout))
        for e in endpoints
    )
    failures = [(e, r.problem) for e, r in zip(endpoints, results) if r.problem]
    if failures:
        raise ServiceUnavailable(
            unavailable_message(target.address, failures, subsystem.check_timeout)
        )
    return PytestPluginSetup()


def rules():
    return [*collect_rules(), UnionRule(PytestPluginSetupRequest, ServicesCheckRequest)]
