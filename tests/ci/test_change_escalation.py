"""The escalation rules and the per-file reasons, as pure functions (no git, no Pants)."""

from __future__ import annotations

import pytest
from change_escalation import BuildText, calls_defaults, escalations
from pants_selection import SelectedTest, Target, select

pytestmark = pytest.mark.unit

DEFAULTS = '__defaults__({(python_test, python_tests): dict(tags=["unit"])})\n'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (DEFAULTS, True),
        ("python_tests()\n", False),
        ("# __defaults__({...})\npython_tests()\n", False),
        ('python_sources(description="sets __defaults__")\n', False),
        ("if True:\n    __defaults__(all=dict(tags=['x']))\n", True),
        ("python_tests(\n", None),
    ],
)
def test_calls_defaults_reads_the_syntax_tree(source: str, expected: bool | None) -> None:
    assert calls_defaults(source) is expected


def test_defaults_on_either_side_escalates() -> None:
    added = BuildText(before="python_tests()\n", after=DEFAULTS + "python_tests()\n")
    removed = BuildText(before=DEFAULTS, after=None)
    unchanged_plain = BuildText(before="python_tests()\n", after="python_tests(name='t')\n")
    found = escalations(
        [("a/BUILD", False), ("b/BUILD.pants", True), ("c/BUILD", False)],
        {"a/BUILD": added, "b/BUILD.pants": removed, "c/BUILD": unchanged_plain},
    )
    assert [(e.path, e.reason.split(" (")[0]) for e in found] == [
        ("a/BUILD", "a BUILD file with `__defaults__`"),
        ("b/BUILD.pants", "a BUILD file whose `__defaults__` the change removed"),
    ]


def test_unparsable_or_unread_build_file_escalates() -> None:
    found = escalations(
        [("a/BUILD", False), ("b/BUILD", False)],
        {"a/BUILD": BuildText(before="python_tests()\n", after="python_tests(\n")},
    )
    assert [e.line("unit") for e in found] == [
        "escalated: whole unit tier because a/BUILD is a BUILD file that does not parse after "
        "the change (cannot rule out `__defaults__`)",
        "escalated: whole unit tier because b/BUILD is a BUILD file whose text was not read "
        "(cannot rule out `__defaults__`)",
    ]


@pytest.mark.parametrize(
    ("path", "deleted", "kind"),
    [
        ("backend/pyproject.toml", False, "pytest configuration"),
        ("a/b/setup.cfg", False, "pytest configuration"),
        ("tox.ini", False, "pytest configuration"),
        ("tests/pytest.ini", True, "pytest configuration"),
        ("deep/er/conftest.py", False, "a pytest conftest"),
        ("pants.toml", False, "Pants configuration"),
        ("pants.ci.toml", False, "Pants configuration"),
        ("pants", False, "the Pants launcher"),
        ("pants-plugins/tiers/lint.py", False, "in-repo Pants plugin code"),
        ("pants-plugins/Makefile", False, "in-repo Pants plugin code"),
        ("3rdparty/python/default.lock", False, "a lockfile or requirements file"),
        ("3rdparty/python/requirements.txt", False, "a lockfile or requirements file"),
        ("tools/dev-requirements.txt", False, "a lockfile or requirements file"),
        ("backend/jobpipe/x.py", True, "a deleted Python module"),
        ("backend/jobpipe/x.pyi", True, "a deleted Python module"),
    ],
)
def test_paths_that_escalate(path: str, deleted: bool, kind: str) -> None:
    (found,) = escalations([(path, deleted)], {})
    assert found.path == path
    assert found.reason.startswith(kind + " (")


@pytest.mark.parametrize(
    ("path", "deleted"),
    [
        ("backend/jobpipe/x.py", False),
        ("README.md", True),
        ("docs/pants.toml", False),
        ("tools/pants", False),
        ("tests/fixtures/pants.ci.toml", False),
        ("backend/jobpipe/data.json", True),
    ],
)
def test_paths_left_to_pants(path: str, deleted: bool) -> None:
    assert escalations([(path, deleted)], {}) == []


def target(
    address: str,
    kind: str = "python_source",
    deps: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    sources: tuple[str, ...] | None = None,
) -> Target:
    own = (address.split(":")[0],) if sources is None else sources
    return Target(address, kind, tags, own, deps)


GRAPH = {
    t.address: t
    for t in [
        target("src/leaf.py"),
        target("src/mid.py", deps=("src/leaf.py", "3rdparty:req")),
        target("tests/test_mid.py", "python_test", ("src/mid.py",), ("unit",)),
        target("tests/test_own.py", "python_test", (), ("unit",)),
        target("tests/it/test_mid.py", "python_test", ("src/mid.py",), ("integration",)),
        target("tests:tests", "python_tests", ("tests/test_mid.py",), sources=()),
        target("tests/test_build.py:gen", "python_test", (), ("unit",)),
        target("//:root", "file", sources=("data.json",)),
        target("tests/test_root.py", "python_test", ("//:root",), ("unit",)),
    ]
}


def test_select_gives_each_test_of_the_tier_its_reason() -> None:
    changed = ["src/leaf.py", "tests/test_own.py", "tests/BUILD", "BUILD"]
    assert select(GRAPH, changed, "unit") == [
        SelectedTest("tests/test_build.py", changed=False, depends_on=("tests/BUILD",)),
        SelectedTest("tests/test_mid.py", changed=False, depends_on=("src/leaf.py", "tests/BUILD")),
        SelectedTest("tests/test_own.py", changed=True, depends_on=("tests/BUILD",)),
        SelectedTest("tests/test_root.py", changed=False, depends_on=("BUILD", "tests/BUILD")),
    ]
    assert [s.path for s in select(GRAPH, changed, "integration")] == ["tests/it/test_mid.py"]


def test_reason_strings() -> None:
    assert SelectedTest("t.py", changed=True, depends_on=()).reason == "changed"
    assert (
        SelectedTest("t.py", changed=True, depends_on=("a.py", "b.py")).reason
        == "changed; depends on a.py, b.py"
    )
    assert SelectedTest("t.py", changed=False, depends_on=("a.py",)).reason == "depends on a.py"
    assert SelectedTest("t.py", changed=False, depends_on=()).reason == (
        "selected by Pants' --changed-since (no changed file on its dependency path)"
    )
