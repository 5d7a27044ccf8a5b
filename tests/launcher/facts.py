"""Asking the launcher what it read from pants.toml and where it provisioned Pants.

Sourcing ./pants defines its variables and functions and runs nothing, so a test that needs the
Pants version, the pex version or the provisioned virtualenv asks the launcher instead of
working them out again.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

LAUNCHER = Path("pants").resolve()


def sourced(
    launcher: Path, *names: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Sources `launcher` and prints the variables `names`, one per line."""
    script = 'source "$1"; shift; for name; do printf "%s\\n" "${!name}"; done'
    return subprocess.run(
        ["bash", "-c", script, "bash", str(launcher), *names],
        env=env,
        capture_output=True,
        text=True,
    )


def launcher_value(name: str) -> str:
    """One variable of this repository's launcher (PANTS_VERSION, PEX_VERSION, VENV, ...)."""
    result = sourced(LAUNCHER, name)
    assert result.returncode == 0, result.stderr
    return result.stdout.removesuffix("\n")
