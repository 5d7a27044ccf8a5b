"""The dispatcher of the scope rules and the per-file reasons, as pure functions (no git, no
Pants)."""

from __future__ import annotations

import pytest
from change_escalation import Changed, ChangeFacts, PantsFacts, scopes
from pants_selection import SelectedTest, Target, select
from scoping.lockfile_scopes import ResolveFacts
from scoping.pytest_scopes import FileTexts
from scoping.scope import TierGraph

pytestmark = pytest.mark.unit

FACTS = PantsFacts(
    config_files=("pants.toml",),
    pythonpath=("pants-plugins",),
    backend_packages=("pants.backend.python",),
    prelude_globs=("build-support/*.macros",),
    resolves=ResolveFacts(
        lockfiles={"3rdparty/default.lock": "main", "locks/tools.json": "tools"},
        pytest_resolve="main",
    ),
    source_roots=("src", "tests"),
)


def lines(changed: list[Changed], texts: dict[str, FileTexts] | None = None) -> list[str]:
    facts = ChangeFacts(changed, texts or {}, TierGraph({}), FACTS)
    return [s.line("unit") for s in scopes(facts)]


def test_what_nothing_smaller_can_bound_escalates() -> None:
    assert (
        lines(
            [
                Changed("pants", True, True),
                Changed("build-support/targets.macros", True, True),
                Changed("tests/BUILD", True, True),  # a rule reads it, and its text is missing
            ]
        )
        == [
            "escalated: whole unit tier because build-support/targets.macros is a BUILD prelude (its "
            "macros can change any BUILD file that calls them)",
            "escalated: whole unit tier because pants is the Pants launcher (it chooses the Pants "
            "version and its flags)",
            "escalated: whole unit tier because tests/BUILD is a file whose text was not read "
            "(cannot bound what it configures)",
        ]
    )


def test_files_no_rule_applies_to_are_left_to_pants() -> None:
    assert (
        lines(
            [
                Changed("src/shop/cart.py", True, True),
                Changed("README.md", True, False),
                Changed("docs/pants.toml", False, True),
                Changed("tools/pants", True, True),
                Changed("src/data.json", True, False),
                Changed("src/BUILD", True, True),
            ],
            {"docs/pants.toml": FileTexts(None, ""), "src/BUILD": FileTexts("x()\n", "x(a=1)\n")},
        )
        == []
    )


def test_each_kind_of_file_goes_to_its_rule() -> None:
    found = lines(
        [
            Changed("tests/unit/conftest.py", True, True),
            Changed("pants.remote.toml", True, True),
            Changed("3rdparty/bench.lock", True, True),
            Changed("src/shop/gone.py", True, False),
            Changed("locks/tools.json", True, True),  # a resolve's lockfile, whatever its name
        ],
        {
            "pants.remote.toml": FileTexts("", "[GLOBAL]\n"),
            "3rdparty/bench.lock": FileTexts("", ""),
            "locks/tools.json": FileTexts("{}", "{}"),
        },
    )
    assert [line.split(" because ")[0] for line in found] == [
        "no effect: 3rdparty/bench.lock selects no unit test",
        "no effect: locks/tools.json selects no unit test",
        "no effect: pants.remote.toml selects no unit test",
        "no effect: src/shop/gone.py selects no unit test",
        "scoped: tests/unit/**",
    ]


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


def test_a_test_reached_only_through_a_replaced_file_is_left_to_its_rule() -> None:
    graph = {
        t.address: t
        for t in [
            target("src/mid.py", deps=("3rdparty:req",)),
            target("tests/test_mid.py", "python_test", ("src/mid.py",), ("unit",)),
            target("tests/test_own.py", "python_test", (), ("unit",)),
            target("3rdparty:req", "python_requirement", ("main.lock:lock",), sources=()),
            target("main.lock:lock", "file", sources=("main.lock",)),
        ]
    }
    changed = ["main.lock", "tests/test_own.py"]
    assert [s.path for s in select(graph, changed, "unit")] == [
        "tests/test_mid.py",
        "tests/test_own.py",
    ]
    assert select(graph, changed, "unit", replaced=["main.lock"]) == [
        SelectedTest("tests/test_own.py", changed=True, depends_on=()),
    ]


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
