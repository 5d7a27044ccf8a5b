"""`pytest-tiers adopt --write`: apply a plan to the files, then check the result.

Writes a module-level `pytestmark` in every planned test file, completes the pytest
configuration pytest already uses (or `[tool.pytest.ini_options]` in pyproject.toml when it
uses none), and in a Pants repository the BUILD file of every test directory. Every edit is
minimal and idempotent: a second run changes nothing.
"""

from __future__ import annotations

import importlib.util
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_tiers.adopt.build_edit import TierFields, edit_build
from pytest_tiers.adopt.config_edit import Wanted, edit_config
from pytest_tiers.adopt.decide import INTEGRATION, Plan
from pytest_tiers.adopt.pants_config import pants_attempts, pants_config, pants_service_env_vars
from pytest_tiers.adopt.run import pytest_command
from pytest_tiers.messages import ProblemError
from pytest_tiers.pytestmark_fix import fix_pytestmark
from pytest_tiers.services import KNOWN_SERVICES

TIERS = ("unit", INTEGRATION)


@dataclass(frozen=True)
class Applied:
    changed: tuple[str, ...]
    problems: tuple[str, ...]


def pants_root(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        if (directory / "pants.toml").is_file():
            return directory
    return None


def _write(path: Path, new: str | bytes, old: str | bytes, changed: list[str], cwd: Path) -> None:
    if new != old:
        if isinstance(new, bytes):
            path.write_bytes(new)
        else:
            path.write_text(new, encoding="utf-8")
        changed.append(_relative(path, cwd))


def _relative(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def apply_plan(plan: Plan, cwd: Path, inipath: str | None, rootdir: Path) -> Applied:
    changed: list[str] = []
    problems: list[str] = []
    for file_plan in plan.files:
        path = cwd / file_plan.path
        source = path.read_bytes()
        _write(path, fix_pytestmark(source, file_plan.tier, TIERS), source, changed, cwd)

    root = pants_root(cwd)
    config = pants_config(root)
    env_vars = pants_service_env_vars(config)
    try:
        attempts = pants_attempts(config, TIERS)
    except ProblemError as e:
        problems.append(e.problem.render())
        attempts = ()
    wanted = Wanted(
        tiers=TIERS,
        service_env_vars=tuple(env_vars.values()),
        asyncio_loop_scope=importlib.util.find_spec("pytest_asyncio") is not None,
        attempts=attempts,
    )
    config_path = Path(inipath) if inipath else rootdir / "pyproject.toml"
    old = config_path.read_text(encoding="utf-8") if config_path.exists() else ""
    _write(config_path, edit_config(config_path.name, old, wanted), old, changed, cwd)

    if root is not None:
        by_directory: dict[Path, dict[str, TierFields]] = {}
        for file_plan in plan.files:
            path = cwd / file_plan.path
            uses = tuple(s for s in file_plan.services if s in KNOWN_SERVICES)
            fields = (
                TierFields(
                    file_plan.tier, uses, tuple(env_vars[s] for s in uses if s in env_vars)
                )
                if file_plan.tier == INTEGRATION
                else TierFields(file_plan.tier)
            )
            by_directory.setdefault(path.parent, {})[path.name] = fields
        for directory, files in sorted(by_directory.items()):
            build = directory / "BUILD"
            old = build.read_text(encoding="utf-8") if build.exists() else ""
            edit = edit_build(old, TIERS, files)
            problems.extend(f"{_relative(build, cwd)}: {p}" for p in edit.problems)
            _write(build, edit.text, old, changed, cwd)
    return Applied(tuple(changed), tuple(problems))


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def verify(
    cwd: Path,
    rootdir: Path,
    unit_files: Sequence[str],
    failing: Sequence[str],
    pytest_args: Sequence[str],
    timeout: float,
    log: Callable[[str], None],
) -> list[Check]:
    """After the write: every test carries exactly one tier (the plugin's collection check),
    and the unit tier's files pass with connect(2) denied to the whole session (as a Pants
    unit batch runs them: its files only). What fails even with the network allowed
    (`failing`: node ids, or files that do not collect) is left out."""
    left_out = []
    uncollectable = [f"--ignore={rootdir / path}" for path in failing if "::" not in path]
    for nodeid in failing:
        if "::" in nodeid:
            left_out.append(f"--deselect={nodeid}")
        else:
            left_out.append(f"--ignore={rootdir / nodeid}")
    checks = []
    for name, args, ok_codes in (
        ("every test carries exactly one tier", ["--collect-only", "-q", *uncollectable], (0,)),
        (
            "the unit tier passes sealed",
            ["-m", TIERS[0], "-q", "--tiers-seal=all", *left_out, *unit_files],
            (0, 5),  # 5: no unit test at all
        ),
    ):
        if name.startswith("the unit tier") and not unit_files:
            checks.append(Check(name, True, "no unit file"))
            continue
        log(f"adopt: check: {name}")
        completed = subprocess.run(
            pytest_command([*args, *pytest_args]),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
        lines = completed.stdout.strip().splitlines()
        checks.append(
            Check(
                name,
                completed.returncode in ok_codes,
                lines[-1] if completed.returncode in ok_codes else "\n".join(lines[-20:]),
            )
        )
    return checks
