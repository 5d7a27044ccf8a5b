"""Every test below runs under the tier rules of pytest-tiers (configured in pyproject.toml)."""

from __future__ import annotations

import sys

import pytest

pytest_plugins = ["pytest_tiers.plugin"]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Drop Hypothesis' pytest plugin from a session none of whose tests imports Hypothesis.

    The plugin is meant to cost nothing until a test imports `hypothesis`, but its terminal
    summary imports all of Hypothesis regardless (about 0.9 s of CPU per pytest process). The
    integration tier never uses it and runs one process per file, so that import was a large part
    of each process's start-up. With no Hypothesis test collected, the plugin has nothing to do.
    """
    if "hypothesis" in sys.modules:
        return
    plugin = session.config.pluginmanager.get_plugin("hypothesispytest")
    if plugin is not None:
        session.config.pluginmanager.unregister(plugin)
