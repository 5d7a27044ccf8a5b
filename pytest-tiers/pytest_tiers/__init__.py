"""pytest-tiers: every test in exactly one tier, and the hermetic tier kept hermetic.

The pytest plugin itself is `pytest_tiers.plugin`; `seal` denies connect(2) at the OS level
(seccomp) for sessions of the hermetic tier. The other modules are pure (no pytest
import) and shared with the `tiers` and `services` Pants plugins and the CI scripts, so that
pytest and Pants read the same facts: `config_files` (which files pytest reads its
configuration from), `services` (the services tests use, how to start each, how to say one is
down, which port is which service), `messages` (the one shape of every problem this project
reports), `markers` (a test file's marks, read with `ast`), `pytestmark_fix` (the minimal edit
that sets a file's tier) and `network_events` (which audit events are network use).

`observe` (loaded with the plugin) records what each test reached (`--tiers-observe`) and seals
a whole session (`--tiers-seal=all`); `adopt` and `cli` are `pytest-tiers adopt`.
"""
