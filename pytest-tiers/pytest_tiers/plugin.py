"""The pytest plugin: every collected test carries exactly one tier marker, and the hermetic
(first) tier can neither open a network connection nor see a service URL.

Configured from the pytest configuration, with keys this plugin registers:

    tiers = unit integration                 # the tier markers, in order; the first is hermetic
    tiers_service_env_vars = APP_DB_URL ...  # variables that carry service URLs

so plain `pytest -m unit` enforces what `pants lint` enforces with BUILD tags (the `tiers` Pants
plugin checks that both declare the same tiers and variables: TIER208). With no `tiers` key the
plugin does nothing.

Hermetic tests run without the service variables, and cannot connect, guarded at one of two
levels, chosen once the selected tests are known (`--tiers-seal`, default `auto`):

- OS level, when every selected test is of the hermetic tier (a Pants unit batch, `pytest -m
  unit`) and seccomp is available: `connect(2)` is denied for the rest of the process and its
  children (`pytest_tiers.seal`), C clients such as libpq included;
- Python level otherwise (a session that mixes tiers, where the filter could not be lifted for
  the other tiers; or no seccomp): Python sockets disabled around each hermetic test
  (pytest-socket; unix sockets stay allowed for the asyncio event loop).

A line after collection says which applied and why. A test that still connects fails with a
message that names it, the address it tried, and where it belongs. `--tiers-seal=all` denies
connects at the OS level for the whole session, whatever the tiers, from before collection.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytest_socket import disable_socket, enable_socket

from pytest_tiers import connect_attempts
from pytest_tiers.config_files import SERVICE_ENV_VARS_KEY, TIERS_KEY
from pytest_tiers.messages import render
from pytest_tiers.seal import SealUnavailable, install

# Observation (`--tiers-observe`), the check of declared services (`--tiers-check-uses`), the
# retries per tier with flaky tests named, and quarantine come with the plugin (dependencies
# declared in BUILD: Pants does not infer them from strings).
pytest_plugins = [
    "pytest_tiers.observe",
    "pytest_tiers.uses_check",
    "pytest_tiers.retries",
    "pytest_tiers.quarantine",
]


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
# The guard this session's hermetic tests run under, once known: "os", "python" or "off".
_GUARD = pytest.StashKey[str]()

SEAL_OPTION = "--tiers-seal"
SEAL_MODES = ("auto", "os", "python", "off", "all")
# The mode that seals the whole session from before collection, whatever the tiers.
SEAL_ALL = "all"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("tiers").addoption(
        SEAL_OPTION,
        dest="tiers_seal",
        choices=SEAL_MODES,
        default="auto",
        help="pytest-tiers: how the hermetic tier is kept off the network. auto (default): "
        "connect(2) denied at the OS level (seccomp) when every selected test is of the "
        "hermetic tier, else Python sockets blocked for its tests; os: the same, but an error "
        "where the OS level is unavailable; python: Python sockets only; off: no guard; all: "
        "connect(2) denied at the OS level for the whole session, whatever the tiers, from "
        "before collection.",
    )
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


def ini_words(values: list[str]) -> tuple[str, ...]:
    """ini linelists hold one entry per line; allow several per line, as addopts does."""
    return tuple(word for value in values for word in value.split())


def settings(config: pytest.Config) -> TierSettings | None:
    """The plugin's settings, or None when the configuration declares no tiers."""
    return config.stash.get(_SETTINGS, None)


def _seal_mode(config: pytest.Config) -> str:
    return config.getoption("tiers_seal", "auto")


def pytest_configure(config: pytest.Config) -> None:
    tiers = ini_words(config.getini(TIERS_KEY))
    config.stash[_SETTINGS] = (
        TierSettings(tiers, ini_words(config.getini(SERVICE_ENV_VARS_KEY))) if tiers else None
    )
    if _seal_mode(config) == SEAL_ALL:
        # Sealed already before the conftests loaded when this plugin was loaded early (`-p`,
        # an entry point); loaded by a conftest, it seals here, still before collection.
        _seal_all()
        config.stash[_GUARD] = "os"


def _seal_all() -> None:
    """`--tiers-seal=all`: an import or a conftest that connects fails, as it would in a unit
    tier sealed by hand. Nothing to fall back to: the caller asked for this guarantee."""
    try:
        seal_session()
    except SealUnavailable as unavailable:
        raise pytest.UsageError(
            render(
                f"{SEAL_OPTION}={SEAL_ALL}",
                f"connect(2) cannot be denied at the OS level here: {unavailable}.",
                f"run it on Linux with libseccomp2 and pyseccomp, or without {SEAL_OPTION}"
                f"={SEAL_ALL}.",
            )
        ) from None


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Seal a `--tiers-seal=all` session before its conftests load (a conftest may connect at
    import), when this plugin is loaded that early (`-p pytest_tiers.plugin`, an entry point)."""
    namespace = getattr(early_config, "known_args_namespace", None)
    if getattr(namespace, "tiers_seal", None) == SEAL_ALL:
        _seal_all()


def pytest_report_header(config: pytest.Config) -> list[str]:
    mode = _seal_mode(config)
    tier_settings = settings(config)
    lines = []
    if tier_settings is None:
        lines.append(f"tiers: not configured (no `{TIERS_KEY}` in the pytest configuration)")
    else:
        unset = ", ".join(tier_settings.service_env_vars) or "none declared"
        hermetic = repr(tier_settings.hermetic)
        lines.append(
            f"tiers: {', '.join(tier_settings.tiers)}; every test carries exactly one. "
            f"{hermetic} is hermetic: no network connections, service variables unset ({unset})"
        )
        if mode != SEAL_ALL:
            lines.append(
                f"tiers seal ({SEAL_OPTION}={mode}; one of {'|'.join(SEAL_MODES)}): connect(2) "
                f"is denied at the OS level (seccomp) when every selected test is {hermetic}, "
                f"else Python sockets are blocked for {hermetic} tests; the line after "
                "collection says which applies"
            )
    if mode == SEAL_ALL:  # sealed already, at configure
        lines.append(
            f"tiers seal: OS level for the whole session ({SEAL_OPTION}={SEAL_ALL}): connect(2) "
            "denied (EACCES) to every test, whatever its tier, and to its child processes"
        )
    return lines


def guard(config: pytest.Config) -> str:
    """How this session keeps its hermetic tests off the network, once collection is done:
    "os" (connect(2) denied at the OS level), "python" (pytest-socket) or "off"."""
    return config.stash.get(_GUARD, "python")


def seal_session() -> None:
    """Denies connect(2) at the OS level for the rest of this process and its children, and
    records the addresses Python code tries, for the failure message. Raises SealUnavailable
    (saying why) where it cannot; public for runners that seal a whole session."""
    install()
    connect_attempts.record()


def _guard_line(
    config: pytest.Config, tier_settings: TierSettings, items: list[pytest.Item]
) -> str:
    """Decides (once) the guard of this session's hermetic tests, applies the OS-level seal
    when that is the decision, and returns the line that says so."""
    mode = _seal_mode(config)
    hermetic = repr(tier_settings.hermetic)
    python_only = f"{hermetic} tests get Python sockets blocked only (pytest-socket)"
    if mode == "off":
        config.stash[_GUARD] = "off"
        return f"tiers seal: off ({SEAL_OPTION}=off): {hermetic} tests are not kept off the network"
    config.stash[_GUARD] = "python"
    if mode == "python":
        return f"tiers seal: Python level ({SEAL_OPTION}=python): {python_only}"
    tiers = sorted({tier for item in items for tier in tier_settings.tiers_of(item)})
    if tier_settings.hermetic not in tiers:
        return f"tiers seal: not needed: no selected test is {hermetic}"
    if tiers != [tier_settings.hermetic]:
        return (
            f"tiers seal: Python level: the selected tests are not all {hermetic} "
            f"({', '.join(tiers) or 'no tier'}), so {python_only}; the OS-level seal applies "
            f"only to {hermetic}-only sessions (`pytest -m {tier_settings.hermetic}`, a Pants "
            f"{tier_settings.hermetic} batch)"
        )
    try:
        seal_session()
    except SealUnavailable as unavailable:
        if mode == "os":
            raise pytest.UsageError(
                render(
                    f"{SEAL_OPTION}=os",
                    f"connect(2) cannot be denied at the OS level here: {unavailable}.",
                    f"run it on Linux with libseccomp2 and pyseccomp, or use {SEAL_OPTION}=auto "
                    "(which falls back to the Python level).",
                )
            ) from None
        return (
            f"tiers seal: Python level: the OS-level seal is unavailable here ({unavailable}), "
            f"so {python_only}"
        )
    config.stash[_GUARD] = "os"
    return (
        f"tiers seal: OS level: every selected test is {hermetic}, so connect(2) is denied "
        "(EACCES) for the rest of this session and its child processes, C clients included"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the selected tests are known (after `-m` and deselection), before the first one
    runs: seal, or say why not."""
    config = session.config
    tier_settings = settings(config)
    if _seal_mode(config) == SEAL_ALL or tier_settings is None or config.option.collectonly:
        return
    if not session.items:
        return
    line = _guard_line(config, tier_settings, session.items)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)


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
    """Under the Python-level guard, sockets stay blocked through the hermetic test's setup,
    call and teardown, fixtures included (under the OS-level seal they are denied already)."""
    connect_attempts.forget()
    tier_settings = settings(item.config)
    guarded = (
        guard(item.config) == "python"
        and tier_settings is not None
        and tier_settings.is_hermetic(item)
    )
    if guarded:
        disable_socket(allow_unix_socket=True)
    try:
        yield
    finally:
        if guarded:
            enable_socket()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not report.failed or call.excinfo is None:
        return
    tier_settings = settings(item.config)
    level = guard(item.config)
    errors = connect_attempts.error_chain(call.excinfo)
    addresses = (
        connect_attempts.denied(errors) if level == "os" else connect_attempts.blocked(errors)
    )
    if addresses is None:
        return
    hermetic = tier_settings is not None and tier_settings.is_hermetic(item)
    if not hermetic and _seal_mode(item.config) != SEAL_ALL:
        return
    report.sections.append(("tier violation", violation(item, tier_settings, addresses, level)))


def violation(
    item: pytest.Item, tier_settings: TierSettings | None, addresses: list[str], level: str
) -> str:
    """The message of a test that tried to connect where its guard forbids it."""
    where = (
        f"to connect to {', '.join(addresses)}"
        if addresses
        else "to open a network connection (its client did not report the address)"
    )
    by = (
        "connect(2) is denied at the OS level in this session"
        if level == "os"
        else "Python sockets are blocked for it"
    )
    if tier_settings is None or not tier_settings.is_hermetic(item):
        return render(
            item.nodeid,
            f"this test tried {where}, and {SEAL_OPTION}={SEAL_ALL} denies every connect in "
            "this session.",
            "this test needs the network: run it without "
            f"{SEAL_OPTION}={SEAL_ALL}, in a tier that is not hermetic.",
        )
    others = " or ".join(tier_settings.tiers[1:]) or "another"
    return render(
        item.nodeid,
        f"this {tier_settings.hermetic!r} test tried {where}, and that tier is hermetic ({by}).",
        f"use a fake (fakeredis, in-memory repositories), or move it to the {others} tier (its "
        "directory's BUILD `__defaults__` and its `pytestmark`).",
    )
