"""Change detection and escalation on a real git repository, without Pants.

Each case commits one kind of change on a branch of a scratch repository (a copy of
tests/ci/fixtures/scratch_repo) and checks what affected_tests.py decides from git alone:
which paths changed and whether, and why, the whole tier must run. Only git runs here, so
these are unit tests; tests/ci/test_affected_tests_pants.py runs Pants on the same fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from affected_tests import build_texts, main
from change_escalation import escalations
from ci.scratch_repo import ScratchRepo
from git_changes import changes_since

pytestmark = pytest.mark.unit

DEFAULTS_WHY = "child directories inherit them, and Pants does not mark those as changed"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> ScratchRepo:
    return ScratchRepo.create(tmp_path_factory.mktemp("scratch") / "repo")


def decide(repo: ScratchRepo) -> tuple[list[str], list[str]]:
    """(changed paths, escalation lines for the unit tier) against the base branch."""
    changes = changes_since(repo.root, "main")
    found = escalations(
        ((p.path, p.deleted) for p in changes.paths), build_texts(repo.root, changes)
    )
    return sorted(changes.files), [e.line("unit") for e in found]


def test_leaf_module_edit_is_left_to_pants(repo: ScratchRepo) -> None:
    repo.branch("leaf")
    repo.append("src/shop/prices.py", "\nVAT_PERCENT = 20\n")
    repo.commit("leaf edit")
    assert decide(repo) == (["src/shop/prices.py"], [])


def test_test_file_edit_is_left_to_pants(repo: ScratchRepo) -> None:
    repo.branch("test-edit")
    repo.append("tests/unit/test_names.py", "\n\ndef test_empty() -> None:\n    assert True\n")
    repo.commit("test edit")
    assert decide(repo) == (["tests/unit/test_names.py"], [])


def test_unrelated_file_is_left_to_pants(repo: ScratchRepo) -> None:
    repo.branch("readme")
    repo.append("README.md", "More words.\n")
    repo.commit("docs")
    assert decide(repo) == (["README.md"], [])


def test_build_file_without_defaults_is_left_to_pants(repo: ScratchRepo) -> None:
    repo.branch("plain-build")
    repo.append("src/shop/BUILD", "# __defaults__ in a comment is not a call.\n")
    repo.commit("plain BUILD edit")
    assert decide(repo) == (["src/shop/BUILD"], [])


def test_defaults_edit_in_a_parent_build_file_escalates(repo: ScratchRepo) -> None:
    repo.branch("defaults")
    build = repo.root / "tests/BUILD"
    build.write_text(build.read_text().replace('tags=["unit"]', 'tags=["unit"], timeout=30'))
    repo.commit("defaults edit")
    assert decide(repo) == (
        ["tests/BUILD"],
        [
            f"escalated: whole unit tier because tests/BUILD is a BUILD file with `__defaults__` "
            f"({DEFAULTS_WHY})"
        ],
    )


def test_removing_defaults_escalates_from_the_pre_change_text(repo: ScratchRepo) -> None:
    repo.branch("defaults-removed")
    repo.write("tests/integration/BUILD", "python_tests()\n")
    repo.commit("drop defaults")
    assert decide(repo) == (
        ["tests/integration/BUILD"],
        [
            f"escalated: whole unit tier because tests/integration/BUILD is a BUILD file whose "
            f"`__defaults__` the change removed ({DEFAULTS_WHY})"
        ],
    )


def test_deleting_a_build_file_with_defaults_escalates(repo: ScratchRepo) -> None:
    repo.branch("defaults-deleted")
    repo.git("rm", "--quiet", "tests/BUILD")
    repo.commit("delete parent BUILD")
    assert decide(repo)[1] == [
        f"escalated: whole unit tier because tests/BUILD is a BUILD file whose `__defaults__` "
        f"the change removed ({DEFAULTS_WHY})"
    ]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (
            "tests/pytest.ini",
            "pytest configuration (Pants does not count it as an input of the tests it configures)",
        ),
        (
            "pyproject.toml",
            "pytest configuration (Pants does not count it as an input of the tests it configures)",
        ),
        (
            "tests/unit/conftest.py",
            "a pytest conftest (pytest loads it for every test below it; Pants links it to tests "
            "only through a python_test_utils target and dependency inference)",
        ),
        (
            "pants.toml",
            "Pants configuration (it can change every target's fields and every tool)",
        ),
        (
            "pants-plugins/local_rules/register.py",
            "in-repo Pants plugin code (it runs inside Pants, outside the target graph)",
        ),
        (
            "3rdparty/python/default.lock",
            "a lockfile or requirements file (every test runs on its versions, but a test that "
            "imports only pytest does not depend on it in Pants' graph)",
        ),
    ],
)
def test_configuration_edits_escalate(repo: ScratchRepo, path: str, reason: str) -> None:
    repo.branch("edit-" + path.replace("/", "-").replace(".", "-"))
    repo.append(path, "\n# edited\n" if not path.endswith(".ini") else "\n; edited\n")
    repo.commit(f"edit {path}")
    assert decide(repo) == ([path], [f"escalated: whole unit tier because {path} is {reason}"])


DELETED_WHY = (
    "a deleted Python module (Pants cannot see the dependents of a file that no longer exists: "
    "their imports no longer resolve to it)"
)


def test_deleted_module_escalates(repo: ScratchRepo) -> None:
    repo.branch("delete")
    repo.git("rm", "--quiet", "src/shop/prices.py")
    repo.commit("delete leaf")
    assert decide(repo) == (
        ["src/shop/prices.py"],
        [f"escalated: whole unit tier because src/shop/prices.py is {DELETED_WHY}"],
    )


def test_renamed_module_shows_its_old_path_and_escalates(repo: ScratchRepo) -> None:
    repo.branch("rename")
    repo.git("mv", "src/shop/prices.py", "src/shop/pricing.py")
    repo.commit("rename leaf")
    assert decide(repo) == (
        ["src/shop/prices.py", "src/shop/pricing.py"],
        [f"escalated: whole unit tier because src/shop/prices.py is {DELETED_WHY}"],
    )


def test_uncommitted_and_untracked_changes_count_like_pants_counts_them(
    repo: ScratchRepo,
) -> None:
    repo.branch("dirty")
    repo.append("src/shop/names.py", "\nSEPARATOR = '-'\n")
    repo.write("src/shop/conftest.py", "")
    assert decide(repo) == (
        ["src/shop/conftest.py", "src/shop/names.py"],
        [
            "escalated: whole unit tier because src/shop/conftest.py is a pytest conftest "
            "(pytest loads it for every test below it; Pants links it to tests only through a "
            "python_test_utils target and dependency inference)"
        ],
    )


def test_unresolvable_base_is_a_usage_error(
    repo: ScratchRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.branch("bad-base")
    assert main(["--list", "--repo", str(repo.root), "origin/nope", "unit"]) == 2
    err = capsys.readouterr().err
    assert "base ref 'origin/nope' does not name a commit" in err
    assert "fetch-depth: 0" in err


def test_outside_a_git_repository_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--list", "--repo", str(tmp_path), "main", "unit"]) == 2
    assert f"{tmp_path}: not inside a git work tree" in capsys.readouterr().err
