"""Finding and reading the pytest configuration that applies to a test file.

pytest takes the first of `PYTEST_CONFIG_NAMES` (shared with the CI change selection) it meets
walking up from the test file's directory, and skips a candidate that lacks its pytest section;
`pytest.ini` counts even when empty.
"""

from __future__ import annotations

import configparser
import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import toml

from pytest_tiers.config_files import PYTEST_CONFIG_NAMES


class ConfigError(Exception):
    """A configuration file pytest would use cannot be read."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class PytestConfig:
    path: str
    section: str  # e.g. "[tool.pytest.ini_options]", for messages
    line: int  # line of the section header
    markers: tuple[str, ...] = ()
    addopts: tuple[str, ...] = ()
    options: Mapping[str, str] = field(default_factory=dict)
    # Every option read as a pytest `linelist`: a TOML list, or an INI value split on whitespace.
    linelists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_toml(self) -> bool:
        return self.path.endswith(".toml")

    def linelist(self, key: str) -> tuple[str, ...] | None:
        """The option `key` as a list of values, or None when it is not set."""
        return self.linelists.get(key)

    @property
    def strict_markers(self) -> bool:
        if "--strict-markers" in self.addopts or "--strict" in self.addopts:
            return True
        return any(
            self.options.get(key, "").strip().lower() in ("true", "1", "yes")
            for key in ("strict_markers", "strict")
        )


def candidate_paths(test_path: str) -> list[str]:
    """Every file that could hold the configuration for `test_path`, nearest first."""
    directory = os.path.dirname(test_path)
    paths = []
    while True:
        paths.extend(os.path.join(directory, name) for name in PYTEST_CONFIG_NAMES)
        if not directory:
            return paths
        directory = os.path.dirname(directory)


def _header_line(text: str, header: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == header:
            return number
    return 1


def _marker_name(entry: str) -> str:
    return entry.split(":", 1)[0].split("(", 1)[0].strip()


def _lines(value: Any) -> list[str]:
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def _addopts(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return tuple(shlex.split(str(value)))


def _option(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return str(value)


def _linelist(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return tuple(str(value).split())


def _from_mapping(path: str, section: str, line: int, values: Mapping[str, Any]) -> PytestConfig:
    options = {k: v for k, v in values.items() if k not in ("markers", "addopts")}
    return PytestConfig(
        path=path,
        section=section,
        line=line,
        markers=tuple(_marker_name(m) for m in _lines(values.get("markers", []))),
        addopts=_addopts(values.get("addopts", "")),
        options={k: _option(v) for k, v in options.items()},
        linelists={k: _linelist(v) for k, v in options.items()},
    )


def parse_config(path: str, content: bytes) -> PytestConfig | None:
    """The pytest configuration in `path`, or None when pytest would skip that file."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(path, f"not valid UTF-8 ({e})") from e
    name = os.path.basename(path)
    if name.endswith(".toml"):
        try:
            data = toml.loads(text)
        except (toml.TomlDecodeError, ValueError) as e:
            raise ConfigError(path, f"not valid TOML ({e})") from e
        if name == "pyproject.toml":
            tool = data.get("tool", {}).get("pytest", {})
            if "ini_options" in tool:
                header = "[tool.pytest.ini_options]"
                return _from_mapping(path, header, _header_line(text, header), tool["ini_options"])
            if tool:
                return _from_mapping(
                    path, "[tool.pytest]", _header_line(text, "[tool.pytest]"), tool
                )
            return None
        section = data.get("pytest", {})
        return _from_mapping(path, "[pytest]", _header_line(text, "[pytest]"), section)

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as e:
        raise ConfigError(path, f"not a valid INI file ({e})") from e
    section_name = "tool:pytest" if name == "setup.cfg" else "pytest"
    if not parser.has_section(section_name):
        if name in ("pytest.ini", ".pytest.ini"):
            return PytestConfig(path=path, section="[pytest]", line=1)
        return None
    header = f"[{section_name}]"
    return _from_mapping(path, header, _header_line(text, header), dict(parser[section_name]))


class ConfigFinder:
    """Which configuration pytest uses for each test file, parsing each candidate file once.

    Thousands of test files share a handful of configurations; parsing TOML per test file was
    most of the linter's time.
    """

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self._files = files
        self._parsed: dict[str, PytestConfig | None | ConfigError] = {}

    def _parse(self, path: str) -> PytestConfig | None:
        if path not in self._parsed:
            try:
                self._parsed[path] = parse_config(path, self._files[path])
            except ConfigError as e:
                self._parsed[path] = e
        parsed = self._parsed[path]
        if isinstance(parsed, ConfigError):
            raise parsed
        return parsed

    def find(self, test_path: str) -> PytestConfig | None:
        """The configuration pytest would use for `test_path` (ConfigError if unreadable)."""
        for path in candidate_paths(test_path):
            if path in self._files:
                config = self._parse(path)
                if config is not None:
                    return config
        return None
