"""Retries where the tier allows them, and flaky tests named: never a silent pass.

The attempts per tier come from the `tiers_attempts` key (`attempts.py`); pytest-rerunfailures
does the retrying. Each test gets a `flaky(reruns=N)` mark, N = its tier's attempts - 1, put
first among its marks, so the tier decides whatever `--reruns`, the `reruns` ini key or a
test's own `flaky` mark say: the hermetic tier is never retried (N = 0), and its first failure
fails the run. `--force-reruns` and `--reruns-mode=append` would override or add to that, so
they are usage errors in a configured session. Without pytest-rerunfailures every test runs
once, and the header says so.

A test that fails and then passes is flaky, not passed: its final JUnit testcase carries
`tiers.outcome=flaky` and `tiers.attempts` (`report_properties.py`; each retried attempt's own
testcase carries `tiers.outcome=rerun`), and the terminal summary lists it in a `tiers: N flaky`
section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from pytest_tiers import report_properties as prop
from pytest_tiers.attempts import parse_words
from pytest_tiers.config_files import ATTEMPTS_KEY
from pytest_tiers.messages import ProblemError, render
from pytest_tiers.plugin import ini_words, settings

# pytest-rerunfailures' plugin name (its pytest11 entry point).
RERUNFAILURES = "rerunfailures"

_POLICY = pytest.StashKey["RetryPolicy"]()


@dataclass(frozen=True)
class RetryPolicy:
    tiers: tuple[str, ...]
    attempts: Mapping[str, int]  # tiers retried -> attempts (each > 1)
    available: bool  # pytest-rerunfailures is loaded

    def attempts_of(self, tier: str) -> int:
        return self.attempts.get(tier, 1) if self.available else 1

    def header(self) -> str:
        hermetic = repr(self.tiers[0])
        retried = ", ".join(f"{t!r} tests up to {n} attempts" for t, n in self.attempts.items())
        if not self.available:
            would = f" ({retried} would be retried: `{ATTEMPTS_KEY}`)" if retried else ""
            return (
                "tiers retries: pytest-rerunfailures is not loaded, so every test runs once"
                + would
            )
        once = ", ".join(repr(t) for t in self.tiers if t not in self.attempts)
        if not retried:
            return (
                f"tiers retries: none (no `{ATTEMPTS_KEY}`): every test runs once, whatever "
                "--reruns says"
            )
        return (
            f"tiers retries ({ATTEMPTS_KEY}): {retried} (pytest-rerunfailures); {once} tests run "
            f"once, whatever --reruns says (a flaky {hermetic} test is a bug); a test that fails "
            "and then passes is reported flaky, not passed"
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        ATTEMPTS_KEY,
        type="linelist",
        default=[],
        help="pytest-tiers: TIER=N words, the attempts a failing test of that tier gets "
        "(pytest-rerunfailures); other tiers get one, the hermetic (first) tier always one.",
    )


def policy(config: pytest.Config) -> RetryPolicy | None:
    return config.stash.get(_POLICY, None)


@pytest.hookimpl(trylast=True)  # after plugin.py has read the tiers
def pytest_configure(config: pytest.Config) -> None:
    # Flaky tests are named in any session that retries, tiers configured or not.
    config.pluginmanager.register(FlakyRecorder(), "tiers-flaky-recorder")
    tier_settings = settings(config)
    if tier_settings is None:
        return
    try:
        words = ini_words(config.getini(ATTEMPTS_KEY))
        attempts = parse_words(words, tier_settings.tiers, ATTEMPTS_KEY)
    except ProblemError as error:
        raise pytest.UsageError(str(error)) from None
    available = config.pluginmanager.hasplugin(RERUNFAILURES)
    if available:
        _refuse_overrides(config, tier_settings.hermetic)
    config.stash[_POLICY] = RetryPolicy(tier_settings.tiers, attempts, available)


def _refuse_overrides(config: pytest.Config, hermetic: str) -> None:
    """The options of pytest-rerunfailures that would retry beyond the tier's attempts."""
    if config.getoption("force_reruns", None) is not None:
        option = "--force-reruns"
    elif config.getoption("reruns_mode", "strict") == "append":
        option = "--reruns-mode=append"
    else:
        return
    raise pytest.UsageError(
        render(
            option,
            f"it would retry tests beyond their tier's attempts (`{ATTEMPTS_KEY}`), and "
            f"{hermetic!r} tests are never retried.",
            f"drop {option}; the attempts per tier are set in `{ATTEMPTS_KEY}` (in a Pants "
            "repository: `[tiers].attempts` in pants.toml, which TIER208 keeps equal).",
        )
    )


def pytest_report_header(config: pytest.Config) -> list[str]:
    retry_policy = policy(config)
    return [retry_policy.header()] if retry_policy is not None else []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    retry_policy = policy(config)
    tier_settings = settings(config)
    if retry_policy is None or tier_settings is None or not retry_policy.available:
        return
    for item in items:
        tiers = tier_settings.tiers_of(item)
        if len(tiers) == 1:  # plugin.py fails the run for any other test
            reruns = retry_policy.attempts_of(tiers[0]) - 1
            item.add_marker(pytest.mark.flaky(reruns=reruns), append=False)


@dataclass
class _Attempt:
    number: int = 1
    failed: bool = False  # some phase of this attempt failed
    retried: bool = False  # pytest-rerunfailures retries this attempt


@dataclass(frozen=True)
class FlakyTest:
    nodeid: str
    attempts: int  # the attempt that passed


@dataclass(eq=False)  # a plugin object: pluggy hashes it
class FlakyRecorder:
    """Follows each test's attempts through its reports (pytest-rerunfailures numbers them in
    `report.rerun` and gives a retried failure the outcome "rerun"), and writes the outcome
    into the teardown report of each attempt, whose properties junitxml puts on the testcase."""

    attempts: dict[str, _Attempt] = field(default_factory=dict)
    flaky: list[FlakyTest] = field(default_factory=list)

    @pytest.hookimpl(tryfirst=True)  # before junitxml writes the testcase
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        number = getattr(report, "rerun", 0) + 1
        if report.when == "setup" or report.nodeid not in self.attempts:
            self.attempts[report.nodeid] = _Attempt(number)
        attempt = self.attempts[report.nodeid]
        if report.outcome == "rerun":
            attempt.retried = attempt.failed = True
        elif report.failed:
            attempt.failed = True
        if report.when != "teardown":
            return
        if attempt.retried:
            report.user_properties += [(prop.OUTCOME, prop.RERUN), (prop.ATTEMPT, number)]
        elif number > 1 and not attempt.failed:
            report.user_properties += [(prop.OUTCOME, prop.FLAKY), (prop.ATTEMPTS, number)]
            self.flaky.append(FlakyTest(report.nodeid, number))
        elif number > 1:
            report.user_properties += [(prop.OUTCOME, prop.FAILED), (prop.ATTEMPTS, number)]

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.flaky:
            return
        terminalreporter.write_sep("=", f"tiers: {len(self.flaky)} flaky", yellow=True, bold=True)
        for test in self.flaky:
            terminalreporter.write_line(
                render(
                    test.nodeid,
                    f"flaky: failed, then passed on attempt {test.attempts}; not a pass.",
                    "find what it depends on that it does not control (order, time, shared "
                    "state, a service) and make it deterministic; quarantine it meanwhile "
                    '(`@pytest.mark.quarantine(reason="...", until="YYYY-MM-DD")`).',
                )
            )
