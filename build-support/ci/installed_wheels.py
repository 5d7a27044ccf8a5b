"""Whether a locked distribution registers a pytest plugin, read from the wheels pex has
installed on this machine (Pants' named cache `pex_root/installed_wheels/`).

A lockfile names projects and versions, not entry points; pytest loads every installed
distribution's `pytest11` entry point for every test. pex unpacks each wheel it installs under
`installed_wheels/<hash>/<wheel file name>/`, with its `*.dist-info/entry_points.txt`. When no
installed copy is found the answer is None (unknown), and the lockfile rule widens.
"""

from __future__ import annotations

import configparser
from pathlib import Path

from scoping.lockfile_scopes import canonical


class InstalledWheels:
    def __init__(self, named_caches_dir: Path) -> None:
        self.root = named_caches_dir / "pex_root" / "installed_wheels"
        self._index: dict[tuple[str, str], list[Path]] | None = None

    def _entries(self) -> dict[tuple[str, str], list[Path]]:
        if self._index is None:
            self._index = {}
            for wheel in self.root.glob("*/*.whl") if self.root.is_dir() else ():
                name, _, rest = wheel.name.partition("-")
                version = rest.partition("-")[0]
                self._index.setdefault((canonical(name), version), []).append(wheel)
        return self._index

    def registers_pytest_plugin(self, project: str, version: str) -> bool | None:
        wheels = self._entries().get((canonical(project), version))
        if not wheels:
            return None
        for wheel in wheels:
            for entry_points in wheel.glob("*.dist-info/entry_points.txt"):
                parser = configparser.ConfigParser(interpolation=None)
                try:
                    parser.read_string(entry_points.read_text(encoding="utf-8"))
                except (configparser.Error, UnicodeDecodeError, OSError):
                    return None
                if parser.has_section("pytest11"):
                    return True
        return False
