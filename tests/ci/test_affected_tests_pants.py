"""affected_tests.py against a real Pants 2.17.1 on a scratch repository.

Integration tier, not unit: these tests start the Pants that ./pants provisioned (found through
the launcher's own cache logic, hence HOME / PANTS_LAUNCHER_CACHE / XDG_CACHE_HOME in BUILD)
and run it on a scratch git repository. They never run pytest there: `--list` only.
One repository serves every case (a branch per case), and Pants runs without pantsd.
"""

from __future__ import annotations

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
    return f"env TIERS_PLUGINS_ROOT={PLUGINS_ROOT} {pants} --no-pantsd"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> ScratchRepo:
    return ScratchRepo.create(tmp_path_factory.mktemp("scratch") / "repo")


@pytest.fixture(scope="module")
def pants() -> str:
    return provisioned_pants()


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


def test_no_relevant_change_runs_nothing(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("readme")
    repo.append("README.md", "More words.\n")
    repo.commit("docs")
    assert listed(repo, pants, "unit", capsys) == [
        "nothing affected: no unit test depends on a changed file."
    ]


def test_parent_defaults_edit_runs_the_whole_tier_that_pants_alone_misses(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("defaults")
    build = repo.root / "tests/BUILD"
    build.write_text(build.read_text().replace('tags=["unit"]', 'tags=["unit"], timeout=30'))
    repo.commit("parent defaults edit")

    assert pants_own_selection(repo, pants, "unit") == []  # the quirk the rule exists for
    assert listed(repo, pants, "unit", capsys) == [
        "escalated: whole unit tier because tests/BUILD is a BUILD file with `__defaults__` "
        "(child directories inherit them, and Pants does not mark those as changed)",
        "running all 4 unit test file(s):",
        "  tests/unit/test_cart.py",
        "  tests/unit/test_names.py",
        "  tests/unit/test_prices.py",
        "  tests/unit/test_receipt.py",
    ]


def test_deleted_module_runs_the_whole_tier(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("delete")
    repo.git("rm", "--quiet", "src/shop/prices.py")
    repo.commit("delete leaf")
    # Pants alone marks only the src/shop python_sources generator as changed, which no test
    # depends on: test_checkout.py, whose import of prices.py now fails, would not run.
    assert listed(repo, pants, "integration", capsys) == [
        "escalated: whole integration tier because src/shop/prices.py is a deleted Python module "
        "(Pants cannot see the dependents of a file that no longer exists: their imports no "
        "longer resolve to it)",
        "running all 2 integration test file(s):",
        "  tests/integration/test_catalog.py",
        "  tests/integration/test_checkout.py",
    ]


def test_unknown_tier_is_a_usage_error(
    repo: ScratchRepo, pants: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("bad-tier")
    assert main(["--list", "--repo", str(repo.root), "--pants", pants, "main", "units"]) == 2
    err = capsys.readouterr().err
    assert "unknown tier 'units'" in err
    assert "unit, integration" in err
