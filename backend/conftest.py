"""Every test below runs under the tier rules of pytest-tiers (configured in pyproject.toml)."""

pytest_plugins = ["pytest_tiers.plugin"]
