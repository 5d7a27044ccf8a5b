"""`pytest-tiers adopt` on suites that look like the real world (tests/fixtures/adopt/<name>/).

Each suite is copied to a scratch directory, adopted and written (`--write --format=json`),
then adopted again (`--write`: it changes nothing) and checked: exactly the tiers, mixed files
and failing tests its `expected.json` lists, exactly the configuration (and BUILD files) under its
`expected/`, and its unit tier passes with connect(2) denied. Integration tier: the suites talk
to PostgreSQL and Redis on localhost.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pytest_tiers

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "adopt"
SUITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").is_file())
_PACKAGE_ROOT = str(Path(pytest_tiers.__file__).resolve().parent.parent)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = _PACKAGE_ROOT
    return env


def adopt(suite: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_tiers", "adopt", *args],
        cwd=suite,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(params=SUITES)
def suite(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, dict]:
    source = FIXTURES / request.param
    copy = tmp_path / request.param
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("expected", "expected.json"))
    return copy, json.loads((source / "expected.json").read_text())


def test_adopt_decides_and_writes_exactly_the_expected_tiers(suite: tuple[Path, dict]) -> None:
    root, expected = suite
    first = adopt(root, "--write", "--format=json")
    assert first.returncode == 0, first.stdout + first.stderr
    plan = json.loads(first.stdout)
    assert set(plan) == {"files", "failing"}
    assert {f["path"]: f["tier"] for f in plan["files"]} == expected["tiers"]
    assert sorted(f["path"] for f in plan["files"] if f["mixed"]) == sorted(expected["mixed"])
    assert plan["failing"] == expected["failing"]
    for file_plan in plan["files"]:
        assert set(file_plan) == {"path", "tier", "mixed", "evidence"}
        assert file_plan["evidence"], file_plan
    # With --format=json, what was written and the checks go to stderr.
    assert "check: every test carries exactly one tier: ok" in first.stderr
    assert "check: the unit tier passes sealed: ok" in first.stderr
    written = snapshot(root)

    second = adopt(root, "--write")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "wrote: nothing (already so)" in second.stdout
    assert snapshot(root) == written

    source = FIXTURES / root.name
    for path, tier in expected["tiers"].items():
        assert f"pytestmark = pytest.mark.{tier}\n" in (root / path).read_text(), path
    for path in (p for p in (source / "expected").rglob("*") if p.is_file()):
        relative = path.relative_to(source / "expected")
        assert (root / relative).read_text() == path.read_text(), relative

    # The unit tier, on its own and sealed, as a user would run it afterwards.
    unit_files = [p for p, tier in expected["tiers"].items() if tier == "unit"]
    deselect = [f"--deselect={nodeid}" for nodeid in expected["failing"]]
    sealed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_tiers.plugin", "-p", "no:cacheprovider",
         "-m", "unit", "--tiers-seal=all", *deselect, *unit_files],
        cwd=root, env=_env(), capture_output=True, text=True, timeout=600,
    )
    assert sealed.returncode == 0, sealed.stdout + sealed.stderr


def test_static_adopt_decides_what_collection_can_see(suite: tuple[Path, dict]) -> None:
    """`--static` runs nothing: `expected.json` records its tiers, including what it cannot see
    (a child process that connects, a raw socket), which a run decides; each low-confidence
    decision says so."""
    root, expected = suite
    result = adopt(root, "--static", "--format=json")
    assert result.returncode == 0, result.stdout + result.stderr
    plan = json.loads(result.stdout)
    assert {f["path"]: f["tier"] for f in plan["files"]} == expected["static"]
    for file_plan in plan["files"]:
        assert file_plan["evidence"][0].startswith("static, confidence "), file_plan
