"""pytest plugin: every collected test carries exactly one tier marker, and the first
(hermetic) tier cannot touch the network.

This makes plain `pytest` (and `pytest -m unit`) enforce the rule that `pants lint` enforces
with BUILD tags, so a test can never fall outside every tier or sit in two. The tiers are read
from `[tiers].names` in the repository's pants.toml, the one place they are declared.

Tests of the first tier get pytest-socket's `disable_socket` mark (unix sockets stay allowed,
see `--allow-unix-socket` in pyproject.toml, for the asyncio event loop); a test that still
opens a network socket fails with a message that names it and says where it belongs. They also
run without the service URL variables of `[services].env_vars`, as under Pants, where only
targets that declare `uses=[...]` receive them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib
from pytest_socket import SocketBlockedError, SocketConnectBlockedError


def _pants_config(start: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tier names and the service URL variables, from the nearest pants.toml."""
    for directory in (start, *start.parents):
        pants_toml = directory / "pants.toml"
        if pants_toml.is_file():
            try:
                config = tomllib.loads(pants_toml.read_text())
                names = config["tiers"]["names"]
            except (tomllib.TOMLDecodeError, KeyError) as e:
                raise pytest.UsageError(
                    f"{pants_toml}: cannot read the tiers from [tiers].names ({e!r}); "
                    'declare them there, e.g. names = ["unit", "integration"].'
                ) from e
            service_vars = config.get("services", {}).get("env_vars", {}).values()
            return tuple(names), tuple(sorted(service_vars))
    raise pytest.UsageError(
        f"no pants.toml found above {start}; it declares the test tiers in [tiers].names."
    )


_TIERS = pytest.StashKey[tuple[str, ...]]()
_SERVICE_VARS = pytest.StashKey[tuple[str, ...]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_TIERS], config.stash[_SERVICE_VARS] = _pants_config(config.rootpath)


@pytest.fixture(autouse=True)
def _no_service_urls_in_the_hermetic_tier(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.node.get_closest_marker(request.config.stash[_TIERS][0]):
        for name in request.config.stash[_SERVICE_VARS]:
            monkeypatch.delenv(name, raising=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tiers = config.stash[_TIERS]
    problems = []
    for item in items:
        found = sorted({mark.name for mark in item.iter_markers() if mark.name in tiers})
        if found == [tiers[0]]:
            item.add_marker(pytest.mark.disable_socket)
        if len(found) != 1:
            what = "no tier marker" if not found else f"several tier markers ({', '.join(found)})"
            problems.append(f"  {item.nodeid}: {what}")
    if problems:
        raise pytest.UsageError(
            f"{len(problems)} test(s) do not carry exactly one tier marker of "
            f"{', '.join(tiers)}:\n"
            + "\n".join(problems)
            + "\nFix: set the module-level `pytestmark = pytest.mark.<tier>` to the tier in the "
            "directory's BUILD file (`./pants fix ::` writes it), and drop contradicting marks."
        )


def _blocked_socket(excinfo: pytest.ExceptionInfo[BaseException] | None) -> bool:
    """Whether the failure was a blocked socket, even if a client library wrapped it."""
    error: BaseException | None = excinfo.value if excinfo is not None else None
    while error is not None:
        if isinstance(error, (SocketBlockedError, SocketConnectBlockedError)):
            return True
        error = error.__cause__ or error.__context__
    return False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.failed and _blocked_socket(call.excinfo):
        report.sections.append(
            (
                "tier violation",
                f"{item.nodeid} is a {item.config.stash[_TIERS][0]!r} test and tried to "
                "open a network connection. That tier is hermetic: use a fake (fakeredis, the "
                "in-memory repositories), or move the test to the integration tier (its "
                "directory's BUILD `__defaults__` and its `pytestmark`).",
            )
        )
