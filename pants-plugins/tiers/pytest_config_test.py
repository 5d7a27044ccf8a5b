import pytest

from tiers import pytest_config
from tiers.pytest_config import (
    ConfigError,
    ConfigFinder,
    candidate_paths,
    parse_config,
)

pytestmark = pytest.mark.unit

PYPROJECT = b"""[project]
name = "x"

[tool.pytest.ini_options]
asyncio_default_fixture_loop_scope = "function"
markers = [
    "unit: fast",
    "integration(reason): slow",
]
addopts = "-q --strict-markers"
"""


def test_candidates_run_nearest_first_in_pytests_order() -> None:
    paths = candidate_paths("a/b/test_x.py")
    assert paths[:3] == ["a/b/pytest.toml", "a/b/.pytest.toml", "a/b/pytest.ini"]
    assert paths.index("a/b/setup.cfg") < paths.index("a/pytest.ini") < paths.index("pytest.ini")
    assert paths[-1] == "setup.cfg"


def test_pyproject_ini_options() -> None:
    config = parse_config("a/pyproject.toml", PYPROJECT)
    assert config is not None
    assert config.markers == ("unit", "integration")
    assert config.strict_markers
    assert config.options["asyncio_default_fixture_loop_scope"] == "function"
    assert (config.section, config.line) == ("[tool.pytest.ini_options]", 4)


def test_pyproject_without_pytest_section_is_skipped_like_pytest_does() -> None:
    files = {
        "a/b/pyproject.toml": b"[project]\nname='x'\n",
        "a/pytest.ini": b"[pytest]\nmarkers =\n  unit: u\n",
    }
    config = ConfigFinder(files).find("a/b/test_x.py")
    assert config is not None and config.path == "a/pytest.ini"


def test_empty_pytest_ini_still_wins() -> None:
    files = {"a/pytest.ini": b"", "pyproject.toml": PYPROJECT}
    config = ConfigFinder(files).find("a/test_x.py")
    assert config is not None and config.path == "a/pytest.ini" and config.markers == ()


def test_tox_ini_and_setup_cfg_sections() -> None:
    tox = parse_config("tox.ini", b"[tox]\n[pytest]\naddopts = --strict\nmarkers = unit\n")
    assert tox is not None and tox.strict_markers and tox.markers == ("unit",)
    assert parse_config("setup.cfg", b"[metadata]\nname = x\n") is None
    cfg = parse_config("setup.cfg", b"[tool:pytest]\nstrict_markers = true\n")
    assert cfg is not None and cfg.strict_markers and cfg.section == "[tool:pytest]"


def test_native_toml_config() -> None:
    config = parse_config(
        "pytest.toml", b'[pytest]\nmarkers = ["unit: u"]\nstrict_markers = true\n'
    )
    assert config is not None and config.markers == ("unit",) and config.strict_markers


def test_no_config_at_all() -> None:
    assert ConfigFinder({}).find("a/test_x.py") is None


@pytest.mark.parametrize(
    ("path", "content", "problem"),
    [
        ("pyproject.toml", b"[tool.pytest.ini_options\n", "not valid TOML"),
        ("pytest.ini", b"no section header\n", "not a valid INI file"),
        ("pytest.ini", b"[pytest]\nmarkers = \xff\n", "not valid UTF-8"),
    ],
)
def test_unreadable_config_raises_with_path(path: str, content: bytes, problem: str) -> None:
    with pytest.raises(ConfigError) as excinfo:
        parse_config(path, content)
    assert excinfo.value.path == path and problem in excinfo.value.problem


def test_finder_parses_each_file_once_and_repeats_its_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []
    monkeypatch.setattr(
        pytest_config,
        "parse_config",
        lambda path, content: parsed.append(path) or parse_config(path, content),
    )
    finder = ConfigFinder({"a/pyproject.toml": PYPROJECT, "b/pytest.ini": b"no header\n"})
    found = [finder.find(f"a/{d}/test_{n}.py") for d in "xy" for n in range(3)]
    assert {c.path for c in found if c is not None} == {"a/pyproject.toml"}
    for _ in range(2):
        with pytest.raises(ConfigError, match="not a valid INI file"):
            finder.find("b/test_x.py")
    assert parsed == ["a/pyproject.toml", "b/pytest.ini"]


def test_linelists_from_toml_lists_and_ini_lines_or_words() -> None:
    toml_config = parse_config(
        "pyproject.toml", b'[tool.pytest.ini_options]\ntiers = ["unit", "integration"]\n'
    )
    assert toml_config is not None
    assert toml_config.linelist("tiers") == ("unit", "integration")
    assert toml_config.options["tiers"] == "unit\nintegration"  # not the list's repr
    ini = parse_config("pytest.ini", b"[pytest]\ntiers =\n    unit\n    integration\nx = a b\n")
    assert ini is not None
    assert ini.linelist("tiers") == ("unit", "integration")
    assert ini.linelist("x") == ("a", "b")
    assert ini.linelist("missing") is None
    assert ini.is_toml is False and toml_config.is_toml is True
