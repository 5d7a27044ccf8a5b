"""TIER301: a test of the hermetic tier does not reach an `[tiers].integration_only` target."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from tiers.violations import Code, Violation


def matches_address(spec: str, address: str, generator: str | None, spec_path: str) -> bool:
    """Whether an `[tiers].integration_only` entry covers a target.

    `dir:name` covers the target and everything it generates; `dir::` covers every target at or
    below `dir`; `dir:` or `dir` every target in `dir`; anything else must equal the address.
    """
    if spec.endswith("::"):
        root = spec[:-2].rstrip("/")
        return not root or spec_path == root or spec_path.startswith(root + "/")
    if spec.endswith(":") or (":" not in spec and "." not in spec.rsplit("/", 1)[-1]):
        return spec_path == spec.rstrip(":")
    return spec in (address, generator)


def hermetic_targets(tier_of: Mapping[str, str | None], hermetic_tier: str) -> list[str]:
    """The targets whose dependencies TIER301 walks: those of the hermetic tier, sorted."""
    return sorted(address for address, tier in tier_of.items() if tier == hermetic_tier)


def check_unit_dependencies(
    address: str, reached: Sequence[str], unit_tier: str
) -> list[Violation]:
    """`address`: a test of `unit_tier`; `reached`: the integration-only addresses in its
    transitive dependencies."""
    return [
        Violation(
            Code.UNIT_REACHES_INTEGRATION_ONLY,
            address,
            f"{unit_tier!r} test depends (transitively) on integration-only {dependency}.",
            "test against a fake or a port instead, or move the test to the integration tier.",
        )
        for dependency in sorted(set(reached))
    ]


def check_all_unit_dependencies(
    reached: Mapping[str, Iterable[str]], unit_tier: str
) -> list[Violation]:
    """`reached`: for each test of `unit_tier`, the integration-only addresses it reaches."""
    return [
        violation
        for address, found in sorted(reached.items())
        for violation in check_unit_dependencies(address, list(found), unit_tier)
    ]
