from __future__ import annotations

from datetime import date

import pytest

from pytest_tiers.quarantine_mark import InvalidQuarantine, Quarantine, iso_date, read

pytestmark = pytest.mark.unit


def test_a_full_mark_reads_into_a_quarantine() -> None:
    quarantine = read((), {"reason": " flaky DNS ", "until": "2026-12-31", "issue": "#14"})
    assert quarantine == Quarantine("flaky DNS", date(2026, 12, 31), "#14")
    assert quarantine.describe() == "quarantined until 2026-12-31: flaky DNS (#14)"
    assert quarantine.properties() == [
        ("tiers.outcome", "quarantined"),
        ("tiers.quarantine.reason", "flaky DNS"),
        ("tiers.quarantine.until", "2026-12-31"),
        ("tiers.quarantine.issue", "#14"),
    ]


def test_it_expires_the_day_after_its_date() -> None:
    quarantine = read((), {"reason": "r", "until": "2026-12-31"})
    assert not quarantine.expired(date(2026, 12, 31))
    assert quarantine.expired(date(2027, 1, 1))


def test_iso_date_accepts_only_yyyy_mm_dd() -> None:
    assert iso_date("2026-12-31") == date(2026, 12, 31)
    for other in ("20261231", "2026-1-31", "2026-02-30", "2026-12-31T00:00", 20261231, None):
        assert iso_date(other) is None


@pytest.mark.parametrize(
    ("args", "kwargs", "problem"),
    [
        ((), {"until": "2026-12-31"}, "lacks a reason (a non-empty `reason` string)"),
        ((), {"reason": "  ", "until": "2026-12-31"}, "lacks a reason (a non-empty `reason` string)"),
        ((), {"reason": "r"}, "lacks `until`, which must be an ISO date string YYYY-MM-DD"),
        ((), {"reason": "r", "until": "soon"}, "has until='soon', which must be an ISO date string YYYY-MM-DD"),
        (("r",), {}, "takes keyword arguments only (reason=..., until=...)"),
        ((), {"reason": "r", "until": "2026-12-31", "link": "x"}, "has unknown argument(s) link"),
        ((), {"reason": "r", "until": "2026-12-31", "issue": 14}, "has issue=14; it must be a URL or an id, as a string"),
    ],
)
def test_a_mark_that_cannot_be_used_says_why(
    args: tuple[object, ...], kwargs: dict[str, object], problem: str
) -> None:
    with pytest.raises(InvalidQuarantine) as raised:
        read(args, kwargs)
    assert raised.value.problem == problem
