"""A tier run that tests nothing is an error: `--tag` names tiers spelt right, and selects tests.

`pants --tag=unti test ::` filters every target out and Pants exits 0, so a typo in a CI script
passes silently. The `tier-selection` goal (which ./pants runs before `test` whenever `--tag` is
given) fails instead when a tag looks like a misspelt tier, or when a filter that names a tier
leaves no test target. A change-based run (`--changed-since`) that selects nothing is a success:
nothing was affected, and it says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pytest_tiers.messages import Problem
from tiers.vocabulary import TierVocabulary

# Where a problem with the `--tag` option is reported: the option itself.
TAG_OPTION = "--tag"
ALLOW_EMPTY_FLAG = "--tiers-allow-empty-selection"


@dataclass(frozen=True)
class TagTerm:
    """One `--tag` value: `+a,b` keeps targets tagged a or b, `-a,b` drops them (Pants' rules)."""

    excluded: bool
    tags: tuple[str, ...]

    @classmethod
    def parse(cls, value: str) -> TagTerm:
        excluded = value.startswith("-")
        body = value[1:] if value[:1] in "+-" else value
        return cls(excluded, tuple(t.strip() for t in body.split(",") if t.strip()))

    @property
    def prefix(self) -> str:
        return "-" if self.excluded else ""


def parse_tag_filter(values: Iterable[str]) -> tuple[TagTerm, ...]:
    return tuple(TagTerm.parse(v) for v in values)


def misspelt_tags(terms: Sequence[TagTerm], vocabulary: TierVocabulary) -> list[Problem]:
    """A tag that is not a tier but looks like one (the linter's TIER003 rule, for `--tag`)."""
    problems = []
    tiers = ", ".join(vocabulary.tiers)
    for term in terms:
        for tag in term.tags:
            meant = vocabulary.misspelling_of(tag)
            if meant is None:
                continue
            problems.append(
                Problem(
                    f"{TAG_OPTION}={term.prefix}{','.join(term.tags)}",
                    f"{tag!r} is not a tier, and it looks like a misspelling of {meant!r} "
                    f"(the tiers, `[tiers].names`: {tiers}); with it no test would run.",
                    f"use --tag={term.prefix}{meant}.",
                )
            )
    return problems


def names_a_tier(terms: Sequence[TagTerm], vocabulary: TierVocabulary) -> bool:
    """Whether the filter keeps a tier: then selecting no test is a mistake, not a choice."""
    return any(
        not term.excluded and any(t in vocabulary.tiers for t in term.tags) for term in terms
    )


def empty_selection(
    terms: Sequence[TagTerm],
    vocabulary: TierVocabulary,
    *,
    test_targets: int,
    changed_since: str | None,
) -> Problem | None:
    """The problem with a tier run that selected no test target, if this is one."""
    if test_targets or changed_since or not names_a_tier(terms, vocabulary):
        return None
    tag = " ".join(f"{TAG_OPTION}={t.prefix}{','.join(t.tags)}" for t in terms)
    return Problem(
        tag,
        "no test was selected: none of the targets given (after the tag filter) is a test.",
        f"check the paths and the tier (`pants tiers PATHS` counts the tests of each tier "
        f"there), or pass {ALLOW_EMPTY_FLAG} when an empty run is expected.",
    )


def nothing_affected_note(changed_since: str) -> str:
    return f"tier-selection: nothing affected since {changed_since}: no test target to run."
