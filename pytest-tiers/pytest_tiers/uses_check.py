"""`--tiers-check-uses`: a test fails when it reaches a service its Pants target does not declare.

Under Pants, the `services` plugin writes what each test file's target declares in
`uses=[...]` into the sandbox (`pytest_tiers.services.declared_uses_file`). With this option the
session runs under observation (observe.py, Python-level: C clients are not seen) and, when a
test's teardown is done, compares the services it was charged with (its own connects, its
fixture closure's, its file's at import) with that declaration: an undeclared one turns the
teardown into an error naming the test, the service, where it was reached, and the fix. Tests
whose file has no declaration (plain pytest, another runner) are not checked.

At the end it lists the checked tests outside the hermetic tier that reached no service at all:
candidates for it (a warning, since a C client's connects are not observed).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_tiers.messages import render
from pytest_tiers.network_events import describe_reach
from pytest_tiers.observe import CHECK_USES_OPTION_DEST, Observer
from pytest_tiers.plugin import settings
from pytest_tiers.services import DEFAULT_SERVICE_PORTS, declared_uses_file

CHECK_USES_OPTION = "--tiers-check-uses"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("tiers").addoption(
        CHECK_USES_OPTION,
        dest=CHECK_USES_OPTION_DEST,
        action="store_true",
        default=False,
        help="pytest-tiers: fail a test that reaches a service its Pants target does not "
        "declare in uses=[...] (Python-level observation), and list the tests of the other "
        "tiers that reached none.",
    )


def declared_uses(test_path: Path, cwd: Path) -> list[str] | None:
    """What the test file's target declares, or None where nothing was declared for it."""
    declaration = cwd / declared_uses_file(os.path.relpath(test_path, cwd))
    try:
        return list(json.loads(declaration.read_text(encoding="utf-8"))["uses"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class UsesCheck:
    def __init__(self, observer: Observer, services: set[str], cwd: Path) -> None:
        self.observer = observer
        self.services = services
        self.cwd = cwd
        self.reached_nothing: list[str] = []

    def services_in(self, reached: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The events of `reached` that are connects to a service the port table names."""
        return [event for event in reached if event.get("service") in self.services]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Iterator[None]:
        outcome = yield
        if call.when != "teardown":
            return
        declared = declared_uses(item.path, self.cwd)
        if declared is None:
            return
        report = outcome.get_result()  # type: ignore[attr-defined]
        reached = self.services_in(self.observer.reached_by(item.nodeid))
        tier_settings = settings(item.config)
        hermetic = tier_settings is not None and tier_settings.is_hermetic(item)
        if not hermetic and not reached:
            self.reached_nothing.append(item.nodeid)
        undeclared = [event for event in reached if event["service"] not in declared]
        if not undeclared or report.failed:
            return
        fixtures = self.observer.fixtures
        services = sorted({event["service"] for event in undeclared})
        report.outcome = "failed"
        report.longrepr = render(
            item.nodeid,
            f"it {'; '.join(describe_reach(event, fixtures) for event in undeclared)}, but its "
            f"target declares uses={declared}.",
            f"add {', '.join(repr(s) for s in services)} to `uses` (and its URL variable to "
            "`extra_env_vars`) in its BUILD target or its directory's `__defaults__`, or stop "
            "reaching it.",
        )

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.reached_nothing:
            return
        terminalreporter.write_sep("=", "tiers: tests that reached no service")
        for nodeid in self.reached_nothing:
            terminalreporter.write_line(
                f"{nodeid}: reached no service (Python-level observation; a C client is not "
                "seen): a candidate for the hermetic tier"
            )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption(CHECK_USES_OPTION_DEST, False):
        return
    observer = config.pluginmanager.get_plugin("tiers-observer")
    assert isinstance(observer, Observer), "observe.py starts an Observer for this option"
    services = {*DEFAULT_SERVICE_PORTS.values(), *observer.ports.values()}
    config.pluginmanager.register(UsesCheck(observer, services, Path.cwd()), "tiers-uses-check")
