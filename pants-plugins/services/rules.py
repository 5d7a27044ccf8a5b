"""Before pytest starts on a target with `uses=[...]`, check that each service answers.

A `PytestPluginSetupRequest`: Pants runs it for every test target it applies to and waits for
it before building the pytest process. The probe runs as a process with
`ProcessCacheScope.PER_SESSION`, so it is deduplicated within a run (one probe per URL, however
many targets use it) and never answered from a cache in a later run. A failure stops the run at
once with what to do, instead of letting every test time out against a dead port. Where each
URL comes from and what the errors say are pure functions in `services.endpoints`.
"""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass

from pants.backend.python.goals.pytest_runner import PytestPluginSetup, PytestPluginSetupRequest
from pants.backend.python.target_types import PythonTestsExtraEnvVarsField
from pants.core.util_rules.adhoc_binaries import PythonBuildStandaloneBinary
from pants.engine.env_vars import EnvironmentVars, EnvironmentVarsRequest
from pants.engine.fs import CreateDigest, Digest, FileContent
from pants.engine.process import FallibleProcessResult, Process, ProcessCacheScope
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import Target
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from pytest_tiers.services import KNOWN_SERVICES
from services.endpoints import ServiceUnavailable, service_endpoints, unavailable_message
from services.subsystem import ServicesSubsystem
from services.target_types import UsesServicesField

_PROBE_FILE = "__services_probe.py"


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
    if subsystem.skip:
        return PytestPluginSetup()
    target = request.target
    used = tuple(target[UsesServicesField].value or ())
    env = await Get(
        EnvironmentVars,
        EnvironmentVarsRequest(
            sorted(subsystem.env_vars[s] for s in set(used) if s in subsystem.env_vars)
        ),
    )
    endpoints = service_endpoints(
        str(target.address),
        used,
        target.get(PythonTestsExtraEnvVarsField).value or (),
        env,
        subsystem.env_vars,
        subsystem.default_urls,
    )
    results = await MultiGet(
        Get(ServiceProbeResult, ServiceProbe(e.service, e.url, subsystem.check_timeout))
        for e in endpoints
    )
    failures = [(e, r.problem) for e, r in zip(endpoints, results) if r.problem]
    if failures:
        raise ServiceUnavailable(unavailable_message(str(target.address), failures))
    return PytestPluginSetup()


def rules():
    return [*collect_rules(), UnionRule(PytestPluginSetupRequest, ServicesCheckRequest)]
