"""The pytest configuration, declared once: which files pytest reads it from, and the keys the
pytest-tiers plugin registers in it.

The `tiers` Pants plugin finds a test file's configuration with these names and checks the keys
against Pants' own settings (TIER208); the change-based test selection treats a change to one
of these files (or to a conftest) as a change to the tests it configures.
"""

from __future__ import annotations

# Per directory, in pytest's order of preference: pytest takes the first it meets walking up
# from the test file (skipping a candidate without a pytest section; a pytest.ini counts even
# when empty).
PYTEST_CONFIG_NAMES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)

# pytest imports the conftest.py of every directory from the rootdir down to a test file.
CONFTEST_NAME = "conftest.py"

# The pytest-tiers plugin's keys: the tier markers in order (the first is hermetic), and the
# variables that carry service URLs (unset for hermetic tests). Each a list of words.
TIERS_KEY = "tiers"
SERVICE_ENV_VARS_KEY = "tiers_service_env_vars"
# `PORT=SERVICE` words that extend the table observation names services with (`services.py`).
SERVICE_PORTS_KEY = "tiers_service_ports"
# `TIER=N` words: how many attempts a failing test of that tier gets (pytest-rerunfailures);
# a tier not named gets one, and the hermetic tier always one (`attempts.py`).
ATTEMPTS_KEY = "tiers_attempts"
