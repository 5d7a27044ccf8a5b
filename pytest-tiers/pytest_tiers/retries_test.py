"""Retries per tier and flaky tests, in scratch pytest sessions (see plugin_test.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import pytest_tiers

pytestmark = pytest.mark.unit

# Fails on its first attempt in a session, passes on the next: the counter is a file in the
# session's base temporary directory, which every attempt shares.
FAILS_ONCE = """
import pytest

pytestmark = pytest.mark.{tier}


def test_fails_once(tmp_path_factory):
    seen = tmp_path_factory.getbasetemp() / "attempts"
    attempt = int(seen.read_text()) + 1 if seen.exists() else 1
    seen.write_text(str(attempt))
    assert attempt > 1, "fails on its first attempt"
"""
ALWAYS_FAILS = """
import pytest

pytestmark = pytest.mark.integration


def test_always_fails():
    assert False
"""


def _retried(scratch: pytest.Pytester, words: str = "integration=3") -> pytest.Pytester:
    ini = scratch.path / "tox.ini"
    ini.write_text(ini.read_text().rstrip("\n") + f"\ntiers_attempts = {words}\n")
    return scratch


def _testcases(scratch: pytest.Pytester, name: str) -> list[dict[str, str]]:
    """The properties of each `<testcase>` named `name`, in the order junitxml wrote them."""
    root = ET.parse(scratch.path / "junit.xml").getroot()
    return [
        {p.get("name", ""): p.get("value", "") for p in case.iter("property")}
        for case in root.iter("testcase")
        if case.get("name") == name
    ]


def test_an_integration_test_that_fails_once_then_passes_is_flaky_not_passed(
    scratch: pytest.Pytester,
) -> None:
    _retried(scratch).makepyfile(test_flaky=FAILS_ONCE.format(tier="integration"))
    result = scratch.runpytest_subprocess("--junitxml=junit.xml")
    assert result.parseoutcomes() == {"passed": 1, "rerun": 1}
    assert result.ret == pytest.ExitCode.OK
    result.stdout.re_match_lines(
        [
            r"=+ tiers: 1 flaky =+$",
            r"test_flaky\.py::test_fails_once: flaky: failed, then passed on attempt 2; not a "
            r"pass\.$",
            r"    fix: find what it depends on that it does not control .*",
        ],
        consecutive=True,
    )
    # One testcase per attempt: the retried one says so, the last one is the result.
    assert _testcases(scratch, "test_fails_once") == [
        {"tiers.outcome": "rerun", "tiers.attempt": "1"},
        {"tiers.outcome": "flaky", "tiers.attempts": "2"},
    ]


@pytest.mark.parametrize("asked_by", ["--reruns", "its own flaky mark"])
def test_the_same_test_in_the_hermetic_tier_fails_the_run_whatever_asks_for_reruns(
    scratch: pytest.Pytester, asked_by: str
) -> None:
    source = FAILS_ONCE.format(tier="unit")
    if asked_by == "--reruns":
        arguments = ["--reruns=3"]
    else:
        arguments = []
        source = source.replace("\ndef test_", "\n@pytest.mark.flaky(reruns=3)\ndef test_")
    _retried(scratch).makepyfile(test_flaky=source)
    result = scratch.runpytest_subprocess(*arguments, "--junitxml=junit.xml")
    assert result.parseoutcomes() == {"failed": 1}  # no rerun
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "tiers: 1 flaky" not in result.stdout.str()
    assert _testcases(scratch, "test_fails_once") == [{}]


def test_a_test_that_fails_every_attempt_fails_after_its_tiers_attempts(
    scratch: pytest.Pytester,
) -> None:
    _retried(scratch).makepyfile(test_fails=ALWAYS_FAILS)
    result = scratch.runpytest_subprocess("--reruns=9", "--junitxml=junit.xml")
    assert result.parseoutcomes() == {"failed": 1, "rerun": 2}
    assert _testcases(scratch, "test_always_fails") == [
        {"tiers.outcome": "rerun", "tiers.attempt": "1"},
        {"tiers.outcome": "rerun", "tiers.attempt": "2"},
        {"tiers.outcome": "failed", "tiers.attempts": "3"},
    ]


def test_a_session_without_tiers_that_retries_names_its_flaky_tests_too(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(scratch_package_root()))
    pytester.makeini("[pytest]\naddopts = -p pytest_tiers.plugin\nmarkers = integration: i\n")
    pytester.makepyfile(test_flaky=FAILS_ONCE.format(tier="integration"))
    result = pytester.runpytest_subprocess("--reruns=1")
    assert result.parseoutcomes() == {"passed": 1, "rerun": 1}
    result.stdout.re_match_lines([r"=+ tiers: 1 flaky =+$"])


def test_the_header_says_which_tiers_retry(scratch: pytest.Pytester) -> None:
    _retried(scratch).makepyfile(test_flaky=FAILS_ONCE.format(tier="integration"))
    assert (
        "tiers retries (tiers_attempts): 'integration' tests up to 3 attempts "
        "(pytest-rerunfailures); 'unit' tests run once, whatever --reruns says (a flaky 'unit' "
        "test is a bug); a test that fails and then passes is reported flaky, not passed"
    ) in result_lines(scratch.runpytest_subprocess())


def test_without_tiers_attempts_nothing_retries(scratch: pytest.Pytester) -> None:
    scratch.makepyfile(test_flaky=FAILS_ONCE.format(tier="integration"))
    result = scratch.runpytest_subprocess("--reruns=3")
    assert result.parseoutcomes() == {"failed": 1}
    assert (
        "tiers retries: none (no `tiers_attempts`): every test runs once, whatever --reruns says"
    ) in result_lines(result)


def test_without_pytest_rerunfailures_every_test_runs_once_and_the_header_says_so(
    scratch: pytest.Pytester,
) -> None:
    _retried(scratch).makepyfile(test_flaky=FAILS_ONCE.format(tier="integration"))
    result = scratch.runpytest_subprocess("-p", "no:rerunfailures")
    assert result.parseoutcomes() == {"failed": 1}
    assert (
        "tiers retries: pytest-rerunfailures is not loaded, so every test runs once "
        "('integration' tests up to 3 attempts would be retried: `tiers_attempts`)"
    ) in result_lines(result)


@pytest.mark.parametrize("option", ["--force-reruns=2", "--reruns-mode=append"])
def test_options_that_would_retry_beyond_the_tier_are_usage_errors(
    scratch: pytest.Pytester, option: str
) -> None:
    _retried(scratch).makepyfile(test_flaky=FAILS_ONCE.format(tier="unit"))
    result = scratch.runpytest_subprocess(option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    shown = option.split("=2")[0] if option.startswith("--force") else option
    result.stderr.fnmatch_lines(
        [f"ERROR: {shown}: it would retry tests beyond their tier's attempts *"]
    )


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("unit=2", "gives the hermetic tier 'unit' 2 attempts, but it is never retried *"),
        ("e2e=2", "names 'e2e', which is not a tier *"),
        ("integration=0", "gives 'integration' 0 attempts; a count is an integer of at least 1."),
        ("integration", "'integration' is not of the form TIER=N."),
    ],
)
def test_a_bad_tiers_attempts_is_a_usage_error(
    scratch: pytest.Pytester, words: str, problem: str
) -> None:
    _retried(scratch, words).makepyfile(test_flaky=FAILS_ONCE.format(tier="unit"))
    result = scratch.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: tiers_attempts: {problem}"])


def result_lines(result: pytest.RunResult) -> list[str]:
    return result.stdout.str().splitlines()


def scratch_package_root() -> Path:
    """Where a scratch session's Python finds pytest_tiers (as conftest.py's `scratch` does)."""
    return Path(pytest_tiers.__file__).resolve().parent.parent

