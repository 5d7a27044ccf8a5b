"""The tier rules that plain pytest enforces through pytest-tiers, in scratch sessions.

Each runs a scratch pytest session (a subprocess, so nothing leaks into this one) with the
plugin configured as a user would configure it, and checks what that user would see. The test
that needs a real socket is in plugin_network_test.py (integration tier).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest

pytestmark = pytest.mark.unit


OS_SEALED = (
    "tiers seal: OS level: every selected test is 'unit', so connect(2) is denied (EACCES) for "
    "the rest of this session and its child processes, C clients included"
)
MIXED = (
    "tiers seal: Python level: the selected tests are not all 'unit' (integration, unit), so "
    "'unit' tests get Python sockets blocked only (pytest-socket); the OS-level seal applies "
    "only to 'unit'-only sessions (`pytest -m unit`, a Pants unit batch)"
)
FIX = (
    "    fix: use a fake (fakeredis, in-memory repositories), or move it to the integration "
    "tier (its directory's BUILD `__defaults__` and its `pytestmark`)."
)
LOOP_TEST = """
import asyncio
import pytest

pytestmark = pytest.mark.unit


def test_loop():
    assert asyncio.run(asyncio.sleep(0, result=42)) == 42
"""
INTEGRATION_TEST = """
import pytest


@pytest.mark.integration
def test_other():
    pass
"""


def _lines(result: pytest.RunResult) -> list[str]:
    return result.stdout.str().splitlines()


def test_header_names_the_modes(scratch: pytest.Pytester) -> None:
    scratch.makepyfile(test_loop=LOOP_TEST)
    assert (
        "tiers seal (--tiers-seal=auto; one of auto|os|python|off|all): connect(2) is denied at "
        "the OS level (seccomp) when every selected test is 'unit', else Python sockets are "
        "blocked for 'unit' tests; the line after collection says which applies"
    ) in _lines(scratch.runpytest_subprocess())


def test_unit_only_session_is_sealed_at_the_os_level_and_asyncio_still_works(
    scratch: pytest.Pytester,
) -> None:
    scratch.makepyfile(test_loop=LOOP_TEST)
    result = scratch.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert OS_SEALED in _lines(result)


def test_sealed_unit_test_that_connects_fails_naming_it_the_address_and_the_tier(
    scratch: pytest.Pytester, connecting_test: Callable[[str], str]
) -> None:
    scratch.makepyfile(test_net=connecting_test("unit"))
    result = scratch.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    assert OS_SEALED in _lines(result)
    result.stdout.re_match_lines(
        [
            r"test_net\.py::test_connects: this 'unit' test tried to connect to "
            r"127\.0\.0\.1:\d+, and that tier is hermetic \(connect\(2\) is denied at the OS "
            r"level in this session\)\.$",
            re.escape(FIX) + "$",
        ],
        consecutive=True,
    )


def test_a_denied_file_is_not_called_a_connect(scratch: pytest.Pytester) -> None:
    """The seal's EACCES is recognised only with a connect on record, never guessed."""
    scratch.makepyfile(
        test_file="""
import os
import pytest

pytestmark = pytest.mark.unit


def test_denied(tmp_path):
    path = tmp_path / "secret"
    path.write_text("x")
    path.chmod(0)
    if os.geteuid() == 0:
        raise PermissionError(13, "Permission denied", str(path))  # root reads anything
    path.read_text()
"""
    )
    result = scratch.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    assert "tier violation" not in result.stdout.str()


def test_mixed_session_keeps_the_python_guard_and_says_the_seal_is_unit_only(
    scratch: pytest.Pytester, connecting_test: Callable[[str], str]
) -> None:
    scratch.makepyfile(test_net=connecting_test("unit"), test_other=INTEGRATION_TEST)
    result = scratch.runpytest_subprocess()
    result.assert_outcomes(failed=1, passed=1)
    assert _lines(result).count(MIXED) == 1
    result.stdout.re_match_lines(
        [
            re.escape(
                "test_net.py::test_connects: this 'unit' test tried to open a network connection "
                "(its client did not report the address), and that tier is hermetic (Python "
                "sockets are blocked for it)."
            )
            + "$",
            re.escape(FIX) + "$",
        ],
        consecutive=True,
    )


def test_deselection_decides_the_seal(scratch: pytest.Pytester) -> None:
    """`-m unit` over a mixed tree is a unit-only session: sealed."""
    scratch.makepyfile(test_loop=LOOP_TEST, test_other=INTEGRATION_TEST)
    result = scratch.runpytest_subprocess("-m", "unit")
    result.assert_outcomes(passed=1, deselected=1)
    assert OS_SEALED in _lines(result)


def test_without_seccomp_the_python_guard_applies_and_the_line_says_why(
    scratch: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What pyseccomp raises on a machine without libseccomp.so.2.
    shadow = scratch.mkdir("no_libseccomp")
    (shadow / "pyseccomp.py").write_text('raise RuntimeError("Unable to find libseccomp")\n')
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(shadow), os.environ["PYTHONPATH"]]))
    scratch.makepyfile(test_loop=LOOP_TEST)
    result = scratch.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert (
        "tiers seal: Python level: the OS-level seal is unavailable here (libseccomp is not "
        "installed; pyseccomp: Unable to find libseccomp), so 'unit' tests get Python sockets "
        "blocked only (pytest-socket)"
    ) in _lines(result)
    forced = scratch.runpytest_subprocess("--tiers-seal=os")
    assert forced.ret == pytest.ExitCode.USAGE_ERROR
    forced.stderr.fnmatch_lines(
        ["ERROR: --tiers-seal=os: connect(2) cannot be denied at the OS level here: *"]
    )


def test_python_mode_keeps_the_python_guard_in_a_unit_only_session(
    scratch: pytest.Pytester, connecting_test: Callable[[str], str]
) -> None:
    scratch.makepyfile(test_net=connecting_test("unit"))
    result = scratch.runpytest_subprocess("--tiers-seal=python")
    result.assert_outcomes(failed=1)
    assert (
        "tiers seal: Python level (--tiers-seal=python): 'unit' tests get Python sockets "
        "blocked only (pytest-socket)"
    ) in _lines(result)
    assert "(Python sockets are blocked for it)" in result.stdout.str()


def test_seal_all_denies_every_test_whatever_its_tier_from_collection_on(
    scratch: pytest.Pytester, connecting_test: Callable[[str], str]
) -> None:
    scratch.makepyfile(test_net=connecting_test("integration"))
    result = scratch.runpytest_subprocess("--tiers-seal=all")
    result.assert_outcomes(failed=1)
    assert (
        "tiers seal: OS level for the whole session (--tiers-seal=all): connect(2) denied "
        "(EACCES) to every test, whatever its tier, and to its child processes"
    ) in _lines(result)
    result.stdout.re_match_lines(
        [
            r"test_net\.py::test_connects: this test tried to connect to 127\.0\.0\.1:\d+, and "
            r"--tiers-seal=all denies every connect in this session\.$",
            re.escape(
                "    fix: this test needs the network: run it without --tiers-seal=all, in a tier "
                "that is not hermetic."
            )
            + "$",
        ],
        consecutive=True,
    )


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
