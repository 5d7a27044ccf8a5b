from pathlib import Path

import pytest
from ci.junit_fixtures import REPO_FILES, write_reports
from junit_report import FileIndex, read_directory
from rerun_command import keyword_expression, rerun_command

pytestmark = pytest.mark.unit

pytest_plugins = ["pytester"]

SUITE = """
import pytest

class TestRetry:
    def test_backoff(self):
        pass

def test_backoff():
    pass

@pytest.mark.parametrize("x", ["a b-c=d", "a b-c=e", "c[d]", "and"])
def test_ids(x):
    pass
"""


def commands(tmp_path: Path) -> dict[str, str]:
    tests = read_directory(write_reports(tmp_path), FileIndex(REPO_FILES))
    return {t.test_id: rerun_command(t, "integration") for t in tests}


def test_a_command_per_test_that_names_its_file(tmp_path: Path) -> None:
    found = commands(tmp_path)
    jobs = "backend/tests/unit/domain/test_jobs.py"
    store = "backend/tests/integration/adapters/test_store.py"
    assert found[f"{jobs}::TestRetry::test_backoff"] == (
        f"./pants test {jobs} -- -k 'TestRetry and test_backoff'"
    )
    assert found[f"{store}::test_ids[a b-c=d]"] == (
        f"./pants test {store} -- -k 'test_ids[a and b-c and d]'"
    )


@pytest.mark.parametrize(
    ("classname", "name", "selected"),
    [
        ("test_suite.TestRetry", "test_backoff", "test_suite.py::TestRetry::test_backoff"),
        ("test_suite", "test_ids[a b-c=d]", "test_suite.py::test_ids[a b-c=d]"),
        ("test_suite", "test_ids[c[d]]", "test_suite.py::test_ids[c[d]]"),
        ("test_suite", "test_ids[and]", "test_suite.py::test_ids[and]"),
    ],
)
def test_pytest_selects_exactly_that_test_with_the_expression(
    pytester: pytest.Pytester, classname: str, name: str, selected: str
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    report = pytester.path / "r.xml"
    report.write_text(f'<testsuite><testcase classname="{classname}" name="{name}"/></testsuite>')
    (test,) = read_directory(pytester.path, FileIndex(["test_suite.py"]))

    run = pytester.runpytest("-p", "no:cacheprovider", "-k", keyword_expression(test), "-v")

    ran = [line.rsplit(" PASSED", 1)[0] for line in run.outlines if " PASSED" in line]
    assert ran == [selected]
