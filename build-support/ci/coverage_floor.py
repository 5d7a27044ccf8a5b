"""Print a tier's coverage floor from coverage_floors.toml, for `--coverage-py-fail-under`.

The floors are declared once, in that table; the full check (build-support/ci/check) reads them
through this script. A tier without a floor is an error, not a floor of zero.

Usage: coverage_floor.py TIER [--floors FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest_tiers_on_path  # noqa: F401  (before the modules that import pytest_tiers)

from pytest_tiers.messages import ProblemError

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]  # pants: no-infer-dep

FLOORS = Path(__file__).with_name("coverage_floors.toml")


class FloorError(ProblemError):
    """The floors table is unreadable or has no number for the tier."""


def floor(tier: str, floors: Path = FLOORS) -> float:
    try:
        table = tomllib.loads(floors.read_text()).get("fail_under", {})
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise FloorError(
            str(floors), f"cannot read the coverage floors ({e}).", "fix the file."
        ) from e
    value = table.get(tier)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FloorError(
            str(floors),
            f"[fail_under] has no number for tier {tier!r} (has: {', '.join(table) or 'none'}).",
            f"add `{tier} = PERCENT`, the tier's measured coverage.",
        )
    return float(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tier")
    parser.add_argument("--floors", type=Path, default=FLOORS)
    args = parser.parse_args(argv)
    try:
        print(floor(args.tier, args.floors))
    except FloorError as e:
        print(e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
