"""Every plugin test runs under the tier rules of pytest-tiers (configured in pytest.ini)."""

pytest_plugins = ["pytest_tiers.plugin"]
