"""The decision from evidence (pure): reports in, plan out."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_tiers.adopt.decide import (
    FilePlan,
    Plan,
    addresses_in,
    decide,
    decide_static,
    relocate,
)

pytestmark = pytest.mark.unit


def report(tests: dict[str, Any], collect_errors: dict[str, str] | None = None, **extra: Any) -> dict:
    """tests: nodeid -> outcome, or (outcome, error), or a full test record."""
    records = {}
    for nodeid, value in tests.items():
        if isinstance(value, dict):
            record = value
        elif isinstance(value, tuple):
            record = {"outcome": value[0], "error": value[1]}
        else:
            record = {"outcome": value}
        records[nodeid] = {"file": nodeid.split("::")[0], "fixtures": [], "reached": [], **record}
    return {"tests": records, "collect_errors": collect_errors or {}, **extra}


def plan_of(plan: Plan) -> dict[str, tuple[str, bool]]:
    return {f.path: (f.tier, f.mixed) for f in plan.files}


def test_unit_when_every_test_passes_sealed() -> None:
    normal = report({"t_a.py::x": "passed", "t_a.py::y": "passed"})
    plan = decide(normal, normal, {})
    assert plan_of(plan) == {"t_a.py": ("unit", False)}
    assert plan.failing == ()


def test_integration_when_a_test_fails_sealed_even_alone() -> None:
    normal = report({"t_a.py::x": "passed"})
    sealed = report({"t_a.py::x": ("failed", "call: OperationalError: server at \"127.0.0.1\", port 5432 failed: Permission denied")})
    plan = decide(normal, sealed, {"t_a.py": sealed})
    assert plan_of(plan) == {"t_a.py": ("integration", False)}
    assert plan.files[0].services == ("postgres",)
    assert "passes normally, fails with connect(2) denied" in plan.files[0].evidence[0]


def test_a_failure_caused_by_another_file_is_ruled_out_by_the_run_alone() -> None:
    normal = report({"t_a.py::x": "passed"})
    sealed = report({"t_a.py::x": ("failed", "boom")})
    alone = report({"t_a.py::x": "passed"})
    plan = decide(normal, sealed, {"t_a.py": alone})
    assert plan_of(plan) == {"t_a.py": ("unit", False)}
    assert any("another file's doing" in line for line in plan.files[0].evidence)


def test_mixed_file_goes_to_integration_listing_both_sides() -> None:
    normal = report({"t.py::db": "passed", "t.py::pure": "passed"})
    sealed = report({"t.py::db": ("failed", "x"), "t.py::pure": "passed"})
    plan = decide(normal, sealed, {"t.py": sealed})
    (file_plan,) = plan.files
    assert (file_plan.tier, file_plan.mixed) == ("integration", True)
    assert file_plan.needs_network == ("t.py::db",)
    assert file_plan.passes_sealed == ("t.py::pure",)
    assert file_plan.evidence[0].startswith("mixed: 1 test(s) need the network (t.py::db)")


def test_a_test_failing_with_the_network_is_reported_and_left_out() -> None:
    normal = report({"t.py::broken": ("failed", "call: AssertionError"), "t.py::ok": "passed"})
    sealed = report({"t.py::broken": ("failed", "x"), "t.py::ok": "passed"})
    plan = decide(normal, sealed, {})
    assert plan_of(plan) == {"t.py": ("unit", False)}
    assert plan.failing == ("t.py::broken",)


def test_a_skipped_test_gives_no_evidence_and_the_file_is_decided_by_the_others() -> None:
    normal = report({"t.py::skip": "skipped", "t.py::ok": "passed"})
    plan = decide(normal, normal, {})
    assert plan_of(plan) == {"t.py": ("unit", False)}
    assert any("skipped, no evidence: t.py::skip" in line for line in plan.files[0].evidence)


def test_a_file_with_no_evidence_is_undecided_and_never_called_unit() -> None:
    normal = report({"t.py::skip": "skipped"})
    plan = decide(normal, normal, {})
    (file_plan,) = plan.files
    assert (file_plan.tier, file_plan.decided) == ("integration", False)
    assert file_plan.evidence[0].startswith("undecided (no evidence")


def test_a_file_that_fails_to_collect_sealed_is_integration() -> None:
    normal = report({"t.py::x": "passed"})
    error = 'E   psycopg.OperationalError: connection to server at "127.0.0.1", port 5432 failed\nE   more'
    sealed = report({}, {"t.py": error})
    plan = decide(normal, sealed, {"t.py": sealed})
    (file_plan,) = plan.files
    assert (file_plan.tier, file_plan.mixed) == ("integration", False)
    assert file_plan.evidence[0].startswith("fails to collect with connect(2) denied")
    assert "postgres" in file_plan.evidence[0]


def test_a_file_that_fails_to_collect_even_normally_is_failing() -> None:
    normal = report({}, {"t.py": "E   ImportError: nope"})
    plan = decide(normal, normal, {})
    assert plan.failing == ("t.py",)
    assert plan.files[0].decided is False


def test_observation_explains_with_fixture_scope_and_location() -> None:
    fixture_key = "conftest.py:4::pool"
    reached = [{"kind": "tcp", "address": "127.0.0.1:6379", "service": "redis", "phase": "setup", "fixture": fixture_key}]
    normal = report(
        {"t.py::x": {"outcome": "passed", "reached": reached}},
        fixtures={fixture_key: {"name": "pool", "scope": "session", "location": "conftest.py:4"}},
    )
    sealed = report({"t.py::x": ("failed", "setup: PermissionError")})
    plan = decide(normal, sealed, {"t.py": sealed})
    assert plan.files[0].services == ("redis",)
    assert (
        "reached redis (127.0.0.1:6379) in the setup of fixture 'pool' (session-scoped, conftest.py:4)"
        in plan.files[0].evidence[0]
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('connection to server at "127.0.0.1", port 5432 failed', ["postgres"]),
        ('connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed', ["postgres"]),
        ("Error 13 connecting to 127.0.0.1:6379. Permission denied.", ["redis"]),
        ("connect(('10.0.0.5', 8080))", ["10.0.0.5:8080"]),
        ("nothing here", []),
    ],
)
def test_addresses_in_error_messages(text: str, found: list[str]) -> None:
    assert addresses_in(text) == found


def test_json_has_exactly_the_documented_keys_and_relocated_paths() -> None:
    plan = Plan((FilePlan("tests/t.py", "unit", False, ("e",)),), ("tests/t.py::x",))
    moved = relocate(plan, {"tests/t.py": "t.py"})
    assert moved.to_json() == {
        "files": [{"path": "t.py", "tier": "unit", "mixed": False, "evidence": ["e"]}],
        "failing": ["tests/t.py::x"],
    }


def test_static_decision_reads_drivers_of_the_file_and_of_its_fixtures_modules() -> None:
    key = "conftest.py:3::pool"
    collected = report(
        {
            "t_db.py::x": {"outcome": "not run", "fixtures": [key]},
            "t_fake.py::x": "not run",
            "t_pure.py::x": "not run",
        },
        fixtures={key: {"name": "pool", "scope": "session", "location": "conftest.py:3"}},
        module_imports={
            "conftest.py": ["psycopg", "pytest"],
            "t_db.py": [],
            "t_fake.py": ["fakeredis", "redis"],
            "t_pure.py": ["json"],
        },
    )
    plan = decide_static(collected)
    assert plan_of(plan) == {
        "t_db.py": ("integration", False),
        "t_fake.py": ("unit", False),
        "t_pure.py": ("unit", False),
    }
    assert plan.files[0].evidence[0].startswith("static, confidence medium: fixture 'pool'")
    assert plan.files[0].services == ("postgres",)
    assert all(f.evidence[0].startswith("static, confidence low") for f in plan.files[1:])
