from __future__ import annotations

import pytest

from pytest_tiers.attempts import parse_words, to_words, validate
from pytest_tiers.messages import ProblemError

pytestmark = pytest.mark.unit

TIERS = ("unit", "integration", "e2e")


def test_words_give_the_attempts_of_the_tiers_that_retry() -> None:
    assert parse_words(["integration=3", "e2e=1"], TIERS, "k") == {"integration": 3}
    assert parse_words([], TIERS, "k") == {}


def test_the_hermetic_tier_may_be_named_only_with_one_attempt() -> None:
    assert validate({"unit": 1, "integration": 2}, TIERS, "k") == {"integration": 2}
    with pytest.raises(ProblemError) as raised:
        validate({"unit": 2}, TIERS, "[tiers].attempts")
    assert str(raised.value) == (
        "[tiers].attempts: gives the hermetic tier 'unit' 2 attempts, but it is never retried "
        "(a hermetic test that fails and then passes is a bug).\n"
        "    fix: drop 'unit' from it, and fix or quarantine the flaky test."
    )


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"smoke": 2}, "names 'smoke', which is not a tier (the tiers are unit, integration, e2e)."),
        ({"integration": 0}, "gives 'integration' 0 attempts; a count is an integer of at least 1."),
        ({"integration": "3"}, "gives 'integration' '3' attempts; a count is an integer of at least 1."),
        ({"integration": True}, "gives 'integration' True attempts; a count is an integer of at least 1."),
    ],
)
def test_bad_tables_say_what_is_wrong(table: dict[str, object], problem: str) -> None:
    with pytest.raises(ProblemError) as raised:
        validate(table, TIERS, "k")
    assert raised.value.problem.problem == problem


@pytest.mark.parametrize("word", ["integration", "integration=", "integration=x", "=3"])
def test_a_word_not_of_the_form_tier_equals_n_is_refused(word: str) -> None:
    with pytest.raises(ProblemError):
        parse_words([word], TIERS, "k")


def test_to_words_round_trips() -> None:
    assert to_words({"integration": 3, "e2e": 1}) == ["integration=3"]
    assert parse_words(to_words({"integration": 3}), TIERS, "k") == {"integration": 3}
