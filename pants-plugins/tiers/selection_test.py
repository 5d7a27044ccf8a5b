from __future__ import annotations

import pytest

from tiers.selection import (
    TagTerm,
    empty_selection,
    misspelt_tags,
    names_a_tier,
    parse_tag_filter,
)
from tiers.vocabulary import TierVocabulary

pytestmark = pytest.mark.unit

TIERS = TierVocabulary(("unit", "integration"))


@pytest.mark.parametrize(
    ("value", "term"),
    [
        ("unit", TagTerm(False, ("unit",))),
        ("+unit,integration", TagTerm(False, ("unit", "integration"))),
        ("-integration", TagTerm(True, ("integration",))),
        ("-a, b,", TagTerm(True, ("a", "b"))),
    ],
)
def test_tag_values_parse_as_pants_reads_them(value: str, term: TagTerm) -> None:
    assert TagTerm.parse(value) == term


def test_a_misspelt_tier_names_the_tier_it_looks_like() -> None:
    problems = misspelt_tags(parse_tag_filter(["unti"]), TIERS)
    assert [p.render() for p in problems] == [
        "--tag=unti: 'unti' is not a tier, and it looks like a misspelling of 'unit' (the tiers, "
        "`[tiers].names`: unit, integration); with it no test would run.\n"
        "    fix: use --tag=unit."
    ]


def test_an_excluded_misspelt_tier_keeps_its_prefix_in_the_fix() -> None:
    (problem,) = misspelt_tags(parse_tag_filter(["-integation"]), TIERS)
    assert problem.location == "--tag=-integation"
    assert problem.fix == "use --tag=-integration."


@pytest.mark.parametrize("values", [["unit"], ["-integration"], ["slow"], ["unit,slow"], []])
def test_tiers_and_tags_that_are_not_tier_like_pass(values: list[str]) -> None:
    assert misspelt_tags(parse_tag_filter(values), TIERS) == []


def test_only_a_filter_that_keeps_a_tier_is_a_tier_run() -> None:
    assert names_a_tier(parse_tag_filter(["unit"]), TIERS)
    assert names_a_tier(parse_tag_filter(["slow,integration"]), TIERS)
    assert not names_a_tier(parse_tag_filter(["-integration"]), TIERS)
    assert not names_a_tier(parse_tag_filter(["slow"]), TIERS)


def test_a_tier_run_with_no_test_is_a_problem() -> None:
    problem = empty_selection(
        parse_tag_filter(["unit"]), TIERS, test_targets=0, changed_since=None
    )
    assert problem is not None
    assert problem.render() == (
        "--tag=unit: no test was selected: none of the targets given (after the tag filter) is "
        "a test.\n    fix: check the paths and the tier (`pants tiers PATHS` counts the tests of "
        "each tier there), or pass --tiers-allow-empty-selection when an empty run is expected."
    )


@pytest.mark.parametrize(
    ("values", "tests", "since"),
    [
        (["unit"], 3, None),  # tests were selected
        (["unit"], 0, "origin/main"),  # a change that affects nothing
        (["slow"], 0, None),  # not a tier run
        (["-integration"], 0, None),
    ],
)
def test_no_problem_otherwise(values: list[str], tests: int, since: str | None) -> None:
    terms = parse_tag_filter(values)
    assert empty_selection(terms, TIERS, test_targets=tests, changed_since=since) is None
