from pathlib import Path

import pytest
from ci.junit_fixtures import write_reports
from pants_console import run_results, run_sources
from tier_summary import main

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
    runs = run_results(CONSOLE.splitlines())
    assert [(r.what, r.source, r.seconds, r.succeeded) for r in runs[:2]] == [
        ("tests/ci/test_a.py:tests and 2 other files", "memoized", 1.83, True),
        ("tests/ci/test_b.py", "cached locally", 0.40, True),
    ]
    sources = run_sources(runs)
    assert sources.runs == 6
    assert sources.cached == 4
    assert sources.text() == "4 of 6 (1 memoized, 2 cached locally, 1 cached remotely)"
    assert sources.breakdown() == (
        "2 ran, 1 memoized, 2 cached locally, 1 cached remotely; hit rate 67% (4 of 6 test runs)"
    )


def run(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    reports = write_reports(tmp_path)
    log = tmp_path / "mixed.log"
    log.write_text(CONSOLE)
    args = ["--tier", "integration", "--reports", str(reports), "--log", str(log)]
    args += ["--seconds", "42", "--merged", "dist/test/reports/integration.xml"]
    assert main([*args, "--format", fmt, "--repo", str(tmp_path)]) == 0
    return capsys.readouterr().out


STORE = "backend/tests/integration/adapters/test_store.py"


def test_text_summary_shows_outcomes_sources_slowest_and_reruns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(tmp_path, "text", capsys).splitlines()
    assert out[:4] == [
        "integration tier: failed in 42 s: "
        "5 passed, 2 failed, 2 flaky, 1 skipped, 1 quarantined",
        "  merged report: dist/test/reports/integration.xml",
        "  result sources: 2 ran, 1 memoized, 2 cached locally, 1 cached remotely; "
        "hit rate 67% (4 of 6 test runs)",
        "    memoized        tests/ci/test_a.py:tests and 2 other files",
    ]
    slowest = out.index("  10 slowest tests:")
    assert out[slowest + 1 : slowest + 4] == [
        f"        3.00s  {STORE}::test_marked_flaky",
        f"        2.00s  {STORE}::test_loads",
        f"        1.50s  {STORE}::test_saves",
    ]
    assert len(out[slowest + 1 :]) >= 10
    assert f"  flaky: {STORE}::test_reruns (passed after 2 attempts)" in out
    assert f"  quarantined: {STORE}::test_quarantined: races the worker (until 2027-01-31)" in out
    failed = out.index(f"  failed: {STORE}::test_loads")
    assert out[failed + 1] == f"    rerun: ./pants test {STORE} -- -k test_loads"
    failed = out.index(f"  failed: {STORE}::test_ids[a b-c=d]")
    assert out[failed + 1] == f"    rerun: ./pants test {STORE} -- -k 'test_ids[a and b-c and d]'"


def test_markdown_summary_for_the_job_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(tmp_path, "markdown", capsys)
    lines = out.splitlines()
    assert lines[:5] == [
        "### integration tier: failed",
        "",
        "| passed | failed | flaky | skipped | quarantined | cached test runs | hit rate | time |",
        "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
        "| 5 | 2 | 2 | 1 | 1 | 4 of 6 (1 memoized, 2 cached locally, 1 cached remotely) "
        "| 67% | 42 s |",
    ]
    assert "Merged report: `dist/test/reports/integration.xml`" in lines
    assert "| `tests/ci/test_e.py` | failed | ran | 3.10 s |" in lines
    assert f"| 3.00 s | `{STORE}::test_marked_flaky` |" in lines
    assert f"- `{STORE}::test_reruns`: 2 attempts" in lines
    assert f"- `{STORE}::test_quarantined`: races the worker (until 2027-01-31)" in lines
    rerun = lines.index(f"Failed: `{STORE}::test_loads`")
    assert lines[rerun + 2 : rerun + 5] == [
        "```bash",
        f"./pants test {STORE} -- -k test_loads",
        "```",
    ]


def test_nothing_affected_is_reported_not_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "unit.log"
    log.write_text("nothing affected: no unit test depends on a changed file.\n")
    args = ["--tier", "unit", "--reports", str(tmp_path / "none"), "--log", str(log)]
    assert main([*args, "--seconds", "3", "--repo", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "### unit tier: no test ran" in out
    assert "| 0 | 0 | 0 | 0 | 0 | 0 of 0 | n/a | 3 s |" in out


def test_missing_log_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--tier", "unit", "--reports", str(tmp_path), "--log", str(tmp_path / "no.log")]
    assert main([*args, "--seconds", "1", "--repo", str(tmp_path)]) == 2
    assert "cannot read the console log" in capsys.readouterr().err
