"""pytest plugin: every collected test carries exactly one tier marker.

This makes plain `pytest` (and `pytest -m unit`) enforce the rule that `pants lint` enforces
with BUILD tags, so a test can never fall outside every tier or sit in two. The tiers are read
from `[tiers].names` in the repository's pants.toml, the one place they are declared.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib


def _tier_names(start: Path) -> tuple[str, ...]:
    for directory in (start, *start.parents):
        pants_toml = directory / "pants.toml"
        if pants_toml.is_file():
            try:
                names = tomllib.loads(pants_toml.read_text())["tiers"]["names"]
            except (tomllib.TOMLDecodeError, KeyError) as e:
                raise pytest.UsageError(
                    f"{pants_toml}: cannot read the tiers from [tiers].names ({e!r}); "
                    'declare them there, e.g. names = ["unit", "integration"].'
                ) from e
            return tuple(names)
    raise pytest.UsageError(
        f"no pants.toml found above {start}; it declares the test tiers in [tiers].names."
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tiers = _tier_names(config.rootpath)
    problems = []
    for item in items:
        found = sorted({mark.name for mark in item.iter_markers() if mark.name in tiers})
        if len(found) != 1:
            what = "no tier marker" if not found else f"several tier markers ({', '.join(found)})"
            problems.append(f"  {item.nodeid}: {what}")
    if problems:
        raise pytest.UsageError(
            f"{len(problems)} test(s) do not carry exactly one tier marker of "
            f"{', '.join(tiers)}:\n"
            + "\n".join(problems)
            + "\nFix: set the module-level `pytestmark = pytest.mark.<tier>` to the tier in the "
            "directory's BUILD file (`./pants fix ::` writes it), and drop contradicting marks."
        )
