"""Which files pytest reads its configuration from, declared once.

The `tiers` Pants plugin finds a test file's configuration with these; the change-based test
selection treats a change to one of them (or to a conftest) as a change to the tests it
configures.
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
