import pytest

from tiers.tag_checks import check_tags
from tiers.violations import Violation
from tiers.vocabulary import TierVocabulary

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
    got_tier, violations = VOCAB.tier_of(tags), check_tags("src:tests", tags, VOCAB)
    assert got_tier == tier
    assert codes(violations) == expected
    assert all(v.location == "src:tests" for v in violations)


def test_misspelling_names_the_meant_tier() -> None:
    violations = check_tags("src:t", ["integraton"], VOCAB)
    assert "looks like a misspelling of tier 'integration'" in violations[0].problem
