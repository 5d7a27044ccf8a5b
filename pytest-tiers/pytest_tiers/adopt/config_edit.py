"""The pytest configuration edit of `pytest-tiers adopt --write`: text in, text out.

Adds what is missing and keeps everything else, comments included (`configupdater` for INI
files, `tomlkit` for TOML): the tier markers, `--strict-markers`,
`asyncio_default_fixture_loop_scope` (when pytest-asyncio is installed) and the plugin's keys.
A second edit changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import tomlkit
from configupdater import ConfigUpdater

from pytest_tiers.config_files import ATTEMPTS_KEY, SERVICE_ENV_VARS_KEY, TIERS_KEY

MARKER_HELP = {
    "unit": "hermetic tests: no network, no service (pytest-tiers)",
    "integration": "tests that need real services (pytest-tiers)",
}


@dataclass(frozen=True)
class Wanted:
    tiers: tuple[str, ...]
    service_env_vars: tuple[str, ...] = ()
    asyncio_loop_scope: bool = False
    attempts: tuple[str, ...] = ()  # `TIER=N` words of pants.toml's [tiers].attempts
    marker_help: Mapping[str, str] = field(default_factory=lambda: dict(MARKER_HELP))

    def marker_lines(self, present: Sequence[str]) -> list[str]:
        names = {_marker_name(line) for line in present}
        return [
            f"{tier}: {self.marker_help.get(tier, 'a test tier (pytest-tiers)')}"
            for tier in self.tiers
            if tier not in names
        ]


def _marker_name(entry: str) -> str:
    return entry.split(":", 1)[0].split("(", 1)[0].strip()


def section_for(file_name: str) -> str:
    """Where a configuration file keeps pytest's settings."""
    return {
        "pyproject.toml": "tool.pytest.ini_options",
        "pytest.toml": "pytest",
        ".pytest.toml": "pytest",
        "setup.cfg": "tool:pytest",
    }.get(file_name, "pytest")


def edit_config(file_name: str, text: str, wanted: Wanted) -> str:
    if file_name.endswith(".toml"):
        return edit_toml(text, section_for(file_name), wanted)
    return edit_ini(text, section_for(file_name), wanted)


def edit_ini(text: str, section_name: str, wanted: Wanted) -> str:
    updater = ConfigUpdater()
    updater.read_string(text)
    if not updater.has_section(section_name):
        if text and not text.endswith("\n"):
            updater.read_string(text + "\n")
        if updater.sections():
            updater[updater.sections()[-1]].add_after.space(1).section(section_name)
        else:
            updater.add_section(section_name)
    section = updater[section_name]

    markers = section.get("markers")
    present = [] if markers is None else [
        line.strip() for line in (markers.value or "").splitlines() if line.strip()
    ]
    missing = wanted.marker_lines(present)
    if missing:
        if markers is None:
            section.set("markers")
            section["markers"].set_values(missing)
        else:
            section["markers"].set_values(present + missing)

    addopts = section.get("addopts")
    if addopts is None:
        section.set("addopts", "--strict-markers")
    elif "--strict-markers" not in (addopts.value or "").split() and "--strict" not in (
        addopts.value or ""
    ).split():
        value = (addopts.value or "").rstrip()
        addopts.value = f"{value} --strict-markers".strip() if "\n" not in value else (
            value + "\n--strict-markers"
        )

    if wanted.asyncio_loop_scope and section.get("asyncio_default_fixture_loop_scope") is None:
        section.set("asyncio_default_fixture_loop_scope", "function")
    if (section.get(TIERS_KEY).value if section.get(TIERS_KEY) else "").split() != list(
        wanted.tiers
    ):
        section.set(TIERS_KEY, " ".join(wanted.tiers))
    if wanted.service_env_vars and section.get(SERVICE_ENV_VARS_KEY) is None:
        section.set(SERVICE_ENV_VARS_KEY, " ".join(wanted.service_env_vars))
    if wanted.attempts and section.get(ATTEMPTS_KEY) is None:
        section.set(ATTEMPTS_KEY, " ".join(wanted.attempts))
    out = io.StringIO()
    updater.write(out)
    return out.getvalue()


def edit_toml(text: str, table_path: str, wanted: Wanted) -> str:
    document = tomlkit.parse(text)
    table = document
    for key in table_path.split("."):
        if key not in table:
            new = tomlkit.table(is_super_table=key != table_path.split(".")[-1])
            table[key] = new  # type: ignore[index]
        table = table[key]  # type: ignore[index,assignment]

    markers = table.get("markers")
    present = [str(m) for m in markers] if markers is not None else []
    missing = wanted.marker_lines(present)
    if missing:
        if markers is None:
            array = tomlkit.array()
            array.extend(missing)
            array.multiline(True)
            table["markers"] = array
        else:
            markers.extend(missing)

    addopts = table.get("addopts")
    if addopts is None:
        table["addopts"] = ["--strict-markers"]
    elif isinstance(addopts, str):
        if "--strict-markers" not in addopts.split() and "--strict" not in addopts.split():
            table["addopts"] = f"{addopts} --strict-markers".strip()
    elif "--strict-markers" not in [str(a) for a in addopts] and "--strict" not in [
        str(a) for a in addopts
    ]:
        addopts.append("--strict-markers")

    if wanted.asyncio_loop_scope and "asyncio_default_fixture_loop_scope" not in table:
        table["asyncio_default_fixture_loop_scope"] = "function"
    current = table.get(TIERS_KEY)
    current_words = (
        str(current).split() if isinstance(current, str) else [str(t) for t in current or []]
    )
    if current_words != list(wanted.tiers):
        table[TIERS_KEY] = list(wanted.tiers)
    if wanted.service_env_vars and SERVICE_ENV_VARS_KEY not in table:
        table[SERVICE_ENV_VARS_KEY] = list(wanted.service_env_vars)
    if wanted.attempts and ATTEMPTS_KEY not in table:
        table[ATTEMPTS_KEY] = list(wanted.attempts)
    return tomlkit.dumps(document)
