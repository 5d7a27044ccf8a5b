"""`python -m pytest_tiers adopt ...`: the `pytest-tiers` command."""

import sys

from pytest_tiers.cli import main

sys.exit(main())
