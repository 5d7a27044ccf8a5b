"""Change detection and escalation on a real git repository, without Pants.

Each case commits one kind of change on a branch of a scratch repository (a copy of
tests/ci/fixtures/scratch_repo) and checks what affected_tests.py decides from git alone:
which paths changed and whether, and why, the whole tier must run. Only git runs here, so
these are unit tests; tests/ci/test_affected_tests_pants.py runs Pants on the same fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from affected_tests import file_texts, main
from change_escalation import Changed, ChangeFacts, PantsFacts, scopes
from ci.scratch_repo import ScratchRepo
from git_changes import changes_since, texts_at
from scoping.lockfile_scopes import ResolveFacts
from scoping.scope import TierGraph

pytestmark = pytest.mark.unit

DEFAULTS_WHY = "child directories inherit them, and Pants does not mark those as changed"
# What Pants reports for the scratch repository (tests/ci/fixtures/scratch_repo/pants.toml).
SCRATCH = PantsFacts(
    config_files=("pants.toml",),
    pythonpath=(),
    backend_packages=("pants.backend.python", "tiers"),
    resolves=ResolveFacts(
        lockfiles={"3rdparty/python/default.lock": "python-default"},
        pytest_resolve="python-default",
        default_resolve="python-default",
    ),
    source_roots=("src", "tests"),
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> ScratchRepo:
    return ScratchRepo.create(tmp_path_factory.mktemp("scratch") / "repo")


def decide(repo: ScratchRepo) -> tuple[list[str], list[str]]:
    """(changed paths, scope lines for the unit tier) against the base branch; no graph."""
    changes = changes_since(repo.root, "main")
    changed = [Changed(p.path, p.existed_before, p.exists_now) for p in changes.paths]
    facts = ChangeFacts(
        changed,
        file_texts(repo.root, changes),
        TierGraph({}),
        SCRATCH,
        current_configs={"tests/pytest.ini": (repo.root / "tests/pytest.ini").read_text()},
        base_sources=texts_at(repo.root, changes.merge_base, (".py",)),
    )
    return sorted(changes.files), [s.line("unit") for s in scopes(facts)]


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
    # A comment only: the same syntax tree, so not even Pants' graph needs to select anything.
    assert decide(repo) == (
        ["src/shop/BUILD"],
        [
            "no effect: src/shop/BUILD selects no unit test because it is a BUILD file whose "
            "syntax tree did not change (layout or comments only)"
        ],
    )
    repo.append("src/shop/BUILD", "python_sources(name='more')\n")
    repo.commit("a target more, no defaults")
    assert decide(repo) == (["src/shop/BUILD"], [])


def test_defaults_edit_in_a_parent_build_file_is_scoped_to_its_directory(repo: ScratchRepo) -> None:
    repo.branch("defaults")
    build = repo.root / "tests/BUILD"
    build.write_text(build.read_text().replace('tags=["unit"]', 'tags=["unit"], timeout=30'))
    repo.commit("defaults edit")
    assert decide(repo) == (
        ["tests/BUILD"],
        [
            "scoped: targets in tests/** and the tests that depend on them because tests/BUILD "
            f"is a BUILD file whose `__defaults__` changed ({DEFAULTS_WHY})"
        ],
    )


def test_removing_defaults_is_scoped_from_the_pre_change_text(repo: ScratchRepo) -> None:
    repo.branch("defaults-removed")
    repo.write("tests/integration/BUILD", "python_tests()\n")
    repo.commit("drop defaults")
    assert decide(repo) == (
        ["tests/integration/BUILD"],
        [
            "scoped: targets in tests/integration/** and the tests that depend on them because "
            "tests/integration/BUILD is a BUILD file whose `__defaults__` the change removed "
            f"({DEFAULTS_WHY})"
        ],
    )


def test_deleting_a_build_file_with_defaults_is_scoped(repo: ScratchRepo) -> None:
    repo.branch("defaults-deleted")
    repo.git("rm", "--quiet", "tests/BUILD")
    repo.commit("delete parent BUILD")
    assert decide(repo)[1] == [
        "scoped: targets in tests/** and the tests that depend on them because tests/BUILD is a "
        f"BUILD file whose `__defaults__` the change removed ({DEFAULTS_WHY})"
    ]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (
            "tests/pytest.ini",
            "scoped: tests/** because tests/pytest.ini is a pytest configuration file whose pytest "
            "section changed (pytest applies it to the tests below it that have no nearer "
            "configuration)",
        ),
        (
            "pyproject.toml",
            "no effect: pyproject.toml selects no unit test because it is a file whose pytest "
            "section did not change (pytest reads nothing else in it)",
        ),
        (
            "tests/unit/conftest.py",
            "scoped: tests/unit/** because tests/unit/conftest.py is a pytest conftest (pytest "
            "loads it for the tests below its directory)",
        ),
        (
            "pants.toml",
            "no effect: pants.toml selects no unit test because it is Pants configuration whose "
            "changed sections (no section) cannot change a test's process",
        ),
        (
            "3rdparty/python/default.lock",
            "escalated: whole unit tier because 3rdparty/python/default.lock is the lockfile of "
            "resolve 'python-default', not a pex lockfile (JSONDecodeError: Extra data",
        ),
    ],
)
def test_configuration_edits_are_scoped(repo: ScratchRepo, path: str, line: str) -> None:
    repo.branch("edit-" + path.replace("/", "-").replace(".", "-"))
    if path.endswith(".ini"):
        repo.append(path, "\nxfail_strict = true\n")
    else:
        repo.append(path, "\n# edited\n")
    repo.commit(f"edit {path}")
    changed, found = decide(repo)
    assert changed == [path]
    assert len(found) == 1 and found[0].startswith(line), found


def test_plugin_code_pants_does_not_load_is_left_to_pants(repo: ScratchRepo) -> None:
    repo.branch("plugin")
    repo.append("pants-plugins/local_rules/register.py", "\n# edited\n")
    repo.commit("edit a plugin that backend_packages does not name")
    assert decide(repo)[1] == []


DELETED = (
    "because src/shop/prices.py is a deleted Python module (Pants cannot see the dependents of "
    "a file that no longer exists; its importers are read from the base revision)"
)


def test_deleted_module_is_scoped_to_its_former_importers(repo: ScratchRepo) -> None:
    repo.branch("delete")
    repo.git("rm", "--quiet", "src/shop/prices.py")
    repo.commit("delete leaf")
    assert decide(repo) == (
        ["src/shop/prices.py"],
        [
            "scoped: tests that are or depend on its former importers src/shop/cart.py, "
            f"tests/unit/test_prices.py {DELETED}"
        ],
    )


def test_renamed_module_shows_its_old_path_and_is_scoped(repo: ScratchRepo) -> None:
    repo.branch("rename")
    repo.git("mv", "src/shop/prices.py", "src/shop/pricing.py")
    repo.commit("rename leaf")
    changed, found = decide(repo)
    assert changed == ["src/shop/prices.py", "src/shop/pricing.py"]
    assert found == [
        "scoped: tests that are or depend on its former importers src/shop/cart.py, "
        f"tests/unit/test_prices.py {DELETED}"
    ]


def test_uncommitted_and_untracked_changes_count_like_pants_counts_them(
    repo: ScratchRepo,
) -> None:
    repo.branch("dirty")
    repo.append("src/shop/names.py", "\nSEPARATOR = '-'\n")
    repo.write("src/shop/conftest.py", "")
    assert decide(repo) == (
        ["src/shop/conftest.py", "src/shop/names.py"],
        [
            "scoped: src/shop/** because src/shop/conftest.py is a pytest conftest (pytest loads "
            "it for the tests below its directory)"
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


def test_several_tiers_without_list_is_a_usage_error(
    repo: ScratchRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--repo", str(repo.root), "main", "unit", "integration"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "affected_tests: 2 tiers given (unit, integration); a run tests one tier.",
        "    fix: pass one tier, or add --list to print the selection of each.",
    ]


def test_outside_a_git_repository_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--list", "--repo", str(tmp_path), "main", "unit"]) == 2
    assert f"{tmp_path}: not inside a git work tree" in capsys.readouterr().err
