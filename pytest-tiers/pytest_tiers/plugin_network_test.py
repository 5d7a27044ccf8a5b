"""The plugin leaves the other tiers' network alone. This test opens a real (loopback)
connection, so it belongs to the integration tier: the unit tier passes with no network at all.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

pytestmark = pytest.mark.integration


def test_same_test_passes_once_moved_to_integration(
    scratch: pytest.Pytester, connecting_test: Callable[[str], str]
) -> None:
    scratch.makepyfile(test_net=connecting_test("integration"))
    scratch.runpytest_subprocess().assert_outcomes(passed=1)
