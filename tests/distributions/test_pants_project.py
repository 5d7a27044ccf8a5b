"""The plugin wheels in an untagged outside project that becomes a Pants repository: adopt
writes its BUILD tiers, and `pants lint ::` and the unit tier pass through both plugins loaded
with `[GLOBAL].plugins`. Integration tier: pip and Pants fetch requirements from PyPI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from distributions.outside_project import pants, pants_repository, virtualenv

pytestmark = pytest.mark.integration


def test_pants_project_adopts_tiers_and_loads_the_plugins(tmp_path: Path) -> None:
    repo = pants_repository(tmp_path, virtualenv(tmp_path / "venv", "3.11"))
    # What adopt wrote for Pants: the tier, and the service it observed with its variable.
    ping_build = (repo / "tests/ping/BUILD").read_text()
    assert 'tags=["integration"]' in ping_build, ping_build
    assert 'uses=["redis"]' in ping_build, ping_build
    assert '"INVENTORY_REDIS_URL"' in ping_build, ping_build

    lint = pants(repo, "lint", "::")
    assert lint.startswith("exit 0"), lint
    assert "tiers succeeded" in lint, lint

    unit = pants(repo, "--tag=unit", "test", "::")
    assert unit.startswith("exit 0"), unit
    assert "✓ tests/stock/test_stock.py:tests succeeded" in unit, unit
