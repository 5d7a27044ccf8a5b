"""The miss audit's pure parts: how it plants each fault, and how it reads a selection."""

from __future__ import annotations

import ast
import configparser
from pathlib import Path

import pytest
import tomllib
from miss_audit import (
    FAULT,
    MISSING_PLUGIN,
    Selection,
    _defaults_planted,
    parse_selection,
    parse_selections,
    plant_conftest,
    plant_pytest_option,
    public_functions_raise,
    raise_at_import,
)

pytestmark = pytest.mark.unit


def test_raise_at_import_goes_after_the_docstring_and_future_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Doc\nstring."""\n\nfrom __future__ import annotations\n\nX = 1\n')
    raise_at_import(module)
    body = ast.parse(module.read_text()).body
    assert isinstance(body[1], ast.ImportFrom) and body[1].module == "__future__"
    assert ast.dump(body[2]) == ast.dump(ast.parse(FAULT).body[0])
    assert ast.unparse(body[3]) == "X = 1"


def test_raise_at_import_in_an_empty_module(tmp_path: Path) -> None:
    module = tmp_path / "__init__.py"
    module.write_text("")
    raise_at_import(module)
    with pytest.raises(RuntimeError, match="planted fault"):
        exec(compile(module.read_text(), str(module), "exec"), {})


def test_every_public_function_and_method_raises_private_ones_do_not(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def public():\n    '''doc'''\n    return 1\n\n"
        "def _private():\n    return 2\n\n"
        "class C:\n    def method(self):\n        return 3\n"
    )
    assert public_functions_raise(module)
    namespace: dict[str, object] = {}
    exec(compile(module.read_text(), str(module), "exec"), namespace)
    with pytest.raises(RuntimeError, match="planted fault"):
        namespace["public"]()  # type: ignore[operator]
    with pytest.raises(RuntimeError, match="planted fault"):
        namespace["C"]().method()  # type: ignore[operator]
    assert namespace["_private"]() == 2  # type: ignore[operator]


def test_a_module_without_public_functions_has_nothing_to_plant(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("X = 1\n")
    assert not public_functions_raise(module)
    assert module.read_text() == "X = 1\n"


def test_defaults_gain_the_failing_pytest_addopts_existing_env_vars_kept() -> None:
    build = (
        "__defaults__({(python_test, python_tests): dict(tags=['integration'], "
        "extra_env_vars=['JOBPIPE_DATABASE_URL'])})\n"
    )
    planted = _defaults_planted(build)
    assert planted is not None
    call = ast.parse(planted).body[0].value  # type: ignore[attr-defined]
    (entry,) = call.args[0].values
    env = next(kw.value for kw in entry.keywords if kw.arg == "extra_env_vars")
    assert ast.literal_eval(env) == ["JOBPIPE_DATABASE_URL", f"PYTEST_ADDOPTS=-p {MISSING_PLUGIN}"]


def test_a_build_file_without_defaults_is_not_a_defaults_plant() -> None:
    assert _defaults_planted("python_tests(name='tests')\n") is None


def test_conftest_gains_an_autouse_fixture_that_raises(tmp_path: Path) -> None:
    conftest = tmp_path / "conftest.py"
    conftest.write_text('"""conftest."""\n')
    plant_conftest(conftest)
    tree = ast.parse(conftest.read_text())
    fixture = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    assert "autouse=True" in ast.unparse(fixture.decorator_list[0])
    assert ast.dump(fixture.body[0]) == ast.dump(ast.parse(FAULT).body[0])


def test_pytest_option_joins_addopts_in_ini_and_toml(tmp_path: Path) -> None:
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\naddopts = --strict-markers\n")
    plant_pytest_option(ini)
    parser = configparser.ConfigParser()
    parser.read_string(ini.read_text())
    assert parser["pytest"]["addopts"] == f"--strict-markers -p {MISSING_PLUGIN}"

    toml = tmp_path / "pyproject.toml"
    toml.write_text('[tool.pytest.ini_options]\naddopts = "--strict-markers"\n')
    plant_pytest_option(toml)
    addopts = tomllib.loads(toml.read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert addopts == f"--strict-markers -p {MISSING_PLUGIN}"


def test_pytest_option_added_when_there_is_no_addopts(tmp_path: Path) -> None:
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\nmarkers =\n    unit: u\n")
    plant_pytest_option(ini)
    parser = configparser.ConfigParser()
    parser.read_string(ini.read_text())
    assert parser["pytest"]["addopts"] == f"-p {MISSING_PLUGIN}"


def test_selection_read_from_each_output_shape() -> None:
    affected = parse_selection(
        "affected_tests: unit tier, 1 file(s) changed since main (merge base 0123)\n"
        "scoped: backend/tests/unit/conftest.py reaches 2 unit test file(s)\n"
        "running 2 affected unit test file(s):\n"
        "  backend/tests/unit/test_a.py: changed\n"
        "  backend/tests/unit/test_b.py: in scope of backend/tests/unit/conftest.py\n"
    )
    assert affected.files == {"backend/tests/unit/test_a.py", "backend/tests/unit/test_b.py"}
    assert not affected.whole_tier

    whole = parse_selection(
        "affected_tests: unit tier, 1 file(s) changed since main (merge base 0123)\n"
        "escalated: whole unit tier because pants.toml is Pants configuration\n"
        "running all 1 unit test file(s):\n"
        "  tests/test_c.py\n"
    )
    assert whole.whole_tier and whole.files == {"tests/test_c.py"}

    nothing = parse_selection(
        "affected_tests: unit tier, 1 file(s) changed since main (merge base 0123)\n"
        "nothing affected: no unit test depends on a changed file.\n"
    )
    assert not nothing.files and not nothing.whole_tier


def test_selections_of_both_tiers_read_from_one_listing() -> None:
    both = parse_selections(
        "affected_tests: unit tier, 1 file(s) changed since main (merge base 0123)\n"
        "scoped: backend/tests/unit/** because backend/tests/unit/conftest.py is a conftest\n"
        "running 1 affected unit test file(s):\n"
        "  backend/tests/unit/test_a.py: in scope of backend/tests/unit/conftest.py\n"
        "affected_tests: integration tier, 1 file(s) changed since main (merge base 0123)\n"
        "scoped: backend/tests/unit/** because backend/tests/unit/conftest.py is a conftest\n"
        "nothing affected: no integration test depends on a changed file.\n"
    )
    assert both == {
        "unit": Selection(frozenset({"backend/tests/unit/test_a.py"}), False),
        "integration": Selection(frozenset(), False),
    }
    whole = parse_selections(
        "affected_tests: unit tier, 1 file(s) changed since main (merge base 0123)\n"
        "escalated: whole unit tier because pants is the Pants launcher\n"
        "running all 1 unit test file(s):\n"
        "  tests/test_c.py\n"
        "affected_tests: integration tier, 1 file(s) changed since main (merge base 0123)\n"
        "escalated: whole integration tier because pants is the Pants launcher\n"
        "running all 1 integration test file(s):\n"
        "  tests/test_d.py\n"
    )
    assert whole["unit"].files == {"tests/test_c.py"} and whole["unit"].whole_tier
    assert whole["integration"].files == {"tests/test_d.py"}
    assert whole["integration"].why.startswith("escalated: whole integration tier")


def test_plugin_entry_points_are_left_alone_the_rules_they_register_raise(tmp_path: Path) -> None:
    module = tmp_path / "goal.py"
    module.write_text("async def check():\n    return 0\n\ndef rules():\n    return [check]\n")
    assert public_functions_raise(module)
    tree = ast.parse(module.read_text())
    check, rules = tree.body
    assert ast.dump(check.body[0]) == ast.dump(ast.parse(FAULT).body[0])
    assert ast.unparse(rules.body[0]) == "return [check]"
