import pytest

from tiers.dependency_checks import (
    check_all_unit_dependencies,
    check_unit_dependencies,
    hermetic_targets,
    matches_address,
)
from tiers.violations import Code

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("spec", "address", "generator", "spec_path", "expected"),
    [
        (
            "3rdparty/python:default#asyncpg",
            "3rdparty/python:default#asyncpg",
            "3rdparty/python:default",
            "3rdparty/python",
            True,
        ),
        (
            "3rdparty/python:default#asyncpg",
            "3rdparty/python:default#redis",
            "3rdparty/python:default",
            "3rdparty/python",
            False,
        ),
        ("src/app/db.py", "src/app/db.py", "src/app:app", "src/app", True),
        ("src/app:app", "src/app/db.py", "src/app:app", "src/app", True),
        ("src/app", "src/app/db.py", "src/app:app", "src/app", True),
        ("src/app", "src/app/sub/x.py", "src/app/sub:sub", "src/app/sub", False),
        ("src/app::", "src/app/sub/x.py", "src/app/sub:sub", "src/app/sub", True),
        ("src/app::", "src/application/x.py", None, "src/application", False),
    ],
)
def test_integration_only_specs(
    spec: str, address: str, generator: str | None, spec_path: str, expected: bool
) -> None:
    assert matches_address(spec, address, generator, spec_path) is expected


def test_unit_dependency_violations_only_for_unit_tier() -> None:
    # Only tests of the hermetic tier have their dependencies walked.
    assert hermetic_targets({"t:a": "integration", "t:b": None}, "unit") == []
    assert hermetic_targets({"t:c": "unit", "t:a": "unit", "t:b": "integration"}, "unit") == [
        "t:a",
        "t:c",
    ]
    violations = check_unit_dependencies("t:a", ["b", "a", "b"], "unit")
    assert [v.problem.split()[-1] for v in violations] == ["a.", "b."]
    assert {v.code for v in violations} == {Code.UNIT_REACHES_INTEGRATION_ONLY}


def test_all_unit_dependencies_are_reported_per_test_in_order() -> None:
    violations = check_all_unit_dependencies({"t:b": ["x"], "t:a": ["y"], "t:c": []}, "unit")
    assert [(v.location, v.problem.split()[-1]) for v in violations] == [
        ("t:a", "y."),
        ("t:b", "x."),
    ]
