import pytest

from tiers.checks import (
    TierVocabulary,
    check_batches,
    check_config,
    check_file_marks,
    check_tags,
    check_unit_dependencies,
    matches_address,
)
from tiers.pytest_config import PytestConfig
from tiers.violations import Code, Violation, render_report

pytestmark = pytest.mark.unit

VOCAB = TierVocabulary(("unit", "integration"), ("e2e", "functional"))


def codes(violations: list[Violation]) -> list[str]:
    return sorted(v.code.value for v in violations)


@pytest.mark.parametrize(
    ("tags", "tier", "expected"),
    [
        (["unit"], "unit", []),
        (["integration", "slow"], "integration", []),
        ([], None, ["TIER001"]),
        (["slow"], None, ["TIER001"]),
        (["unit", "integration"], None, ["TIER002"]),
        (["integation"], None, ["TIER001", "TIER003"]),
        (["Unit"], None, ["TIER001", "TIER003"]),
        (["units", "unit"], "unit", ["TIER003"]),
    ],
)
def test_tags(tags: list[str], tier: str | None, expected: list[str]) -> None:
    got_tier, violations = check_tags("src:tests", tags, VOCAB)
    assert got_tier == tier
    assert codes(violations) == expected
    assert all(v.location == "src:tests" for v in violations)


def test_misspelling_names_the_meant_tier() -> None:
    _, violations = check_tags("src:t", ["integraton"], VOCAB)
    assert "looks like a misspelling of tier 'integration'" in violations[0].problem


def marks_codes(source: str, tier: str | None = "unit") -> list[str]:
    return codes(check_file_marks("t/test_x.py", source.encode(), tier, VOCAB))


def test_matching_pytestmark_is_clean() -> None:
    assert marks_codes("import pytest\npytestmark = pytest.mark.unit\n") == []


def test_missing_pytestmark() -> None:
    violations = check_file_marks("t/test_x.py", b"def test(): pass\n", "unit", VOCAB)
    assert codes(violations) == ["TIER101"]
    assert violations[0].location == "t/test_x.py:1"
    assert "pytestmark = pytest.mark.unit" in violations[0].fix


def test_pytestmark_naming_other_tier_points_at_its_line() -> None:
    violations = check_file_marks(
        "t/test_x.py", b"import pytest\n\npytestmark = pytest.mark.integration\n", "unit", VOCAB
    )
    assert codes(violations) == ["TIER102"]
    assert violations[0].location == "t/test_x.py:3"
    assert "BUILD says 'unit'" in violations[0].problem


def test_pytestmark_naming_both_tiers_disagrees() -> None:
    assert marks_codes(
        "import pytest\npytestmark = [pytest.mark.unit, pytest.mark.integration]\n"
    ) == ["TIER102"]


def test_contradicting_function_mark() -> None:
    source = "import pytest\npytestmark = pytest.mark.unit\n\n@pytest.mark.integration\ndef test_a(): ...\n"
    violations = check_file_marks("t/test_x.py", source.encode(), "unit", VOCAB)
    assert codes(violations) == ["TIER103"]
    assert violations[0].location == "t/test_x.py:4"
    assert "function test_a is marked 'integration'" in violations[0].problem


def test_agreeing_scoped_mark_is_fine() -> None:
    assert (
        marks_codes(
            "import pytest\npytestmark = pytest.mark.unit\n@pytest.mark.unit\nclass TestA: ...\n"
        )
        == []
    )


def test_undetermined_is_reported_and_not_guessed() -> None:
    assert marks_codes("import pytest\npytestmark = common_marks()\n") == ["TIER104"]


def test_unparsable_and_non_utf8() -> None:
    assert marks_codes("def (\n") == ["TIER105"]
    assert codes(check_file_marks("t/x.py", b"\xff\xfe", "unit", VOCAB)) == ["TIER105"]


def test_untagged_target_still_gets_scoped_contradictions_against_its_file_mark() -> None:
    source = (
        "import pytest\npytestmark = pytest.mark.unit\n@pytest.mark.integration\ndef test(): ...\n"
    )
    assert marks_codes(source, tier=None) == ["TIER103"]


def config(**kwargs: object) -> PytestConfig:
    defaults: dict = dict(
        path="pyproject.toml",
        section="[tool.pytest.ini_options]",
        line=3,
        markers=("unit", "integration"),
        addopts=("--strict-markers",),
        options={"asyncio_default_fixture_loop_scope": "function"},
    )
    defaults.update(kwargs)
    return PytestConfig(**defaults)


def config_codes(cfg: PytestConfig | None, asyncio: bool = True) -> list[str]:
    return codes(
        check_config(
            cfg,
            "t/test_x.py",
            VOCAB,
            require_strict_markers=True,
            require_asyncio_loop_scope=asyncio,
        )
    )


def test_good_config() -> None:
    assert config_codes(config()) == []


def test_config_problems() -> None:
    assert config_codes(None) == ["TIER201"]
    assert config_codes(config(markers=("unit",))) == ["TIER202"]
    assert config_codes(config(markers=("unit", "integration", "integ_ration", "e2e"))) == [
        "TIER203",
        "TIER203",
    ]
    assert config_codes(config(addopts=())) == ["TIER204"]
    assert config_codes(config(options={})) == ["TIER205"]
    assert config_codes(config(options={}), asyncio=False) == []


def test_config_violation_points_at_the_section() -> None:
    (violation,) = check_config(
        config(markers=("unit",)),
        "t/test_x.py",
        VOCAB,
        require_strict_markers=True,
        require_asyncio_loop_scope=True,
    )
    assert violation.location == "pyproject.toml:3"
    assert "'integration'" in violation.problem


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
    assert check_unit_dependencies("t:a", "integration", ["db"], "unit") == []
    violations = check_unit_dependencies("t:a", "unit", ["b", "a", "b"], "unit")
    assert [v.problem.split()[-1] for v in violations] == ["a.", "b."]
    assert {v.code for v in violations} == {Code.UNIT_REACHES_INTEGRATION_ONLY}


def test_report_is_sorted_by_location_then_line_and_deduplicated() -> None:
    a = Violation(Code.NO_PYTESTMARK, "b/test_x.py:10", "p", "f")
    b = Violation(Code.UNTAGGED, "a:t", "p", "f")
    c = Violation(Code.PYTESTMARK_DISAGREES, "b/test_x.py:9", "p", "f")
    report = render_report([a, b, c, a])
    assert [
        line.split(":")[0] + ":" + line.split(":")[1]
        for line in report.splitlines()
        if line.startswith(("a", "b"))
    ] == [
        "a:t",
        "b/test_x.py:9",
        "b/test_x.py:10",
    ]
    assert report.rstrip().endswith("3 tier violation(s).")
    assert render_report([]) == ""


def test_batches_that_mix_configurations_are_reported_once_per_configuration() -> None:
    violations = check_batches(
        {
            "unit": {"a:t": "a/pyproject.toml", "b:t": "b/pytest.ini", "a:u": "a/pyproject.toml"},
            "same": {"c:t": "c/pytest.ini", "c:u": "c/pytest.ini"},
        }
    )
    assert [(v.code, v.location) for v in violations] == [
        (Code.BATCH_MIXES_CONFIGS, "a:t"),
        (Code.BATCH_MIXES_CONFIGS, "b:t"),
    ]
    assert "a/pyproject.toml (2 target(s)); b/pytest.ini (1 target(s))" in violations[0].problem
