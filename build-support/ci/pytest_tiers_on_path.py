"""Importing this puts pytest-tiers' pure modules on `sys.path` for the CI scripts.

Run as `python3 build-support/ci/SCRIPT.py`, a script sees only its own directory; the modules it
shares with the Pants plugins and pytest (the pytest configuration file names, the message shape)
live in the `pytest-tiers` source root. Under Pants that root is on the path already.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2] / "pytest-tiers"
if _ROOT.is_dir() and str(_ROOT) not in sys.path:
    sys.path.append(str(_ROOT))
