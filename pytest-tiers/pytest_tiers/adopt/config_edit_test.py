"""The pytest configuration edit: minimal, comment-keeping, idempotent."""

from __future__ import annotations

import pytest

from pytest_tiers.adopt.config_edit import Wanted, edit_config

pytestmark = pytest.mark.unit

WANTED = Wanted(("unit", "integration"), ("APP_DB_URL",), asyncio_loop_scope=True)


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        (
            "pytest.ini",
            "# keep\n[pytest]\naddopts = -ra\nmarkers =\n    slow: slow\n",
            "# keep\n[pytest]\naddopts = -ra --strict-markers\nmarkers =\n    slow: slow\n"
            "    unit: hermetic tests: no network, no service (pytest-tiers)\n"
            "    integration: tests that need real services (pytest-tiers)\n"
            "asyncio_default_fixture_loop_scope = function\ntiers = unit integration\n"
            "tiers_service_env_vars = APP_DB_URL\n",
        ),
        (
            "setup.cfg",
            "[metadata]\nname = x\n",
            "[metadata]\nname = x\n\n[tool:pytest]\nmarkers =\n"
            "    unit: hermetic tests: no network, no service (pytest-tiers)\n"
            "    integration: tests that need real services (pytest-tiers)\n"
            "addopts = --strict-markers\nasyncio_default_fixture_loop_scope = function\n"
            "tiers = unit integration\ntiers_service_env_vars = APP_DB_URL\n",
        ),
        (
            "pyproject.toml",
            '[tool.pytest.ini_options]\n# keep\naddopts = "-ra"\n',
            '[tool.pytest.ini_options]\n# keep\naddopts = "-ra --strict-markers"\nmarkers = [\n'
            '    "unit: hermetic tests: no network, no service (pytest-tiers)",\n'
            '    "integration: tests that need real services (pytest-tiers)",\n]\n'
            'asyncio_default_fixture_loop_scope = "function"\ntiers = ["unit", "integration"]\n'
            'tiers_service_env_vars = ["APP_DB_URL"]\n',
        ),
    ],
)
def test_adds_what_is_missing_and_keeps_the_rest(name: str, before: str, after: str) -> None:
    assert edit_config(name, before, WANTED) == after
    assert edit_config(name, after, WANTED) == after


def test_creates_the_pytest_table_in_a_pyproject_without_one() -> None:
    before = '[project]\nname = "x"  # comment\n'
    after = edit_config("pyproject.toml", before, Wanted(("unit", "integration")))
    assert after.startswith(before + "\n[tool.pytest.ini_options]\n")
    assert "asyncio_default_fixture_loop_scope" not in after
    assert "tiers_service_env_vars" not in after


def test_a_registered_marker_is_not_registered_twice() -> None:
    before = "[pytest]\nmarkers =\n    unit: mine\n    integration(reason): mine too\naddopts = --strict-markers\n"
    after = edit_config("pytest.ini", before, Wanted(("unit", "integration")))
    assert after == before + "tiers = unit integration\n"


@pytest.mark.parametrize(
    ("name", "before", "line"),
    [
        ("pytest.ini", "[pytest]\n", "tiers_attempts = integration=3\n"),
        ("pyproject.toml", "[tool.pytest.ini_options]\n", 'tiers_attempts = ["integration=3"]\n'),
    ],
)
def test_the_attempts_of_pants_toml_are_mirrored(name: str, before: str, line: str) -> None:
    """What TIER208 asks for when pants.toml sets [tiers].attempts; an existing key is the
    linter's to judge, not overwritten."""
    wanted = Wanted(("unit", "integration"), attempts=("integration=3",))
    after = edit_config(name, before, wanted)
    assert after.endswith(line), after
    assert edit_config(name, after, wanted) == after
    kept = before + line.replace("3", "2")
    assert edit_config(name, kept, wanted).count("tiers_attempts") == 1
    assert "integration=2" in edit_config(name, kept, wanted)
