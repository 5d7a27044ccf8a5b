import pytest

from tiers.mark_checks import check_file_marks
from tiers.violations import Violation
from tiers.vocabulary import TierVocabulary

pytestmark = pytest.mark.unit

VOCAB = TierVocabulary(("unit", "integration"), ("e2e", "functional"))


def codes(violations: list[Violation]) -> list[str]:
    return sorted(v.code.value for v in violations)


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


def test_unreadable_file_says_why_in_a_sentence() -> None:
    (unparsable,) = check_file_marks("t/x.py", b"def (\n", "unit", VOCAB)
    assert unparsable.problem.startswith("cannot read the file's markers: it does not parse: ")
    (not_utf8,) = check_file_marks("t/x.py", b"\xff\xfe", "unit", VOCAB)
    assert not_utf8.problem == "cannot read the file's markers: it is not valid UTF-8 (byte 0)."


def test_untagged_target_still_gets_scoped_contradictions_against_its_file_mark() -> None:
    source = (
        "import pytest\npytestmark = pytest.mark.unit\n@pytest.mark.integration\ndef test(): ...\n"
    )
    assert marks_codes(source, tier=None) == ["TIER103"]
