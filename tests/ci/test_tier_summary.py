from pathlib import Path

import pytest
from tier_summary import main, run_sources

pytestmark = pytest.mark.unit

# Lines as Pants 2.17.1 prints them (`_format_test_summary`), among other console output.
CONSOLE = """\
14:36:26.16 [INFO] Scheduler initialized.
\x1b[32m✓\x1b[0m tests/ci/test_a.py:tests and 2 other files succeeded in 1.83s (memoized).
✓ tests/ci/test_b.py succeeded in 0.40s (cached locally).
✓ tests/ci/test_c.py succeeded in 0.41s (cached remotely).
✓ tests/ci/test_d.py succeeded in 2.00s.
✕ tests/ci/test_e.py failed in 3.10s.
✓ tests/ci/test_f.py succeeded in 0.50s (cached locally for docker environment `py`).
Wrote test reports to dist/test/reports
"""


def test_counts_runs_by_where_their_result_came_from() -> None:
    sources = run_sources(CONSOLE.splitlines())
    assert sources.runs == 6
    assert sources.cached == 4
    assert sources.text() == "4 of 6 (1 memoized, 2 cached locally, 1 cached remotely)"


def test_markdown_summary_from_reports_and_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.xml").write_text(
        '<testsuites><testsuite tests="7" failures="1" errors="0" skipped="2"/></testsuites>'
    )
    log = tmp_path / "unit.log"
    log.write_text(CONSOLE)

    args = ["--tier", "unit", "--reports", str(reports), "--log", str(log), "--seconds", "42"]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines() == [
        "### unit tier: failed",
        "",
        "| passed | failed | skipped | cached test runs | time |",
        "| ---: | ---: | ---: | --- | ---: |",
        "| 4 | 1 | 2 | 4 of 6 (1 memoized, 2 cached locally, 1 cached remotely) | 42 s |",
        "",
    ]


def test_nothing_affected_is_reported_not_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "unit.log"
    log.write_text("nothing affected: no unit test depends on a changed file.\n")
    args = ["--tier", "unit", "--reports", str(tmp_path / "none"), "--log", str(log)]
    assert main([*args, "--seconds", "3"]) == 0
    out = capsys.readouterr().out
    assert "### unit tier: no test ran" in out
    assert "| 0 | 0 | 0 | 0 of 0 | 3 s |" in out


def test_missing_log_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--tier", "unit", "--reports", str(tmp_path), "--log", str(tmp_path / "no.log")]
    assert main([*args, "--seconds", "1"]) == 2
    assert "cannot read the console log" in capsys.readouterr().err
