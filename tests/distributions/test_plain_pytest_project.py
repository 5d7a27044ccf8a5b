"""The pytest-tiers wheel in an untagged outside project under plain pytest, on the oldest and
the newest of what it promises: adopt tags the project from evidence, and both tiers run, the
unit tier sealed at the OS level. Integration tier: pip fetches requirements from PyPI, and one
of the project's tests PINGs the real Redis.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from distributions.outside_project import adopt, copy_project, run, virtualenv

pytestmark = pytest.mark.integration

SEALED = "tiers seal: OS level: every selected test is 'unit', so connect(2) is denied (EACCES)"
# What the wheel promises: pytest >= 7 on Python >= 3.9. The oldest of both, and the newest.
PYTHONS = {"3.9 with pytest 7.0": ("3.9", "pytest==7.0.1"), "3.11 with the newest pytest": ("3.11",)}


@pytest.mark.parametrize("python_version", sorted(PYTHONS))
def test_plain_pytest_project_adopts_tiers_with_the_wheel(
    tmp_path: Path, python_version: str
) -> None:
    python = virtualenv(tmp_path / "venv", *PYTHONS[python_version])
    project = copy_project(tmp_path / "inventory")
    adopt(python, project)

    unit = run([python, "-m", "pytest", "-m", "unit", "-p", "no:cacheprovider"], project)
    # Loaded through its pytest11 entry point alone: the project has no conftest.
    assert "tiers: unit, integration; every test carries exactly one." in unit, unit
    assert SEALED in unit, unit
    assert "2 passed, 1 deselected" in unit, unit

    integration = run([python, "-m", "pytest", "-m", "integration"], project)
    assert "1 passed, 2 deselected" in integration, integration
