"""TIER001-TIER003: a test target's tags name exactly one tier, spelt right."""

from __future__ import annotations

from collections.abc import Sequence

from tiers.violations import Code, Violation
from tiers.vocabulary import TierVocabulary


def check_tags(address: str, tags: Sequence[str], vocabulary: TierVocabulary) -> list[Violation]:
    """What is wrong with the target's tags (`vocabulary.tier_of` says which tier it is)."""
    tiers = vocabulary.tiers_in(tags)
    violations = []
    for tag in sorted(set(tags)):
        meant = vocabulary.misspelling_of(tag)
        if meant is not None:
            violations.append(
                Violation(
                    Code.MISSPELT_TIER_TAG,
                    address,
                    f"tag {tag!r} looks like a misspelling of tier {meant!r}.",
                    f"replace {tag!r} with {meant!r} in the `tags` of this target or its "
                    "directory's `__defaults__`.",
                )
            )
    choices = " or ".join(repr(t) for t in vocabulary.tiers)
    if not tiers:
        violations.append(
            Violation(
                Code.UNTAGGED,
                address,
                f"test target has no tier tag (one of {choices}).",
                "add exactly one tier, e.g. `__defaults__({(python_test, python_tests): "
                f'dict(tags=["{vocabulary.tiers[0]}"])}})` in the directory\'s BUILD file.',
            )
        )
    elif len(tiers) > 1:
        violations.append(
            Violation(
                Code.SEVERAL_TIERS,
                address,
                f"test target has {len(tiers)} tier tags ({', '.join(map(repr, tiers))}); "
                "a test belongs to exactly one tier.",
                "keep one tier tag; move tests that need another tier to a directory of that tier.",
            )
        )
    return violations
