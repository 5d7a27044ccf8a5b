"""Hand-written JUnit reports as Pants and pytest write them, one per pytest process.

`backend/` is pytest's rootdir for the backend's tests (its pyproject.toml), so their classnames
start at `tests.`; `tests/` is the rootdir of the repository tests (its pytest.ini), so theirs
start at `ci.`. The integration report holds every outcome: a pass, a failure, a test that
pytest-rerunfailures ran twice (two <testcase> records), one pytest-tiers marked flaky, a skip,
a quarantined test and a parametrized id that -k cannot spell as one word.
"""

from __future__ import annotations

from pathlib import Path

REPO_FILES = (
    "backend/tests/unit/domain/test_jobs.py",
    "backend/tests/unit/domain/test_queue.py",
    "backend/tests/integration/adapters/test_store.py",
    "tests/ci/test_scripts.py",
    "tests/unit/domain/test_queue.py",  # same rootdir-relative path as a backend file
)

UNIT_BATCH = """<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">
<testsuite name="pytest" errors="0" failures="0" skipped="0" tests="3" time="0.5">
<testcase classname="tests.unit.domain.test_jobs" name="test_state_machine" time="0.250"/>
<testcase classname="tests.unit.domain.test_jobs.TestRetry" name="test_backoff" time="0.125"/>
<testcase classname="tests.unit.domain.test_queue" name="test_fifo" time="0.100"/>
</testsuite></testsuites>"""

REPO_TESTS = """<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">
<testsuite name="pytest" errors="0" failures="0" skipped="0" tests="1" time="0.1">
<testcase classname="ci.test_scripts" name="test_usage" time="0.050"/>
</testsuite></testsuites>"""

INTEGRATION = """<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">
<testsuite name="pytest" errors="0" failures="1" skipped="2" tests="7" time="9.0">
<testcase classname="tests.integration.adapters.test_store" name="test_saves" time="1.500"/>
<testcase classname="tests.integration.adapters.test_store" name="test_loads" time="2.000">
  <failure message="assert 1 == 2">assert 1 == 2</failure>
</testcase>
<testcase classname="tests.integration.adapters.test_store" name="test_reruns" time="0.500"/>
<testcase classname="tests.integration.adapters.test_store" name="test_reruns" time="0.750"/>
<testcase classname="tests.integration.adapters.test_store" name="test_marked_flaky" time="3.000">
  <properties>
    <property name="tiers.outcome" value="flaky"/><property name="tiers.attempts" value="2"/>
  </properties>
</testcase>
<testcase classname="tests.integration.adapters.test_store" name="test_skipped" time="0.000">
  <skipped type="pytest.skip" message="no redis cluster">skipped</skipped>
</testcase>
<testcase classname="tests.integration.adapters.test_store" name="test_quarantined" time="0.000">
  <properties>
    <property name="tiers.outcome" value="quarantined"/>
    <property name="tiers.quarantine.reason" value="races the worker"/>
    <property name="tiers.quarantine.until" value="2027-01-31"/>
  </properties>
  <skipped type="pytest.skip" message="quarantined">quarantined</skipped>
</testcase>
<testcase classname="tests.integration.adapters.test_store" name="test_ids[a b-c=d]" time="0.250">
  <error message="teardown">boom</error>
</testcase>
</testsuite></testsuites>"""


def write_reports(repo: Path) -> Path:
    """The repository's files and Pants' report directory for the three reports above."""
    for path in REPO_FILES:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("")
    reports = repo / "dist" / "test" / "reports" / "mixed"
    reports.mkdir(parents=True)
    (reports / "batch-of-backend.tests.unit.domain.test_jobs.py+1-files.xml").write_text(UNIT_BATCH)
    (reports / "tests.ci.test_scripts.py.tests.xml").write_text(REPO_TESTS)
    (reports / "backend.tests.integration.adapters.test_store.py.xml").write_text(INTEGRATION)
    return reports
