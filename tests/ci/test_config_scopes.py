"""The scoped rules for Pants configuration sections and in-repo plugin code: pure functions
over synthetic plugin sources (what a plugin registers decides what its change reaches)."""

from __future__ import annotations

import pytest
from scoping.pants_config_scopes import pants_config_scope
from scoping.plugin_scopes import PluginCode, plugin_file_scope

pytestmark = pytest.mark.unit

SETUP = "from pants.backend.python.goals.pytest_runner import PytestPluginSetupRequest\n"
PLUGINS = {
    # A linter and a report goal only.
    "plugins/checks/register.py": "from checks import lint, report\n\ndef rules():\n    return []\n",
    "plugins/checks/lint.py": (
        "from pants.core.goals.lint import LintTargetsRequest\n"
        "from pants.engine.unions import UnionRule\n"
        "from checks.subsystem import ChecksSubsystem\n"
        "from svc.subsystem import SvcSubsystem\n"
        "class ChecksRequest(LintTargetsRequest):\n    pass\n"
        "def rules():\n    return [*ChecksRequest.rules()]\n"
    ),
    "plugins/checks/report.py": "from checks.subsystem import ChecksSubsystem\n",
    "plugins/checks/subsystem.py": "class ChecksSubsystem:\n    options_scope = 'checks'\n",
    "plugins/checks/lint_test.py": "from checks import lint\n",
    # A pytest setup for targets that set `needs`, and one for every test.
    "plugins/svc/register.py": "from svc import probe_rules, every_test\n",
    "plugins/svc/fields.py": "class NeedsField:\n    alias = 'needs'\n",
    "plugins/svc/subsystem.py": "class SvcSubsystem:\n    options_scope = 'svc'\n",
    "plugins/svc/probe_rules.py": SETUP
    + (
        "from pants.engine.unions import UnionRule\n"
        "from svc.fields import NeedsField\nfrom svc.subsystem import SvcSubsystem\n"
        "from svc import probe\nimport pkgutil\nSCRIPT = pkgutil.get_data('svc', 'check.py')\n"
        "class ProbeRequest(PytestPluginSetupRequest):\n"
        "    @classmethod\n    def is_applicable(cls, target):\n"
        "        return bool(target.get(NeedsField).value)\n"
        "def rules():\n    return [UnionRule(PytestPluginSetupRequest, ProbeRequest)]\n"
    ),
    "plugins/svc/probe.py": "import socket\n",
    "plugins/svc/check.py": "print('a script the plugin runs, read as data')\n",
    "plugins/svc/notes.py": "# named by no module\n",
    "plugins/svc/every_test.py": SETUP
    + (
        "from pants.engine.unions import UnionRule\nfrom svc.fields import NeedsField\n"
        "class EveryRequest(PytestPluginSetupRequest):\n"
        "    @classmethod\n    def is_applicable(cls, target):\n"
        "        return target.has_field(NeedsField)\n"
        "def rules():\n    return [UnionRule(PytestPluginSetupRequest, EveryRequest)]\n"
    ),
    # On the path but not enabled.
    "plugins/idle/register.py": "from pants.engine.unions import UnionRule\n",
}
CODE = PluginCode(PLUGINS, ["plugins"], ["pants.backend.python", "checks", "svc"])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("plugins/checks/lint.py", "nothing"),
        ("plugins/checks/report.py", "nothing"),
        ("plugins/svc/probe.py", "needs"),
        ("plugins/svc/probe_rules.py", "needs"),
        ("plugins/svc/every_test.py", "whole"),
        ("plugins/svc/fields.py", "whole"),  # every_test.py imports it
        ("plugins/svc/register.py", "whole"),
        ("plugins/svc/check.py", "needs"),  # read as data by probe_rules.py
        ("plugins/svc/notes.py", "whole"),  # in the plugin, named by nothing: all its hooks
    ],
)
def test_plugin_code_reaches_what_its_hooks_apply_to(path: str, expected: str) -> None:
    scope = plugin_file_scope(path, False, CODE)
    assert scope is not None
    reach = scope.reach
    found = "whole" if reach.whole else "nothing" if reach.is_empty else reach.with_field[0]
    assert found == expected, scope.line("unit")


def test_plugin_files_pants_does_not_load_are_left_to_the_graph() -> None:
    assert plugin_file_scope("plugins/checks/lint_test.py", False, CODE) is None
    support = frozenset({"plugins/svc/notes.py"})  # owned by a python_test_utils target
    assert plugin_file_scope("plugins/svc/notes.py", False, CODE, support) is None
    assert plugin_file_scope("plugins/idle/register.py", False, CODE) is None
    assert plugin_file_scope("src/app.py", False, CODE) is None
    assert plugin_file_scope("plugins/svc/probe.py", True, CODE).reach.whole  # deleted


def test_the_lines_name_the_hook() -> None:
    assert plugin_file_scope("plugins/svc/probe.py", False, CODE).line("integration") == (
        "scoped: test targets that set `needs` because plugins/svc/probe.py is in-repo Pants "
        "plugin code (its pytest setup `ProbeRequest` runs only for targets that set `needs`)"
    )
    assert plugin_file_scope("plugins/checks/lint.py", False, CODE).line("unit") == (
        "no effect: plugins/checks/lint.py selects no unit test because it is in-repo Pants "
        "plugin code that cannot change a test run (`ChecksRequest` serves only the lint goal)"
    )


def test_an_unknown_union_reaches_every_test() -> None:
    code = PluginCode(
        {
            "p/x/register.py": (
                "from pants.engine.unions import UnionRule\n"
                "def rules():\n    return [UnionRule(TestFieldSet, MyTests)]\n"
            )
        },
        ["p"],
        ["x"],
    )
    assert plugin_file_scope("p/x/register.py", False, code).reach.whole
    # Request classes that register themselves (`X.rules()`), under a base it cannot bound.
    runner = PluginCode(
        {
            "p/y/register.py": "from y import runner\n",
            "p/y/runner.py": (
                "class MyTests(TestRequest):\n    pass\n"
                "def rules():\n    return [*MyTests.rules()]\n"
            ),
        },
        ["p"],
        ["y"],
    )
    scope = plugin_file_scope("p/y/runner.py", False, runner)
    assert scope.reach.whole
    assert "registers `MyTests` in union `TestRequest`" in scope.reason


BASE = """[GLOBAL]
pants_version = "2.17.1"
colors = true

[checks]
names = ["unit"]

[svc]
timeout = 2

[ruff]
args = []

[pytest]
args = []
"""


def config_scope(after: str, path: str = "pants.toml", loaded: tuple[str, ...] = ("pants.toml",)):
    return pants_config_scope(path, BASE, after, loaded, CODE)


def test_sections_that_cannot_change_a_test_process_reach_nothing() -> None:
    scope = config_scope(
        BASE.replace("colors = true", "colors = false")
        .replace('["unit"]', '["unit", "it"]')
        .replace("args = []\n\n[pytest]", 'args = ["--fix"]\n\n[pytest]')
        + "\n[anonymous-telemetry]\nenabled = false\n"
    )
    assert scope is not None and scope.reach.is_empty, scope.line("unit")
    assert "([GLOBAL], [anonymous-telemetry], [checks], [ruff]) cannot change" in scope.reason
    # Scheduling: the same processes, side by side; none of their cache keys changes.
    parallel = config_scope(
        BASE.replace("colors = true", "process_execution_local_parallelism = 8")
    )
    assert parallel is not None and parallel.reach.is_empty, parallel.line("unit")


def test_a_plugin_section_reaches_what_that_plugin_hooks() -> None:
    scope = config_scope(BASE.replace("timeout = 2", "timeout = 5"))
    assert scope is not None and scope.reach.with_field == ("needs",)


def test_other_sections_or_an_unparsable_file_reach_everything() -> None:
    scope = config_scope(BASE.replace("[pytest]\nargs = []", '[pytest]\nargs = ["-x"]'))
    assert scope is not None and scope.reach.whole
    assert "[pytest] args" in scope.reason
    assert config_scope(BASE + "[broken\n").reach.whole
    assert config_scope(BASE.replace('"2.17.1"', '"2.18.0"')).reach.whole


def test_a_config_file_the_run_does_not_load_reaches_nothing() -> None:
    scope = config_scope("[GLOBAL]\nremote_cache_read = true\n", path="pants.remote.toml")
    assert scope is not None and scope.reach.is_empty
    assert "PANTS_CONFIG_FILES does not name it" in scope.reason
    loaded = pants_config_scope(
        "pants.ci.toml", "", "[test]\ntimeout_default = 1\n", ("pants.toml", "pants.ci.toml"), CODE
    )
    assert loaded is not None and loaded.reach.whole
    assert pants_config_scope("docs/pants.toml", "", "", ("pants.toml",), CODE) is None
