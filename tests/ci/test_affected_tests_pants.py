"""affected_tests.py against a real Pants 2.17.1 on a scratch repository.

Integration tier, not unit: these tests start the Pants that ./pants provisioned (found through
the launcher's own cache logic, hence HOME / PANTS_LAUNCHER_CACHE / XDG_CACHE_HOME in BUILD)
and run it on a scratch git repository. They never run pytest there (`--list`, or a selection
that is empty). One repository serves every case (a branch per case), with one pantsd for the module (stopped
at its end): each case costs a few Pants queries, so the cases are few and each checks several
things.
Pants' named caches point at a scratch directory holding the installed wheels (their entry
points) of the scratch lockfile's pins, so the lockfile rule does not depend on this machine.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from affected_tests import main
from ci.scratch_repo import ScratchRepo
from launcher.facts import LAUNCHER, launcher_value
from pants_selection import Pants

pytestmark = pytest.mark.integration

# Where pants-plugins/ and pytest-tiers/ are (the sandbox root under Pants).
PLUGINS_ROOT = LAUNCHER.parent


def provisioned_pants() -> str:
    """The Pants executable ./pants runs (in the launcher's VENV)."""
    pants = Path(launcher_value("VENV")) / "bin" / "pants"
    assert pants.is_file(), (
        f"no provisioned Pants at {pants}: run ./pants once, and pass HOME or "
        "PANTS_LAUNCHER_CACHE to this test (extra_env_vars in tests/ci/BUILD)."
    )
    # The scratch repository's pants.toml loads the tiers plugin from this tree.
    return f"env TIERS_PLUGINS_ROOT={PLUGINS_ROOT} {pants}"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> ScratchRepo:
    return ScratchRepo.create(tmp_path_factory.mktemp("scratch") / "repo")


def installed_wheel(caches: Path, project: str, version: str, entry_points: str = "") -> None:
    """A wheel as pex leaves it installed under Pants' named caches."""
    wheel = caches / "pex_root" / "installed_wheels" / f"{project}{version}"
    info = wheel / f"{project}-{version}-py3-none-any.whl" / f"{project}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "entry_points.txt").write_text(entry_points)


@pytest.fixture(scope="module")
def pants(tmp_path_factory: pytest.TempPathFactory, repo: ScratchRepo) -> Iterator[str]:
    caches = tmp_path_factory.mktemp("named_caches")
    for project, version in [("idna", "3.6"), ("redis", "5.0.0"), ("redis", "5.0.1")]:
        installed_wheel(caches, project, version, "[console_scripts]\nx = y:z\n")
    yield f"{provisioned_pants()} --pantsd --named-caches-dir={caches}"
    # Stop the pantsd these tests started (its pid file in the scratch repository only).
    for pid_file in repo.root.glob(".pids/*/pantsd/pid"):
        with contextlib.suppress(ValueError, ProcessLookupError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


def listed(
    repo: ScratchRepo, pants: str, tier: str, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    """The --list output after its header line, which is checked here too."""
    code = main(["--list", "--repo", str(repo.root), "--pants", pants, "main", tier])
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert out[0].startswith(f"affected_tests: {tier} tier, "), out
    assert "since main (merge base " in out[0]
    return out[1:]


def pants_own_selection(repo: ScratchRepo, pants: str, tier: str) -> list[str]:
    """What `test` would run: Pants' `list` with the flags affected_tests.py runs it with."""
    return (
        Pants(repo.root, pants.split())
        .query(
            "--changed-since=main",
            "--changed-dependents=transitive",
            "--filter-target-type=python_test",
            f"--tag={tier}",
            "list",
        )
        .split()
    )


def test_leaf_and_test_edit_select_only_dependent_files(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("leaf")
    repo.append("src/shop/prices.py", "\nVAT_PERCENT = 20\n")
    repo.append("tests/unit/test_names.py", "\n\ndef test_empty() -> None:\n    pass\n")
    repo.commit("leaf and test edit")

    assert listed(repo, pants, "unit", capsys) == [
        "running 3 affected unit test file(s):",
        "  tests/unit/test_cart.py: depends on src/shop/prices.py",
        "  tests/unit/test_names.py: changed",
        "  tests/unit/test_prices.py: depends on src/shop/prices.py",
    ]
    # `test` with the same flags runs exactly the printed files: file targets, not the
    # tests/unit python_tests generator (which would also run test_receipt.py).
    assert sorted(pants_own_selection(repo, pants, "unit")) == [
        "tests/unit/test_cart.py",
        "tests/unit/test_names.py",
        "tests/unit/test_prices.py",
    ]


def test_parent_defaults_edit_selects_the_tier_below_it_that_pants_alone_misses(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("defaults")
    build = repo.root / "tests/BUILD"
    build.write_text(build.read_text().replace('tags=["unit"]', 'tags=["unit"], timeout=30'))
    repo.commit("parent defaults edit")

    assert pants_own_selection(repo, pants, "unit") == []  # the quirk the rule exists for
    scope = "in scope of tests/BUILD"
    assert listed(repo, pants, "unit", capsys) == [
        "scoped: targets in tests/** and the tests that depend on them because tests/BUILD is a "
        "BUILD file whose `__defaults__` changed (child directories inherit them, and Pants does "
        "not mark those as changed)",
        "running 5 affected unit test file(s):",
        f"  tests/unit/test_cart.py: {scope}",
        f"  tests/unit/test_names.py: {scope}",
        f"  tests/unit/test_prices.py: {scope}",
        f"  tests/unit/test_queue.py: {scope}",
        f"  tests/unit/test_receipt.py: {scope}",
    ]


def test_conftest_edit_is_scoped_and_the_other_tier_runs_nothing(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("conftest")
    repo.append("tests/unit/conftest.py", "\nSEED = 1\n")
    repo.append("tests/unit/test_names.py", "\n\ndef test_empty() -> None:\n    pass\n")
    repo.commit("conftest and unit test edit")

    # Pants links this conftest to the tests of its directory (python_test_utils), the rule to
    # every test below it: both reasons print.
    why = "depends on tests/unit/conftest.py; in scope of tests/unit/conftest.py"
    assert listed(repo, pants, "unit", capsys) == [
        "scoped: tests/unit/** because tests/unit/conftest.py is a pytest conftest (pytest loads "
        "it for the tests below its directory)",
        "running 5 affected unit test file(s):",
        f"  tests/unit/test_cart.py: {why}",
        f"  tests/unit/test_names.py: changed; {why}",
        f"  tests/unit/test_prices.py: {why}",
        f"  tests/unit/test_queue.py: {why}",
        f"  tests/unit/test_receipt.py: {why}",
    ]
    # The integration job, not just --list: nothing of its tier changed, so it runs nothing
    # (no `pants test` at all) and passes.
    summary = repo.root.parent / "summary.md"
    argv = ["--repo", str(repo.root), "--pants", pants, "--summary", str(summary)]
    code = main([*argv, "main", "integration"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert out[-1] == "nothing affected: no integration test depends on a changed file.", out
    assert not any(line.startswith("+ ") for line in out), out
    # The job summary says so too.
    assert summary.read_text().endswith(
        "Nothing affected: no integration test depends on a changed file.\n"
    )
    # Both tiers listed from one set of Pants queries: each tier's listing as it prints alone.
    unit = listed(repo, pants, "unit", capsys)
    both = ["--list", "--repo", str(repo.root), "--pants", pants, "main", "unit", "integration"]
    assert main(both) == 0
    out = capsys.readouterr().out.splitlines()
    heads = [n for n, line in enumerate(out) if line.startswith("affected_tests: ")]
    assert [out[n].split(",")[0] for n in heads] == [
        "affected_tests: unit tier",
        "affected_tests: integration tier",
    ], out
    assert out[heads[0] + 1 : heads[1]] == unit
    assert out[heads[1] + 1 :] == [
        "scoped: tests/unit/** because tests/unit/conftest.py is a pytest conftest (pytest loads "
        "it for the tests below its directory)",
        "nothing affected: no integration test depends on a changed file.",
    ]


def test_lockfile_bump_selects_the_tests_of_the_bumped_requirement(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("lock-bump")
    lock = repo.root / "3rdparty/python/default.lock"
    bumped = lock.read_text().replace("redis-5.0.0", "redis-5.0.1")
    lock.write_text(bumped.replace('"version": "5.0.0"', '"version": "5.0.1"'))
    repo.commit("bump redis")
    assert listed(repo, pants, "unit", capsys) == [
        "scoped: tests that depend on 3rdparty/python:reqs#redis because "
        "3rdparty/python/default.lock is the lockfile of resolve 'python-default', which changes "
        "redis",
        "running 1 affected unit test file(s):",
        "  tests/unit/test_queue.py: in scope of 3rdparty/python/default.lock",
    ]


def test_tiers_section_and_readme_edits_select_nothing(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("tiers-section")
    repo.append("README.md", "More words.\n")
    toml = repo.root / "pants.toml"
    toml.write_text(
        toml.read_text().replace(
            'names = ["unit", "integration"]',
            'names = ["unit", "integration"]\nintegration_only = ["src/shop/cart.py"]',
        )
    )
    repo.commit("[tiers] edit and docs")
    assert listed(repo, pants, "unit", capsys) == [
        "no effect: pants.toml selects no unit test because it is Pants configuration whose "
        "changed sections ([tiers]) cannot change a test's process",
        "nothing affected: no unit test depends on a changed file.",
    ]


def test_deleted_module_selects_its_former_importers_tests(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("delete")
    repo.git("rm", "--quiet", "src/shop/prices.py")
    repo.commit("delete leaf")
    # Pants alone marks only the src/shop python_sources generator as changed, which no test
    # depends on: test_cart.py and test_prices.py, whose imports now fail, would not run.
    scope = "in scope of src/shop/prices.py"
    assert listed(repo, pants, "unit", capsys) == [
        "scoped: tests that are or depend on its former importers src/shop/cart.py, "
        "tests/unit/test_prices.py because src/shop/prices.py is a deleted Python module (Pants "
        "cannot see the dependents of a file that no longer exists; its importers are read from "
        "the base revision)",
        "running 2 affected unit test file(s):",
        f"  tests/unit/test_cart.py: {scope}",
        f"  tests/unit/test_prices.py: {scope}",
    ]


def test_unknown_tier_is_a_usage_error(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("bad-tier")
    assert main(["--list", "--repo", str(repo.root), "--pants", pants, "main", "units"]) == 2
    err = capsys.readouterr().err
    assert "unknown tier 'units'" in err
    assert "unit, integration" in err
