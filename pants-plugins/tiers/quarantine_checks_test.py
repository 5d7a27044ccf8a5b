from __future__ import annotations

from datetime import date

import pytest

from tiers.quarantine_checks import check_quarantines
from tiers.violations import Violation

pytestmark = pytest.mark.unit

TODAY = date(2026, 12, 1)
SPELLING = (
    '    fix: spell it `@pytest.mark.quarantine(reason="why", until="YYYY-MM-DD", '
    'issue="URL or id")` (issue optional).'
)
LITERALS = (
    "    fix: write its arguments as literals in the mark itself: "
    '`@pytest.mark.quarantine(reason="why", until="YYYY-MM-DD", issue="URL or id")` '
    "(issue optional)."
)


def rendered(source: str, today: date = TODAY) -> list[str]:
    violations = check_quarantines("t/test_x.py", source.encode(), today)
    return [v.render() for v in sorted(violations, key=Violation.sort_key)]


def test_a_current_quarantine_is_clean_everywhere_a_mark_can_be_written() -> None:
    source = """
import pytest as pt
from pytest import mark as m

pytestmark = [pt.mark.integration, pt.mark.quarantine(reason="r", until="2026-12-01")]


@m.quarantine(reason="r", until="2027-01-01", issue="https://example.com/14")
class TestX:
    pytestmark = pt.mark.quarantine(reason="r", until="2027-01-01")

    @pt.mark.parametrize("x", [pt.param(1, marks=pt.mark.quarantine(reason="r", until="2027-01-01"))])
    def test_x(self, x):
        pass
"""
    assert rendered(source) == []


def test_an_expired_quarantine_is_tier402_the_day_after_its_date() -> None:
    source = (
        "import pytest\n\n\n"
        '@pytest.mark.quarantine(reason="races the worker", until="2026-11-30")\n'
        "def test_x():\n    pass\n"
    )
    assert rendered(source, today=date(2026, 11, 30)) == []
    assert rendered(source) == [
        "t/test_x.py:4: TIER402 the quarantine expired: its date 2026-11-30 has passed (today is "
        "2026-12-01), so the test runs again (reason: races the worker).\n"
        "    fix: fix the test and drop the mark; if the reason still holds, set a later `until` "
        "and say why where the quarantine is tracked."
    ]


@pytest.mark.parametrize(
    ("mark", "problem"),
    [
        ('pytest.mark.quarantine(until="2027-01-01")', "lacks a reason (a non-empty `reason` string)"),
        ('pytest.mark.quarantine(reason="r")', "lacks `until`, which must be an ISO date string YYYY-MM-DD"),
        (
            'pytest.mark.quarantine(reason="r", until="2027-1-1")',
            "has until='2027-1-1', which must be an ISO date string YYYY-MM-DD",
        ),
        ('pytest.mark.quarantine("r", "2027-01-01")', "takes keyword arguments only (reason=..., until=...)"),
    ],
)
def test_a_mark_without_reason_or_valid_date_is_tier401(mark: str, problem: str) -> None:
    source = f"import pytest\n\npytestmark = [pytest.mark.unit, {mark}]\n"
    assert rendered(source) == [f"t/test_x.py:3: TIER401 the quarantine mark {problem}.\n{SPELLING}"]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (
            'import pytest\nUNTIL = "2027-01-01"\n\n@pytest.mark.quarantine(reason="r", until=UNTIL)\ndef test_x(): pass\n',
            "t/test_x.py:4: TIER401 the quarantine mark cannot be read statically: `UNTIL` is not a literal.",
        ),
        (
            "import pytest\n\n@pytest.mark.quarantine(**ARGS)\ndef test_x(): pass\n",
            "t/test_x.py:3: TIER401 the quarantine mark cannot be read statically: `**ARGS` is not a literal.",
        ),
        (
            "import pytest\n\nlater = pytest.mark.quarantine\n",
            "t/test_x.py:3: TIER401 the quarantine mark `pytest.mark.quarantine` is not called where "
            "it is written, so its reason and date cannot be read statically.",
        ),
    ],
)
def test_a_mark_that_cannot_be_read_statically_is_tier401(source: str, problem: str) -> None:
    assert rendered(source) == [f"{problem}\n{LITERALS}"]


def test_other_quarantine_names_and_unparsable_files_are_not_its_business() -> None:
    assert rendered("from app import quarantine\nquarantine.mark.quarantine()\n") == []
    assert rendered("def broken(:  # quarantine\n") == []  # TIER105 reports it
