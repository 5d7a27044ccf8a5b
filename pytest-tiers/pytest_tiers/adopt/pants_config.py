"""What `pytest-tiers adopt` reads from a Pants repository's pants.toml for the pytest
configuration it completes: the service URL variables (`[services].env_vars`) and the attempts
per tier (`[tiers].attempts`), which the pytest-tiers keys mirror (TIER208 keeps them equal)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from pytest_tiers.attempts import to_words, validate


def pants_config(root: Path | None) -> dict[str, Any]:
    """pants.toml of the Pants repository at `root`, or {} (none, or unreadable: Pants itself
    reports that)."""
    if root is None:
        return {}
    try:
        # tomlkit, not tomllib: pytest-tiers runs on Python 3.9 and 3.10 too.
        config = tomlkit.parse((root / "pants.toml").read_text(encoding="utf-8")).unwrap()
    except (OSError, TOMLKitError):
        return {}
    return config if isinstance(config, dict) else {}


def pants_service_env_vars(config: Mapping[str, Any]) -> dict[str, str]:
    """Service name -> the variable that carries its URL."""
    env_vars = config.get("services", {}).get("env_vars", {})
    return {str(k): str(v) for k, v in env_vars.items()} if isinstance(env_vars, dict) else {}


def pants_attempts(config: Mapping[str, Any], tiers: Sequence[str]) -> tuple[str, ...]:
    """[tiers].attempts as the `tiers_attempts` words that mirror it; raises ProblemError for a
    table the plugin would reject."""
    table = config.get("tiers", {}).get("attempts", {})
    if not isinstance(table, dict):
        return ()
    return tuple(to_words(validate(table, tiers, "pants.toml: [tiers].attempts")))
