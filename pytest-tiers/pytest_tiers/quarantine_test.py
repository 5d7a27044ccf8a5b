"""Quarantined tests, in scratch pytest sessions (see plugin_test.py): skipped with their reason
in pull-request runs, run without failing the session in the nightly one, never hidden."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.unit

QUARANTINED = """
import pytest

pytestmark = pytest.mark.integration


@pytest.mark.quarantine(reason="races the worker", until="{until}", issue="#14")
def test_broken():
    assert False


@pytest.mark.quarantine(reason="fixed, not yet released", until="{until}")
class TestFixed:
    def test_passes(self):
        pass


def test_plain():
    pass
"""
CURRENT, PAST = "2999-12-31", "2000-01-01"


def _properties(scratch: pytest.Pytester) -> dict[str, dict[str, str]]:
    root = ET.parse(scratch.path / "junit.xml").getroot()
    return {
        case.get("name", ""): {p.get("name", ""): p.get("value", "") for p in case.iter("property")}
        for case in root.iter("testcase")
    }


def test_skip_mode_skips_a_current_quarantine_with_its_reason_and_date(
    scratch: pytest.Pytester,
) -> None:
    scratch.makepyfile(test_q=QUARANTINED.format(until=CURRENT))
    result = scratch.runpytest_subprocess("-rs", "--junitxml=junit.xml")
    result.assert_outcomes(passed=1, skipped=2)
    assert result.ret == pytest.ExitCode.OK
    assert (
        "tiers quarantine (--tiers-quarantine=skip; one of skip|run): quarantined tests are "
        "skipped, with their reason and date; a quarantine past its date no longer applies"
    ) in result.stdout.str().splitlines()
    result.stdout.fnmatch_lines(
        ["SKIPPED [1] test_q.py:6: quarantined until 2999-12-31: races the worker (#14)"]
    )
    result.stdout.re_match_lines(
        [
            r"=+ tiers: 2 quarantined =+$",
            r"test_q\.py::test_broken: quarantined until 2999-12-31: races the worker \(#14\); "
            r"skipped$",
            r"test_q\.py::TestFixed::test_passes: quarantined until 2999-12-31: fixed, not yet "
            r"released; skipped$",
        ],
        consecutive=True,
    )
    properties = _properties(scratch)
    assert properties["test_broken"] == {
        "tiers.outcome": "quarantined",
        "tiers.quarantine.reason": "races the worker",
        "tiers.quarantine.until": "2999-12-31",
        "tiers.quarantine.issue": "#14",
    }
    assert properties["test_plain"] == {}


def test_run_mode_runs_it_and_its_failure_does_not_fail_the_session(
    scratch: pytest.Pytester,
) -> None:
    scratch.makepyfile(test_q=QUARANTINED.format(until=CURRENT))
    result = scratch.runpytest_subprocess("--tiers-quarantine=run", "--junitxml=junit.xml")
    result.assert_outcomes(passed=1, xfailed=1, xpassed=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.re_match_lines(
        [
            r"test_q\.py::test_broken: quarantined until 2999-12-31: races the worker \(#14\); "
            r"ran, failed \(not counted\)$",
            r"test_q\.py::TestFixed::test_passes: .*; ran, passed \(not counted\)$",
        ],
        consecutive=True,
    )
    properties = _properties(scratch)
    assert properties["test_broken"]["tiers.quarantine.result"] == "failed"
    assert properties["test_passes"]["tiers.quarantine.result"] == "passed"
    assert properties["test_passes"]["tiers.outcome"] == "quarantined"


def test_only_selected_tests_are_listed(scratch: pytest.Pytester) -> None:
    scratch.makepyfile(test_q=QUARANTINED.format(until=CURRENT))
    result = scratch.runpytest_subprocess("-k", "plain")
    result.assert_outcomes(passed=1, deselected=2)
    assert "quarantined" not in result.stdout.str().split("collected")[1]


def test_an_expired_quarantine_no_longer_applies(scratch: pytest.Pytester) -> None:
    scratch.makepyfile(test_q=QUARANTINED.format(until=PAST))
    result = scratch.runpytest_subprocess()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.re_match_lines(
        [
            r"=+ tiers: 2 expired quarantine\(s\) =+$",
            r"test_q\.py::test_broken: was quarantined until 2000-01-01: races the worker "
            r"\(#14\); past that date it runs as any other test\.$",
        ]
    )


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ('until="2999-12-31"', "lacks a reason (a non-empty `reason` string)"),
        ('reason="r"', "lacks `until`, which must be an ISO date string YYYY-MM-DD"),
        ('reason="r", until="31/12/2999"', "has until='31/12/2999', which must be an ISO date *"),
        ('"r", "2999-12-31"', "takes keyword arguments only (reason=..., until=...)"),
        ('reason="r", until="2999-12-31", untill="x"', "has unknown argument(s) untill"),
    ],
)
def test_a_quarantine_without_reason_or_valid_date_is_a_usage_error(
    scratch: pytest.Pytester, arguments: str, problem: str
) -> None:
    scratch.makepyfile(
        test_q=f"import pytest\n\npytestmark = pytest.mark.integration\n\n\n"
        f"@pytest.mark.quarantine({arguments})\ndef test_x():\n    pass\n"
    )
    result = scratch.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: 1 test(s) have a quarantine mark that cannot be used:",
            f"test_q.py::test_x: the quarantine mark {problem}.",
            '    fix: spell it `@pytest.mark.quarantine(reason="why", until="YYYY-MM-DD", '
            'issue="URL or id")` (issue optional).',
        ]
    )
