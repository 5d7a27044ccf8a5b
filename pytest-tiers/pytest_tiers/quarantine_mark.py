"""The quarantine mark, spelled once: `@pytest.mark.quarantine(reason="...", until="YYYY-MM-DD",
issue="URL or id")` (issue optional, keywords only, so scripts can rely on the spelling).

Pure: the pytest plugin (`quarantine.py`) reads the mark's values at collection, the `tiers`
Pants linter reads the literal values from the source (TIER401, TIER402); both validate here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pytest_tiers import report_properties as prop

MARK = "quarantine"
REQUIRED = ("reason", "until")
KEYWORDS = (*REQUIRED, "issue")
SPELLING = '@pytest.mark.quarantine(reason="why", until="YYYY-MM-DD", issue="URL or id")'
# What pytest-tiers registers in `markers`, so that --strict-markers accepts the mark.
MARKER_LINE = (
    f"{MARK}(reason, until, issue=None): pytest-tiers: keep a test out of pull-request runs "
    "until a date (YYYY-MM-DD) for a reason; --tiers-quarantine=run runs it, reported apart"
)


class InvalidQuarantine(ValueError):
    """The mark cannot be used as written; `problem` completes "the quarantine mark ..."."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = f"spell it `{SPELLING}` (issue optional)."


@dataclass(frozen=True)
class Quarantine:
    reason: str
    until: date
    issue: str | None = None

    def expired(self, today: date) -> bool:
        """Past its date: on `until` itself the quarantine still holds."""
        return self.until < today

    def describe(self) -> str:
        issue = f" ({self.issue})" if self.issue else ""
        return f"quarantined until {self.until.isoformat()}: {self.reason}{issue}"

    def properties(self) -> list[tuple[str, str]]:
        """The JUnit testcase properties of a quarantined test."""
        found = [
            (prop.OUTCOME, prop.QUARANTINED),
            (prop.QUARANTINE_REASON, self.reason),
            (prop.QUARANTINE_UNTIL, self.until.isoformat()),
        ]
        if self.issue:
            found.append((prop.QUARANTINE_ISSUE, self.issue))
        return found


def iso_date(value: object) -> date | None:
    """`value` as a date if it is a string spelled exactly YYYY-MM-DD, else None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.isoformat() == value else None


def read(args: Sequence[object], kwargs: Mapping[str, object]) -> Quarantine:
    """The quarantine a mark's arguments declare; raises InvalidQuarantine saying what is wrong."""
    if args:
        raise InvalidQuarantine("takes keyword arguments only (reason=..., until=...)")
    unknown = sorted(set(kwargs) - set(KEYWORDS))
    if unknown:
        raise InvalidQuarantine(f"has unknown argument(s) {', '.join(unknown)}")
    reason = kwargs.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidQuarantine("lacks a reason (a non-empty `reason` string)")
    until = kwargs.get("until")
    parsed = iso_date(until)
    if parsed is None:
        got = "lacks `until`" if until is None else f"has until={until!r}"
        raise InvalidQuarantine(f"{got}, which must be an ISO date string YYYY-MM-DD")
    issue = kwargs.get("issue")
    if issue is not None and (not isinstance(issue, str) or not issue.strip()):
        raise InvalidQuarantine(f"has issue={issue!r}; it must be a URL or an id, as a string")
    return Quarantine(reason.strip(), parsed, issue.strip() if issue else None)
