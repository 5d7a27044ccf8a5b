"""The tier rules that plain pytest enforces through pytest-tiers, in scratch sessions.

Each runs a scratch pytest session (a subprocess, so nothing leaks into this one) with the
plugin configured as a user would configure it, and checks what that user would see. The test
that needs a real socket is in plugin_network_test.py (integration tier).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

pytestmark = pytest.mark.unit


def test_unit_test_that_connects_fails_and_says_where_it_belongs(
    scratch: pytest.Pytester, connecting_test: Callable[[str], str]
) -> None:
    scratch.makepyfile(test_net=connecting_test("unit"))
    result = scratch.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*test_net.py::test_connects: this 'unit' test tried to open a network connection*"]
    )
    assert "move the test to the integration tier" in result.stdout.str()


def test_asyncio_loop_still_works_in_the_unit_tier(scratch: pytest.Pytester) -> None:
    scratch.makepyfile(
        test_loop="""
import asyncio
import pytest

pytestmark = pytest.mark.unit


def test_loop():
    assert asyncio.run(asyncio.sleep(0, result=42)) == 42
"""
    )
    scratch.runpytest_subprocess().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("marks", "problem"),
    [
        ("", "no tier marker"),
        (
            "pytestmark = [pytest.mark.unit, pytest.mark.integration]",
            "several tier markers (integration, unit)",
        ),
    ],
)
def test_a_test_outside_exactly_one_tier_fails_the_run(
    scratch: pytest.Pytester, marks: str, problem: str
) -> None:
    scratch.makepyfile(test_x=f"import pytest\n{marks}\n\ndef test_x():\n    pass\n")
    result = scratch.runpytest_subprocess()
    assert result.ret != 0
    result.stderr.fnmatch_lines([f"*test_x.py::test_x: {problem}*"])


def test_unit_test_sees_no_service_url_even_when_the_shell_has_one(
    scratch: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBPIPE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/leak")
    scratch.makepyfile(
        test_env="""
import os
import pytest


@pytest.mark.unit
def test_unit():
    assert os.environ.get("JOBPIPE_DATABASE_URL") is None


@pytest.mark.integration
def test_integration():
    assert os.environ["JOBPIPE_DATABASE_URL"].endswith("/leak")
"""
    )
    scratch.runpytest_subprocess().assert_outcomes(passed=2)
