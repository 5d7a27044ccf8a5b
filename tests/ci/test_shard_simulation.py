from pathlib import Path

import pytest
from durations_record import save
from shard_simulation import main, rows

pytestmark = pytest.mark.unit


def test_a_file_longer_than_the_ideal_is_the_bound_and_said_so() -> None:
    durations = {"big.py": 60.0, **{f"t{i}.py": 10.0 for i in range(6)}}  # total 120
    by_count = {r.count: r for r in rows("integration", durations)}
    assert (by_count[2].ideal, by_count[2].balanced, by_count[2].file_bound_applies) == (
        60.0,
        60.0,
        False,
    )
    assert by_count[2].meets_target()
    assert (by_count[4].ideal, by_count[4].balanced) == (30.0, 60.0)
    assert by_count[4].file_bound_applies and not by_count[4].meets_target()


def test_writes_the_table_and_checks_only_reachable_targets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "integration.json"
    save(record, "integration", {"big.py": 60.0, **{f"t{i}.py": 10.0 for i in range(6)}})
    output = tmp_path / "shards.md"

    assert main(["--records", str(record), "--output", str(output), "--check"]) == 0

    text = output.read_text()
    assert "| integration | 7 | 120.0 s | 2 | 60.0 s | 60.0 s (1.00x) |" in text
    assert "`big.py` 60.0 s (longer than the ideal: the bound) |" in text
    assert (
        "integration, N = 4: 2.00x the ideal: big.py alone takes 60.0 s" in capsys.readouterr().out
    )


def test_no_record_is_an_error(tmp_path: Path) -> None:
    assert main(["--records", str(tmp_path / "none.json"), "--output", str(tmp_path / "o")]) == 1
