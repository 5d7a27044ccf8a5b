"""A scratch pytest project that runs like backend/: its conftest (pytest-tiers) and pytest
configuration, with the backend's packages importable, for canaries that need a session of
their own (several processes at once, or a dead service)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def scratch_backend(root: Path, test_source: str, **env: str) -> dict[str, str]:
    """Writes the project into `root` with `test_source` as `test_scratch.py`; returns the
    environment to run pytest in (this one, plus `env`)."""
    shutil.copy(REPO / "backend" / "conftest.py", root / "conftest.py")
    shutil.copy(REPO / "backend" / "pyproject.toml", root / "pyproject.toml")
    (root / "test_scratch.py").write_text(test_source)
    # This process's path, made absolute (the scratch session runs in another directory): under
    # Pants it holds every source root, pytest-tiers' included.
    path = [str(REPO / "backend"), *map(os.path.abspath, sys.path)]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(path), **env)


def start_pytest(root: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """pytest on the scratch test (with `args`), its output (stderr included) on `stdout`."""
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args, "test_scratch.py"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
