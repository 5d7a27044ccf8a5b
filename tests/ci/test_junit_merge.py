import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ci.junit_fixtures import REPO_FILES, write_reports
from junit_merge import main
from junit_report import FileIndex, ReportError, outcome_counts, read_directory, read_report

pytestmark = pytest.mark.unit


def results(reports: Path) -> dict[str, tuple[str, str, float, int]]:
    found = read_directory(reports, FileIndex(REPO_FILES))
    return {r.test_id: (r.file, r.outcome, r.seconds, r.attempts) for r in found}


def test_each_test_gets_its_file_outcome_duration_and_attempts(tmp_path: Path) -> None:
    store = "backend/tests/integration/adapters/test_store.py"
    jobs = "backend/tests/unit/domain/test_jobs.py"
    assert results(write_reports(tmp_path)) == {
        f"{jobs}::test_state_machine": (jobs, "passed", 0.25, 1),
        f"{jobs}::TestRetry::test_backoff": (jobs, "passed", 0.125, 1),
        "backend/tests/unit/domain/test_queue.py::test_fifo": (
            "backend/tests/unit/domain/test_queue.py",
            "passed",
            0.1,
            1,
        ),
        "tests/ci/test_scripts.py::test_usage": ("tests/ci/test_scripts.py", "passed", 0.05, 1),
        f"{store}::test_saves": (store, "passed", 1.5, 1),
        f"{store}::test_loads": (store, "failed", 2.0, 1),
        f"{store}::test_reruns": (store, "flaky", 1.25, 2),
        f"{store}::test_marked_flaky": (store, "flaky", 3.0, 2),
        f"{store}::test_skipped": (store, "skipped", 0.0, 1),
        f"{store}::test_quarantined": (store, "quarantined", 0.0, 1),
        f"{store}::test_ids[a b-c=d]": (store, "failed", 0.25, 1),
    }


def test_outcome_counts_cover_every_outcome(tmp_path: Path) -> None:
    counts = outcome_counts(read_directory(write_reports(tmp_path), FileIndex(REPO_FILES)))
    assert dict(counts) == {"passed": 5, "failed": 2, "flaky": 2, "skipped": 1, "quarantined": 1}


def test_a_later_attempt_that_fails_is_a_failure_not_flaky(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuite><testcase classname="m" name="t" time="1"/>'
        '<testcase classname="m" name="t" time="1"><failure>again</failure></testcase>'
        "</testsuite>"
    )
    (only,) = read_report(report, FileIndex(["m.py"]))
    assert (only.file, only.outcome, only.attempts) == ("m.py", "failed", 2)


def test_pytest_tiers_rerun_attempts_fold_into_the_final_outcome(tmp_path: Path) -> None:
    """As pytest-tiers writes them: every retried attempt says `rerun`, the last one the result."""

    def attempt(outcome: str, extra: str = "") -> str:
        return (
            f'<testcase classname="m" name="t" time="1"><properties>'
            f'<property name="tiers.outcome" value="{outcome}"/>{extra}</properties></testcase>'
        )

    report = tmp_path / "r.xml"
    report.write_text(
        "<testsuite>"
        + attempt("rerun", '<property name="tiers.attempt" value="1"/>')
        + attempt("rerun", '<property name="tiers.attempt" value="2"/>')
        + attempt("flaky", '<property name="tiers.attempts" value="3"/>')
        + "</testsuite>"
    )
    (only,) = read_report(report, FileIndex(["m.py"]))
    assert (only.outcome, only.attempts, only.seconds) == ("flaky", 3, 3.0)


def test_surefire_rerun_children_count_as_earlier_attempts(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuite><testcase classname="m" name="t" time="1">'
        "<flakyFailure>first</flakyFailure></testcase></testsuite>"
    )
    (only,) = read_report(report, FileIndex(["m.py"]))
    assert (only.outcome, only.attempts) == ("flaky", 2)


def test_an_unknown_outcome_property_is_an_error_naming_the_test(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuite><testcase classname="m" name="t"><properties>'
        '<property name="tiers.outcome" value="flakey"/></properties></testcase></testsuite>'
    )
    with pytest.raises(ReportError, match=r"m::t has tiers.outcome='flakey'"):
        read_report(report, FileIndex(["m.py"]))


def test_a_classname_no_file_explains_is_kept_under_its_classname(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text('<testsuite><testcase classname="gone.test_x" name="t"/></testsuite>')
    (only,) = read_report(report, FileIndex(["other.py"]))
    assert (only.file, only.test_id, only.outcome) == ("", "gone.test_x::t", "passed")


def test_merged_report_keeps_every_test_outcome_and_property(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = write_reports(tmp_path)
    for path in REPO_FILES:  # the merge finds the files with git's view of the repository
        assert (tmp_path / path).is_file()

    assert main(["--tier", "mixed", "--reports", str(reports), "--repo", str(tmp_path)]) == 0

    merged = ET.parse(reports.with_name("mixed.xml")).getroot()
    assert "merged 11 test(s)" in capsys.readouterr().out
    assert (merged.tag, merged.get("name")) == ("testsuites", "mixed")
    assert {k: merged.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "11",
        "failures": "1",
        "errors": "1",
        "skipped": "2",
    }
    assert {k: merged.get(k) for k in ("passed", "failed", "flaky", "quarantined")} == {
        "passed": "5",
        "failed": "2",
        "flaky": "2",
        "quarantined": "1",
    }
    suites = {s.get("name"): s for s in merged.findall("testsuite")}
    assert sorted(suites) == sorted(set(REPO_FILES) - {"tests/unit/domain/test_queue.py"})
    store = suites["backend/tests/integration/adapters/test_store.py"]
    assert (store.get("tests"), store.get("time"), store.get("flaky")) == ("7", "8.000", "2")
    cases = {c.get("name"): c for c in store.findall("testcase")}
    rerun = {p.get("name"): p.get("value") for p in cases["test_reruns"].iter("property")}
    assert rerun == {"tiers.outcome": "flaky", "tiers.attempts": "2"}
    quarantined = {
        p.get("name"): p.get("value") for p in cases["test_quarantined"].iter("property")
    }
    assert quarantined["tiers.quarantine.until"] == "2027-01-31"
    assert cases["test_quarantined"].find("skipped") is not None
    assert cases["test_loads"].find("failure").text == "assert 1 == 2"
    assert cases["test_saves"].get("file") == "backend/tests/integration/adapters/test_store.py"


def test_unreadable_report_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "broken.xml").write_text("<testsuites><testsuite")
    assert main(["--tier", "t", "--reports", str(tmp_path), "--repo", str(tmp_path)]) == 2
    assert "broken.xml: not a readable JUnit XML report" in capsys.readouterr().err
