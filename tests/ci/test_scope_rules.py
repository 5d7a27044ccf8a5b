"""The scoped rules for files that configure tests by where they are (BUILD `__defaults__`,
conftest.py, pytest configuration), and how a reach maps to a tier's files: pure functions."""

from __future__ import annotations

import pytest
from pants_selection import Target
from scoping.pytest_scopes import (
    FileTexts,
    build_file_scope,
    calls_defaults,
    conftest_scope,
    pytest_config_scope,
)
from scoping.scope import NOTHING, WHOLE, Reach, Scope, TierGraph, resolve_reach, union

pytestmark = pytest.mark.unit

DEFAULTS = '__defaults__({(python_test, python_tests): dict(tags=["unit"])})\n'


def target(
    address: str,
    kind: str = "python_test",
    deps: tuple[str, ...] = (),
    tags: tuple[str, ...] = ("unit",),
    resolve: str | None = None,
    fields: frozenset[str] = frozenset(),
) -> Target:
    source = address.split(":")[0]
    return Target(address, kind, tags, (source,), deps, resolve, (), fields)


GRAPH = TierGraph(
    {
        t.address: t
        for t in [
            target("src/a/leaf.py", "python_source", tags=()),
            target("src/a/mid.py", "python_source", ("src/a/leaf.py",), tags=()),
            target("tests/unit/test_mid.py", deps=("src/a/mid.py",)),
            target("tests/unit/deep/test_deep.py"),
            target("tests/unit/other/test_other.py", resolve="other"),
            target("tests/it/test_db.py", tags=("integration",), fields=frozenset({"uses"})),
            target("tests/it/test_plain.py", tags=("integration",)),
        ]
    },
    default_resolve="main",
)


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


def test_defaults_reach_their_directory_and_the_dependents_of_its_targets() -> None:
    changed = build_file_scope(
        "src/a/BUILD", FileTexts("python_sources()\n", DEFAULTS + "python_sources()\n")
    )
    assert changed is not None
    assert changed.line("unit") == (
        "scoped: targets in src/a/** and the tests that depend on them because src/a/BUILD is a "
        "BUILD file whose `__defaults__` changed (child directories inherit them, and Pants does "
        "not mark those as changed)"
    )
    assert resolve_reach(changed.reach, GRAPH, "unit") == ["tests/unit/test_mid.py"]
    removed = build_file_scope("tests/unit/BUILD", FileTexts(DEFAULTS, None))
    assert removed is not None and "removed" in removed.reason
    assert resolve_reach(removed.reach, GRAPH, "unit") == [
        "tests/unit/deep/test_deep.py",
        "tests/unit/other/test_other.py",
        "tests/unit/test_mid.py",
    ]


def test_a_layout_only_build_edit_reaches_nothing_not_even_through_the_graph() -> None:
    before = 'python_sources(overrides={"a.py": {"dependencies": ["./b.py"]}})\n'
    after = '# formatted\npython_sources(\n    overrides={\n        "a.py": {"dependencies": ["./b.py"]}\n    }\n)\n'
    scope = build_file_scope("src/a/BUILD", FileTexts(before, after))
    assert scope is not None and scope.reach.is_empty and scope.replaces_graph
    assert "syntax tree did not change" in scope.reason


def test_a_build_edit_that_keeps_its_defaults_is_left_to_pants() -> None:
    layout_only = FileTexts(
        DEFAULTS + "python_tests()\n", "# tier\n" + DEFAULTS + "python_tests(name='t')\n"
    )
    assert build_file_scope("tests/BUILD", layout_only) is None
    assert build_file_scope("tests/BUILD", FileTexts("python_tests()\n", None)) is None


def test_an_unparsable_build_file_reaches_everything_below_it() -> None:
    scope = build_file_scope("tests/unit/BUILD", FileTexts("python_tests()\n", "python_tests(\n"))
    assert scope is not None and "does not parse after the change" in scope.reason
    assert len(resolve_reach(scope.reach, GRAPH, "unit")) == 3


def test_conftest_reaches_the_tests_below_its_directory() -> None:
    scope = conftest_scope("tests/unit/deep/conftest.py")
    assert scope is not None
    assert scope.line("unit") == (
        "scoped: tests/unit/deep/** because tests/unit/deep/conftest.py is a pytest conftest "
        "(pytest loads it for the tests below its directory)"
    )
    assert resolve_reach(scope.reach, GRAPH, "unit") == ["tests/unit/deep/test_deep.py"]
    assert resolve_reach(scope.reach, GRAPH, "integration") == []
    assert conftest_scope("tests/unit/conftest_helpers.py") is None


INI = "[pytest]\naddopts = --strict-markers\n"


def test_pytest_config_reaches_tests_without_a_nearer_configuration() -> None:
    current = {
        "tests/pytest.ini": INI + "markers = unit\n",
        "tests/unit/deep/tox.ini": "[pytest]\n",  # nearer: shields tests/unit/deep/
        "tests/unit/other/setup.cfg": "[metadata]\nname = x\n",  # no pytest section: no shield
    }
    scope = pytest_config_scope(
        "tests/pytest.ini", FileTexts(INI, INI + "markers = unit\n"), current
    )
    assert scope is not None
    assert scope.line("unit") == (
        "scoped: tests/** except tests/unit/deep/** because tests/pytest.ini is a pytest "
        "configuration file whose pytest section changed (pytest applies it to the tests below it "
        "that have no nearer configuration)"
    )
    assert resolve_reach(scope.reach, GRAPH, "unit") == [
        "tests/unit/other/test_other.py",
        "tests/unit/test_mid.py",
    ]


def test_a_config_file_whose_pytest_section_is_unchanged_reaches_nothing() -> None:
    before = '[tool.ruff]\nline-length = 99\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'
    after = before.replace("99", "100")
    scope = pytest_config_scope("pyproject.toml", FileTexts(before, after), {})
    assert scope is not None and scope.reach.is_empty
    assert scope.line("unit").startswith("no effect: pyproject.toml selects no unit test")
    # A pyproject.toml without a pytest section on either side is not pytest's either ...
    plain = pytest_config_scope("pyproject.toml", FileTexts("[tool.x]\n", "[tool.y]\n"), {})
    assert plain is not None and plain.reach.is_empty
    # ... but creating one can move the rootdir, so every test below it is reached.
    created = pytest_config_scope("tests/pyproject.toml", FileTexts(None, "[tool.x]\n"), {})
    assert created is not None and created.reach.below == ("tests",)


def test_an_unreadable_config_reaches_everything_below_it() -> None:
    scope = pytest_config_scope("tests/unit/tox.ini", FileTexts(INI, "[pytest\n"), {})
    assert scope is not None and "cannot be read" in scope.reason
    assert scope.reach.below == ("tests/unit",) and not scope.reach.shielded


def test_reach_by_field_resolve_and_dependents() -> None:
    uses = Reach(with_field=("uses",), described="targets with uses")
    assert resolve_reach(uses, GRAPH, "integration") == ["tests/it/test_db.py"]
    by_resolve = Reach(resolves=("main",))
    assert resolve_reach(by_resolve, GRAPH, "unit") == [
        "tests/unit/deep/test_deep.py",
        "tests/unit/test_mid.py",
    ]
    deps = Reach(dependents_of=("src/a/leaf.py",))
    assert resolve_reach(deps, GRAPH, "unit") == ["tests/unit/test_mid.py"]
    assert resolve_reach(WHOLE, GRAPH, "integration") == [
        "tests/it/test_db.py",
        "tests/it/test_plain.py",
    ]
    assert resolve_reach(NOTHING, GRAPH, "unit") == []


def test_union_and_lines() -> None:
    assert union([NOTHING, Reach(below=("a",), described="a/**")]).below == ("a",)
    assert union([Reach(below=("a",)), WHOLE]) is WHOLE
    assert union([NOTHING]).is_empty
    assert Scope("pants", "the launcher", WHOLE).line("unit") == (
        "escalated: whole unit tier because pants is the launcher"
    )
