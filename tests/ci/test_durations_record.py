from pathlib import Path

import pytest
from durations_record import load, main, save

pytestmark = pytest.mark.unit

MERGED = """<testsuites name="unit">
<testsuite name="tests/test_a.py" time="2.500"><testcase name="t" time="2.5"/></testsuite>
<testsuite name="tests/test_b.py" time="0.250"><testcase name="t" time="0.25"/></testsuite>
</testsuites>"""


def test_update_replaces_what_ran_keeps_the_rest_and_drops_deleted_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("test_a.py", "test_b.py", "test_c.py"):
        (tmp_path / "tests").mkdir(exist_ok=True)
        (tmp_path / "tests" / name).write_text("")
    record = tmp_path / "durations.json"
    save(record, "unit", {"tests/test_a.py": 9.0, "tests/test_c.py": 4.0, "tests/gone.py": 1.0})
    merged = tmp_path / "unit.xml"
    merged.write_text(MERGED)

    args = ["update", "--durations", str(record), "--tier", "unit", "--repo", str(tmp_path)]
    assert main([*args, str(merged)]) == 0

    assert load(record) == {"tests/test_a.py": 2.5, "tests/test_b.py": 0.25, "tests/test_c.py": 4.0}
    assert "3 file(s) recorded, 2 from this run" in capsys.readouterr().out


def test_no_record_yet_is_empty_and_a_broken_one_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load(tmp_path / "none.json") == {}
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2]")
    args = ["update", "--durations", str(broken), "--tier", "unit", str(tmp_path / "x.xml")]
    assert main(args) == 2
    assert "broken.json: not a durations record" in capsys.readouterr().err


def test_a_file_run_alone_is_recorded_at_its_process_time(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    for name in ("test_a.py", "test_b.py"):
        (tmp_path / "tests" / name).write_text("")
    merged = tmp_path / "unit.xml"
    merged.write_text(MERGED)
    log = tmp_path / "unit.log"
    log.write_text(
        "✓ tests/test_a.py:tests succeeded in 4.20s (cached locally).\n"
        "✓ tests/test_b.py and 1 other file succeeded in 9.00s.\n"
        "✓ tests/test_other.py succeeded in 1.00s.\n"
    )
    record = tmp_path / "durations.json"
    args = ["update", "--durations", str(record), "--tier", "unit", "--repo", str(tmp_path)]
    assert main([*args, "--log", str(log), str(merged)]) == 0
    assert load(record) == {"tests/test_a.py": 4.2, "tests/test_b.py": 0.25}
