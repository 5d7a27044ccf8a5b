"""pytest-tiers' own tests run under the plugin, and build scratch sessions that load it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import pytest_tiers

pytest_plugins = ["pytester", "pytest_tiers.plugin"]

# Where a scratch session's Python finds pytest_tiers (the package is not installed).
_PACKAGE_ROOT = str(Path(pytest_tiers.__file__).resolve().parent.parent)

_SCRATCH_INI = """[pytest]
markers =
    unit: u
    integration: i
addopts = --strict-markers -p pytest_tiers.plugin
asyncio_default_fixture_loop_scope = function
tiers = unit integration
tiers_service_env_vars =
    JOBPIPE_DATABASE_URL
    JOBPIPE_REDIS_URL
"""

# The scratch test listens on, and connects to, a loopback port of its own, so nothing but the
# tier decides the outcome (and this process opens no socket). With no loopback at all (the
# unit tier run in a network namespace) it connects to the discard port, which the OS-level
# seal denies before the network is asked.
_CONNECTING_TEST = """
import socket
import pytest

pytestmark = pytest.mark.{tier}


def test_connects():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        try:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            address = server.getsockname()
        except OSError:
            address = ("127.0.0.1", 9)
        socket.create_connection(address, timeout=2).close()
"""


@pytest.fixture
def scratch(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A scratch pytest project configured with the plugin, as a user would configure it."""
    monkeypatch.setenv("PYTHONPATH", _PACKAGE_ROOT)
    pytester.makeini(_SCRATCH_INI)
    return pytester


@pytest.fixture
def connecting_test() -> Callable[[str], str]:
    """The source of a scratch test of the given tier that opens a loopback TCP connection."""
    return lambda tier: _CONNECTING_TEST.format(tier=tier)
