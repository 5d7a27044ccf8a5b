"""Each test file's tier, from evidence: a normal run, a sealed run, and sealed re-runs per file.

Pure (no I/O). The runs are observation reports (`pytest --tiers-observe`, see `observe.py`):
per test its file, outcome, error and what it reached; per file its collection error.

- A test that passes normally and does not pass with `connect(2)` denied needs the network.
  When it failed in the sealed whole-suite run, only the sealed run of its file alone counts (a
  file that passes alone failed because of another file: contamination, not need).
- A test that fails even with the network allowed is reported (`failing`) and left out.
- A skipped test gives no evidence.
- A file that collects normally but not sealed (a connection at import or collection) needs
  the network.
- A file is integration when any of its tests needs the network (mixed when others do not),
  unit when some test passes sealed and none needs the network. A file without evidence is
  reported as undecided and planned as integration: nothing is called unit without a test
  that passed sealed.

Observation explains the decision (the service, the fixture, the phase); it never makes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pytest_tiers.network_events import describe_reach
from pytest_tiers.services import service_of

UNIT = "unit"
INTEGRATION = "integration"

Report = Mapping[str, Any]


@dataclass(frozen=True)
class FilePlan:
    path: str
    tier: str
    mixed: bool
    evidence: tuple[str, ...]
    needs_network: tuple[str, ...] = ()
    passes_sealed: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    decided: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "tier": self.tier,
            "mixed": self.mixed,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Plan:
    files: tuple[FilePlan, ...]
    failing: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"files": [f.to_json() for f in self.files], "failing": list(self.failing)}

    def tier_of(self, path: str) -> str | None:
        for plan in self.files:
            if plan.path == path:
                return plan.tier
        return None


_PASSED = "passed"
_NO_EVIDENCE = ("skipped", "xfailed", "not run")

# Addresses a client names in its error when its connect was denied (libpq, redis-py, ...).
_ADDRESS_PATTERNS = (
    (re.compile(r"(/[\w./-]*\.s\.PGSQL\.\d+)"), "unix"),
    (re.compile(r"\bserver at \"([\w.:-]+)\"(?: \([\d.:a-f]+\))?, port (\d+)"), "tcp"),
    (re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3}|localhost):(\d{2,5})\b"), "tcp"),
    (re.compile(r"\('(\d{1,3}(?:\.\d{1,3}){3}|localhost)', (\d{2,5})\)"), "tcp"),
)


def addresses_in(text: str, ports: Mapping[int, str] | None = None) -> list[str]:
    """Services (or addresses) named in an error message, in order, without repeats."""
    found: list[str] = []
    for pattern, kind in _ADDRESS_PATTERNS:
        for match in pattern.finditer(text or ""):
            address = match.group(1) if kind == "unix" else f"{match.group(1)}:{match.group(2)}"
            service = service_of(kind, address, dict(ports or {}))
            if service not in found:
                found.append(service)
    return found


def _services(events: Iterable[Mapping[str, Any]]) -> list[str]:
    services: list[str] = []
    for event in events:
        service = event.get("service")
        if event.get("kind") in ("tcp", "udp", "unix") and service and service not in services:
            services.append(service)
    return services


def _short(text: str, limit: int = 160) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _collect_error_lines(text: str) -> str:
    """The informative line of a collection error (its `E   ` line), else its last line."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    return _short(errors[0] if errors else (lines[-1] if lines else ""))


def _tests_by_file(report: Report) -> dict[str, dict[str, Mapping[str, Any]]]:
    by_file: dict[str, dict[str, Mapping[str, Any]]] = {}
    for nodeid, test in report.get("tests", {}).items():
        by_file.setdefault(test["file"], {})[nodeid] = test
    return by_file


def decide(
    normal: Report,
    sealed: Report,
    alone: Mapping[str, Report],
    ports: Mapping[int, str] | None = None,
) -> Plan:
    """The plan from a normal run, a sealed whole-suite run, and sealed runs of single files
    (keyed by file; made for the files that failed in the sealed whole-suite run)."""
    normal_by_file = _tests_by_file(normal)
    sealed_tests = sealed.get("tests", {})
    fixtures = {**sealed.get("fixtures", {}), **normal.get("fixtures", {})}
    normal_errors = normal.get("collect_errors", {})
    sealed_errors = sealed.get("collect_errors", {})
    files = sorted(set(normal_by_file) | set(normal_errors) | set(sealed_errors))
    failing: list[str] = []
    plans = []
    for path in files:
        evidence: list[str] = []
        needs: list[str] = []
        passes: list[str] = []
        services: list[str] = []
        no_evidence: list[str] = []
        own = alone.get(path)
        if path in normal_errors:
            failing.append(path)
            plans.append(
                FilePlan(
                    path,
                    INTEGRATION,
                    False,
                    (
                        "fails to collect even with the network allowed: "
                        f"{_collect_error_lines(normal_errors[path])}",
                        "undecided (no evidence): planned as integration until it collects",
                    ),
                    decided=False,
                )
            )
            continue
        sealed_error = sealed_errors.get(path)
        if sealed_error is not None and own is not None and path not in own.get(
            "collect_errors", {}
        ):
            evidence.append(
                "failed to collect in the sealed whole-suite run but collects sealed on its "
                "own (another file's doing)"
            )
            sealed_error = None
        elif own is not None and path in own.get("collect_errors", {}):
            sealed_error = own["collect_errors"][path]
        if sealed_error is not None:
            named = addresses_in(sealed_error, ports)
            services.extend(s for s in named if s not in services)
            observed = [
                describe_reach(e, fixtures)
                for e in normal.get("files_reached", {}).get(path, [])
            ]
            evidence.append(
                "fails to collect with connect(2) denied (a connection at import or collection "
                f"time): {_collect_error_lines(sealed_error)}"
                + (f"; names {', '.join(named)}" if named else "")
            )
            evidence.extend(f"at collection: {line}" for line in observed)
            services.extend(
                s
                for s in _services(normal.get("files_reached", {}).get(path, []))
                if s not in services
            )
        for nodeid, test in sorted(normal_by_file.get(path, {}).items()):
            outcome = test.get("outcome")
            if outcome in ("failed", "xpassed"):
                failing.append(nodeid)
                evidence.append(
                    f"{nodeid}: fails even with the network allowed, left out of the decision"
                    + (f" ({_short(test.get('error', ''))})" if test.get("error") else "")
                )
                continue
            if outcome in _NO_EVIDENCE:
                no_evidence.append(nodeid)
                continue
            sealed_test = sealed_tests.get(nodeid, {})
            sealed_outcome = sealed_test.get("outcome", "not run")
            sealed_error_text = sealed_test.get("error", "")
            contaminated = False
            if own is not None:
                own_test = own.get("tests", {}).get(nodeid)
                if own_test is not None:
                    contaminated = sealed_outcome != _PASSED and own_test["outcome"] == _PASSED
                    sealed_outcome = own_test["outcome"]
                    sealed_error_text = own_test.get("error", "")
            reached = test.get("reached", [])
            if sealed_outcome == _PASSED:
                passes.append(nodeid)
                if contaminated:
                    evidence.append(
                        f"{nodeid}: failed in the sealed whole-suite run but passes sealed with "
                        "its file alone (another file's doing): unit"
                    )
                if reached:
                    evidence.append(
                        f"{nodeid}: passes with connect(2) denied although it "
                        + "; ".join(describe_reach(e, fixtures) for e in reached)
                        + " (it does not need the answer)"
                    )
                continue
            needs.append(nodeid)
            if sealed_error is not None and sealed_outcome == "not run":
                continue  # its file does not collect sealed: said once, above
            named = addresses_in(sealed_error_text, ports)
            why = [describe_reach(e, fixtures) for e in reached]
            line = f"{nodeid}: passes normally, {_sealed_word(sealed_outcome)} with connect(2) denied"
            if sealed_error_text:
                line += f" ({_short(sealed_error_text)})"
            if why:
                line += "; it " + "; ".join(why)
            elif named:
                line += f"; its error names {', '.join(named)}"
            else:
                line += "; no Python-level connect seen (a C client, or a lazy client opened earlier)"
            evidence.append(line)
            for service in [*_services(reached), *named]:
                if service not in services:
                    services.append(service)
        if no_evidence:
            evidence.append(
                f"{len(no_evidence)} test(s) skipped, no evidence: {', '.join(no_evidence)}"
            )
        if needs or sealed_error is not None:
            tier, mixed, decided = INTEGRATION, bool(needs and passes), True
            if mixed:
                evidence.insert(
                    0,
                    f"mixed: {len(needs)} test(s) need the network ({', '.join(needs)}), "
                    f"{len(passes)} pass sealed ({', '.join(passes)}); the file goes to "
                    "integration (split it to keep the others in the unit tier)",
                )
        elif passes:
            tier, mixed, decided = UNIT, False, True
            evidence.insert(0, f"all {len(passes)} test(s) that ran pass with connect(2) denied")
        else:
            tier, mixed, decided = INTEGRATION, False, False
            observed = [
                e for nodeid in no_evidence for e in normal_by_file[path][nodeid].get("reached", [])
            ]
            if observed:
                decided = True
                services.extend(s for s in _services(observed) if s not in services)
                evidence.insert(
                    0,
                    "no test ran to a verdict; observation saw: "
                    + "; ".join(describe_reach(e, fixtures) for e in observed),
                )
            else:
                evidence.insert(
                    0,
                    "undecided (no evidence: no test ran to a verdict): planned as integration, "
                    "since nothing is called unit without passing sealed",
                )
        plans.append(
            FilePlan(
                path=path,
                tier=tier,
                mixed=mixed,
                evidence=tuple(evidence),
                needs_network=tuple(needs),
                passes_sealed=tuple(passes),
                services=tuple(services),
                decided=decided,
            )
        )
    return Plan(files=tuple(plans), failing=tuple(sorted(failing)))


def _sealed_word(outcome: str) -> str:
    return {"failed": "fails", "skipped": "is skipped", "not run": "does not run"}.get(
        outcome, outcome
    )


def relocate(plan: Plan, path_of: Mapping[str, str]) -> Plan:
    """The same plan with file paths renamed (rootdir-relative to cwd-relative)."""
    files = tuple(
        FilePlan(
            path=path_of.get(f.path, f.path),
            tier=f.tier,
            mixed=f.mixed,
            evidence=f.evidence,
            needs_network=f.needs_network,
            passes_sealed=f.passes_sealed,
            services=f.services,
            decided=f.decided,
        )
        for f in plan.files
    )
    return Plan(files=tuple(sorted(files, key=lambda f: f.path)), failing=plan.failing, notes=plan.notes)


# Service drivers by the top-level module a test or fixture module imports.
DRIVERS: dict[str, str] = {
    "psycopg": "postgres",
    "psycopg2": "postgres",
    "asyncpg": "postgres",
    "pg8000": "postgres",
    "redis": "redis",
    "aioredis": "redis",
    "pymongo": "mongodb",
    "motor": "mongodb",
    "MySQLdb": "mysql",
    "pymysql": "mysql",
    "aiomysql": "mysql",
    "mysql": "mysql",
    "kafka": "kafka",
    "aiokafka": "kafka",
    "confluent_kafka": "kafka",
    "pika": "amqp",
    "aio_pika": "amqp",
    "kombu": "amqp",
    "nats": "nats",
    "paho": "mqtt",
    "pymemcache": "memcached",
    "pylibmc": "memcached",
}
# In-memory stand-ins: a module that imports one of these is taken to use it, not the server.
FAKES: dict[str, str] = {"fakeredis": "redis", "mongomock": "mongodb", "fakeredis_aioredis": "redis"}


def decide_static(report: Report) -> Plan:
    """The plan from collection alone (`adopt --static`): a file is integration when a test's
    module or a fixture in its closure is defined in a module that imports a service driver
    (and not that service's fake). Every decision says its confidence: never high, since a C
    client behind a helper, or a driver imported elsewhere, is invisible here; a run decides."""
    imports: Mapping[str, list[str]] = report.get("module_imports", {})
    fixtures = report.get("fixtures", {})

    def drivers_of(path: str) -> list[str]:
        modules = set(imports.get(path, []))
        faked = {FAKES[m] for m in modules if m in FAKES}
        return sorted(
            f"{DRIVERS[m]} ({m})" for m in modules if m in DRIVERS and DRIVERS[m] not in faked
        )

    plans = []
    for path, tests in sorted(_tests_by_file(report).items()):
        reasons: list[str] = []
        services: list[str] = []
        for driver in drivers_of(path):
            reasons.append(f"the file imports {driver}")
            services.append(driver.split(" ")[0])
        for test in tests.values():
            for key in test.get("fixtures", []):
                fixture = fixtures.get(key, {})
                module = str(fixture.get("location", "")).rsplit(":", 1)[0]
                if module == path:
                    continue
                for driver in drivers_of(module):
                    reason = (
                        f"fixture {fixture.get('name')!r} ({fixture.get('scope')}-scoped, "
                        f"{fixture.get('location')}) is defined in a module that imports {driver}"
                    )
                    if reason not in reasons:
                        reasons.append(reason)
                        services.append(driver.split(" ")[0])
        if path in report.get("collect_errors", {}):
            plans.append(
                FilePlan(
                    path,
                    INTEGRATION,
                    False,
                    ("static, no confidence: the file does not collect; planned as integration",),
                    decided=False,
                )
            )
        elif reasons:
            plans.append(
                FilePlan(
                    path,
                    INTEGRATION,
                    False,
                    ("static, confidence medium: " + "; ".join(reasons),),
                    services=tuple(dict.fromkeys(services)),
                )
            )
        else:
            plans.append(
                FilePlan(
                    path,
                    UNIT,
                    False,
                    (
                        "static, confidence low: no service driver imported by the file or by "
                        "the modules of its fixtures (a run decides: connections made in C, in "
                        "helpers or in child processes are invisible here)",
                    ),
                )
            )
    return Plan(files=tuple(plans), failing=())
