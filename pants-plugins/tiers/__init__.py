"""The `tiers` Pants plugin: every test target has exactly one tier, and pytest agrees."""
