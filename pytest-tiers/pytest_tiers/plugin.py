"""The pytest plugin: every collected test carries exactly one tier marker, and the hermetic
(first) tier can neither open a network connection nor see a service URL.

Configured from the pytest configuration, with keys this plugin registers:

    tiers = unit integration                 # the tier markers, in order; the first is hermetic
    tiers_service_env_vars = APP_DB_URL ...  # variables that carry service URLs

so plain `pytest -m unit` enforces what `pants lint` enforces with BUILD tags (the `tiers` Pants
plugin checks that both declare the same tiers and variables: TIER208). With no `tiers` key the
plugin does nothing.

Hermetic tests run with Python sockets disabled (pytest-socket; unix sockets stay allowed for
the asyncio event loop) and without the service variables, so a test that still connects fails
with a message that names it and says where it belongs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytest_socket import (
    SocketBlockedError,
    SocketConnectBlockedError,
    disable_socket,
    enable_socket,
)

from pytest_tiers.config_files import SERVICE_ENV_VARS_KEY, TIERS_KEY
from pytest_tiers.messages import render

# Observation (`--tiers-observe`, `--tiers-observe-seal`) comes with the plugin (a dependency
# declared in BUILD: Pants does not infer it from the string).
pytest_plugins = ["pytest_tiers.observe"]


@dataclass(frozen=True)
class TierSettings:
    """What the pytest configuration declares; `tiers[0]` is the hermetic tier."""

    tiers: tuple[str, ...]
    service_env_vars: tuple[str, ...]

    @property
    def hermetic(self) -> str:
        return self.tiers[0]

    def tiers_of(self, item: pytest.Item) -> list[str]:
        return sorted({mark.name for mark in item.iter_markers() if mark.name in self.tiers})

    def is_hermetic(self, item: pytest.Item) -> bool:
        return self.tiers_of(item) == [self.hermetic]


_SETTINGS = pytest.StashKey["TierSettings | None"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        TIERS_KEY,
        type="linelist",
        default=[],
        help="pytest-tiers: the tier markers, in order; the first is the hermetic tier. "
        "Every test must carry exactly one.",
    )
    parser.addini(
        SERVICE_ENV_VARS_KEY,
        type="linelist",
        default=[],
        help="pytest-tiers: environment variables that carry service URLs; tests of the "
        "hermetic tier run without them.",
    )


def _words(values: list[str]) -> tuple[str, ...]:
    """ini linelists hold one entry per line; allow several per line, as addopts does."""
    return tuple(word for value in values for word in value.split())


def settings(config: pytest.Config) -> TierSettings | None:
    """The plugin's settings, or None when the configuration declares no tiers."""
    return config.stash.get(_SETTINGS, None)


def pytest_configure(config: pytest.Config) -> None:
    tiers = _words(config.getini(TIERS_KEY))
    config.stash[_SETTINGS] = (
        TierSettings(tiers, _words(config.getini(SERVICE_ENV_VARS_KEY))) if tiers else None
    )


def pytest_report_header(config: pytest.Config) -> str:
    tier_settings = settings(config)
    if tier_settings is None:
        return f"tiers: not configured (no `{TIERS_KEY}` in the pytest configuration)"
    unset = ", ".join(tier_settings.service_env_vars) or "none declared"
    return (
        f"tiers: {', '.join(tier_settings.tiers)}; every test carries exactly one. "
        f"{tier_settings.hermetic!r} is hermetic: Python network sockets blocked, "
        f"service variables unset ({unset})"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tier_settings = settings(config)
    if tier_settings is None:
        return
    choices = " or ".join(repr(t) for t in tier_settings.tiers)
    problems = []
    for item in items:
        found = tier_settings.tiers_of(item)
        if len(found) == 1:
            continue
        what = (
            f"no tier marker (one of {choices})."
            if not found
            else f"several tier markers ({', '.join(found)}); a test belongs to exactly one tier."
        )
        problems.append(
            render(
                item.nodeid,
                what,
                "set the module-level `pytestmark = pytest.mark.<tier>` to the tier in the "
                "directory's BUILD file (`pants fix` writes it), and drop contradicting marks.",
            )
        )
    if problems:
        raise pytest.UsageError(
            f"{len(problems)} test(s) do not carry exactly one tier marker:\n"
            + "\n".join(problems)
        )


@pytest.fixture(autouse=True)
def _tiers_hermetic_environment(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hermetic tests see no service URL, as under Pants (only targets with `uses` get one)."""
    tier_settings = settings(request.config)
    if tier_settings is not None and tier_settings.is_hermetic(request.node):
        for name in tier_settings.service_env_vars:
            monkeypatch.delenv(name, raising=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    """Sockets stay blocked through the hermetic test's setup, call and teardown, fixtures
    included."""
    tier_settings = settings(item.config)
    sealed = tier_settings is not None and tier_settings.is_hermetic(item)
    if sealed:
        disable_socket(allow_unix_socket=True)
    try:
        yield
    finally:
        if sealed:
            enable_socket()


def _blocked_socket(excinfo: pytest.ExceptionInfo[BaseException] | None) -> bool:
    """Whether the failure was a blocked socket, even if a client library wrapped it."""
    error: BaseException | None = excinfo.value if excinfo is not None else None
    while error is not None:
        if isinstance(error, (SocketBlockedError, SocketConnectBlockedError)):
            return True
        error = error.__cause__ or error.__context__
    return False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    tier_settings = settings(item.config)
    if tier_settings is not None and report.failed and _blocked_socket(call.excinfo):
        report.sections.append(
            (
                "tier violation",
                render(
                    item.nodeid,
                    f"this {tier_settings.hermetic!r} test tried to open a network connection, "
                    "and that tier is hermetic.",
                    "use a fake (fakeredis, in-memory repositories), or move the test to the "
                    f"{' or '.join(tier_settings.tiers[1:]) or 'another'} tier (its directory's "
                    "BUILD `__defaults__` and its `pytestmark`).",
                ),
            )
        )
