"""Which paths are BUILD files (Pants' default `[GLOBAL].build_patterns`)."""

from __future__ import annotations

import fnmatch
from pathlib import PurePosixPath

BUILD_PATTERNS = ("BUILD", "BUILD.*")


def is_build_file(path: str) -> bool:
    name = PurePosixPath(path).name
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in BUILD_PATTERNS)
