"""Quarantined tests (`@pytest.mark.quarantine(reason=..., until=...)`): kept out of
pull-request runs until their date, run and reported in the nightly one, never hidden.

`--tiers-quarantine=skip` (the default) skips each quarantined test with the reason
`quarantined until DATE: REASON`; `run` (the nightly job) runs it as a non-strict xfail: a
failure is reported (XFAIL, with its traceback) and does not fail the session, a pass shows as
XPASS. Either way its JUnit testcase carries `tiers.outcome=quarantined`, the reason, the date
and the issue (`report_properties.py`), in `run` mode also `tiers.quarantine.result`, and the
terminal summary lists it in a `tiers: N quarantined` section.

A quarantine past its date no longer applies: the test runs as any other (and the `tiers`
linter fails on it: TIER402). A mark without a reason or a valid date is a usage error at
collection, naming the test. The mark is registered here, so --strict-markers accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from pytest_tiers import report_properties as prop
from pytest_tiers.messages import render
from pytest_tiers.quarantine_mark import MARK, MARKER_LINE, InvalidQuarantine, Quarantine, read

QUARANTINE_OPTION = "--tiers-quarantine"
SKIP, RUN = "skip", "run"

_BOOK = pytest.StashKey["QuarantineBook"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("tiers").addoption(
        QUARANTINE_OPTION,
        dest="tiers_quarantine",
        choices=(SKIP, RUN),
        default=SKIP,
        help="pytest-tiers: what happens to tests marked quarantine(reason=..., until=...). "
        "skip (default, pull requests): skipped, with reason and date; run (nightly): run, a "
        "failure reported but not failing the session. An expired quarantine no longer applies.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_LINE)
    book = QuarantineBook(config.getoption("tiers_quarantine", SKIP), date.today())
    config.stash[_BOOK] = book
    config.pluginmanager.register(book, "tiers-quarantine-book")


def pytest_report_header(config: pytest.Config) -> str:
    mode = config.getoption("tiers_quarantine", SKIP)
    what = (
        "quarantined tests are skipped, with their reason and date"
        if mode == SKIP
        else "quarantined tests run; a failure is reported (xfail) and does not fail the session"
    )
    return (
        f"tiers quarantine ({QUARANTINE_OPTION}={mode}; one of {SKIP}|{RUN}): {what}; a "
        "quarantine past its date no longer applies"
    )


def quarantine_of(item: pytest.Item) -> Quarantine | None:
    """The item's closest quarantine mark, read; raises InvalidQuarantine for any of its marks
    that is malformed (a class mark and a function mark both count)."""
    found = [read(mark.args, mark.kwargs) for mark in item.iter_markers(MARK)]
    return found[0] if found else None


@dataclass(eq=False)  # a plugin object: pluggy hashes it
class QuarantineBook:
    """The session's quarantined tests, and what each did."""

    mode: str
    today: date
    quarantined: dict[str, Quarantine] = field(default_factory=dict)
    expired: dict[str, Quarantine] = field(default_factory=dict)
    results: dict[str, str] = field(default_factory=dict)

    @pytest.hookimpl(trylast=True)  # after `-m`/`-k` deselection: only the selected tests
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        problems = []
        for item in items:
            try:
                quarantine = quarantine_of(item)
            except InvalidQuarantine as invalid:
                problems.append(
                    render(item.nodeid, f"the quarantine mark {invalid.problem}.", invalid.fix)
                )
                continue
            if quarantine is None:
                continue
            if quarantine.expired(self.today):
                self.expired[item.nodeid] = quarantine
                continue
            self.quarantined[item.nodeid] = quarantine
            item.user_properties.extend(quarantine.properties())
            if self.mode == SKIP:
                item.add_marker(pytest.mark.skip(reason=quarantine.describe()))
            else:
                item.add_marker(pytest.mark.xfail(reason=quarantine.describe(), strict=False))
        if problems:
            raise pytest.UsageError(
                f"{len(problems)} test(s) have a quarantine mark that cannot be used:\n"
                + "\n".join(problems)
            )

    @pytest.hookimpl(tryfirst=True)  # before junitxml writes the testcase
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.mode != RUN or report.nodeid not in self.quarantined:
            return
        if report.when == "setup":
            self.results[report.nodeid] = "passed"
        if report.failed or (report.skipped and hasattr(report, "wasxfail")):
            self.results[report.nodeid] = "failed"
        if report.when == "teardown":
            report.user_properties.append(
                (prop.QUARANTINE_RESULT, self.results.get(report.nodeid, "passed"))
            )

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.quarantined:
            terminalreporter.write_sep(
                "=", f"tiers: {len(self.quarantined)} quarantined", yellow=True, bold=True
            )
            for nodeid, quarantine in self.quarantined.items():
                did = (
                    "skipped"
                    if self.mode == SKIP
                    else f"ran, {self.results.get(nodeid, 'not run')} (not counted)"
                )
                terminalreporter.write_line(f"{nodeid}: {quarantine.describe()}; {did}")
        if self.expired:
            terminalreporter.write_sep(
                "=", f"tiers: {len(self.expired)} expired quarantine(s)", yellow=True, bold=True
            )
            for nodeid, quarantine in self.expired.items():
                terminalreporter.write_line(
                    render(
                        nodeid,
                        f"was {quarantine.describe()}; past that date it runs as any other test.",
                        "fix the test and drop the mark, or set a later `until` if the reason "
                        "still holds.",
                    )
                )
