"""pytest-tiers: every test in exactly one tier, and the hermetic tier kept hermetic.

The package's pure modules (no pytest import) are shared with the `tiers` and `services` Pants
plugins, so that pytest and Pants read the same facts: `config_files` (which files pytest reads
its configuration from), `messages` (the one shape of every problem this project reports),
`services` (the services a test can use, how to start each, how to say one is down). The
pytest plugin itself is `pytest_tiers.plugin`.
"""
