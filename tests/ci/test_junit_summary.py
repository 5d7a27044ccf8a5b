from pathlib import Path

import pytest
from junit_summary import main

pytestmark = pytest.mark.unit

SUITE = '<testsuite name="s" tests="{tests}" failures="{failures}" errors="{errors}" skipped="{skipped}"/>'


def write_report(
    path: Path,
    *,
    tests: int,
    failures: int = 0,
    errors: int = 0,
    skipped: int = 0,
    wrap: bool = True,
) -> None:
    suite = SUITE.format(tests=tests, failures=failures, errors=errors, skipped=skipped)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<testsuites>{suite}</testsuites>" if wrap else suite)


def test_sums_reports_per_directory_and_in_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_report(tmp_path / "unit" / "a.xml", tests=5)
    write_report(tmp_path / "unit" / "nested" / "b.xml", tests=3, skipped=1, wrap=False)
    write_report(tmp_path / "integration" / "c.xml", tests=4, failures=1, errors=1)

    code = main([f"unit={tmp_path / 'unit'}", f"integration={tmp_path / 'integration'}"])

    assert capsys.readouterr().out.splitlines() == [
        "unit: 7 passed, 0 failed, 1 skipped",
        "integration: 2 passed, 2 failed",
        "9 passed, 2 failed, 1 skipped",
    ]
    assert code == 1


def test_all_green_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_report(tmp_path / "a.xml", tests=2)
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 passed, 0 failed"


def test_no_test_ran_is_a_failure_not_a_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([f"unit={tmp_path / 'missing'}"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.splitlines()[-1] == "0 passed, 0 failed"
    assert "no test ran" in captured.err


def test_unreadable_report_is_an_error_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.xml").write_text("<testsuites><testsuite")
    assert main([str(tmp_path)]) == 2
    assert "broken.xml: not a readable JUnit XML report" in capsys.readouterr().err
