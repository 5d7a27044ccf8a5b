"""pytest-tiers: every test in exactly one tier, and the hermetic tier kept hermetic.

The pytest plugin itself is `pytest_tiers.plugin`. The other modules are pure (no pytest
import) and shared with the `tiers` and `services` Pants plugins and the CI scripts, so that
pytest and Pants read the same facts: `config_files` (which files pytest reads its
configuration from), `services` (the services tests use, how to start each, how to say one is
down) and `messages` (the one shape of every problem this project reports), `markers` (a test
file's marks, read with `ast`) and `pytestmark_fix` (the minimal edit that sets a file's tier).
"""
