"""How many attempts a failing test gets, per tier: declared once (pants.toml `[tiers].attempts`,
mirrored by the pytest configuration's `tiers_attempts` key, kept equal by TIER208).

A tier that is not named gets one attempt. The hermetic (first) tier always gets one: a hermetic
test that fails and then passes depends on something it does not control, which is a bug to
fix, not to retry. Pure: the pytest plugin (`retries.py`) and the `tiers` Pants plugin both
validate with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pytest_tiers.messages import ProblemError


def _problem(where: str, problem: str, fix: str) -> ProblemError:
    return ProblemError(where, problem, fix)


def validate(table: Mapping[str, object], tiers: Sequence[str], where: str) -> dict[str, int]:
    """`table` (tier -> attempts) checked against `tiers`; raises ProblemError, located at
    `where`, for an unknown tier, a count that is not an integer of at least 1, or a retried
    hermetic tier. Entries of 1 (the default) are dropped, so equal policies compare equal."""
    attempts: dict[str, int] = {}
    for tier, count in sorted(table.items()):
        if tier not in tiers:
            raise _problem(
                where,
                f"names {tier!r}, which is not a tier (the tiers are {', '.join(tiers)}).",
                "name a tier, or drop the entry.",
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise _problem(
                where,
                f"gives {tier!r} {count!r} attempts; a count is an integer of at least 1.",
                f"give {tier!r} a whole number of attempts, e.g. 3 (1: never retried).",
            )
        if tier == tiers[0] and count > 1:
            raise _problem(
                where,
                f"gives the hermetic tier {tier!r} {count} attempts, but it is never retried "
                "(a hermetic test that fails and then passes is a bug).",
                f"drop {tier!r} from it, and fix or quarantine the flaky test.",
            )
        if count > 1:
            attempts[tier] = count
    return attempts


def parse_words(words: Iterable[str], tiers: Sequence[str], where: str) -> dict[str, int]:
    """`TIER=N` words (the ini key's form) -> tier -> attempts, validated as `validate` does."""
    table: dict[str, object] = {}
    for word in words:
        tier, sep, count = word.partition("=")
        if not sep or not count.strip().isdigit():
            raise _problem(
                where,
                f"{word!r} is not of the form TIER=N.",
                "write one TIER=N word per tier that is retried, e.g. `integration=3`.",
            )
        table[tier.strip()] = int(count)
    return validate(table, tiers, where)


def to_words(attempts: Mapping[str, int]) -> list[str]:
    """The ini key's words for `attempts`, sorted."""
    return [f"{tier}={count}" for tier, count in sorted(attempts.items()) if count > 1]
