from pathlib import Path

import pytest
from coverage_floor import FLOORS, main

pytestmark = pytest.mark.unit


def test_prints_the_tier_floor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    floors = tmp_path / "floors.toml"
    floors.write_text("[fail_under]\nunit = 88.5\nintegration = 70\n")
    assert main(["integration", "--floors", str(floors)]) == 0
    assert capsys.readouterr().out == "70.0\n"


def test_a_tier_without_a_floor_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    floors = tmp_path / "floors.toml"
    floors.write_text("[fail_under]\nunit = 88.5\n")
    assert main(["integration", "--floors", str(floors)]) == 2
    err = capsys.readouterr().err
    assert "[fail_under] has no number for tier 'integration' (has: unit)" in err
    assert "fix: add `integration = PERCENT`" in err


def test_the_repository_declares_a_floor_per_tier(capsys: pytest.CaptureFixture[str]) -> None:
    for tier in ("unit", "integration"):
        assert main([tier, "--floors", str(FLOORS)]) == 0
        assert float(capsys.readouterr().out) > 0
