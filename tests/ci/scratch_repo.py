"""A scratch git repository made from tests/ci/fixtures/scratch_repo, for the selection tests.

`main` holds the fixture as the base commit; each case commits its change on a branch of its
own, so one repository (and one Pants cache) serves every case of a test module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "scratch_repo"

# Commits must not depend on the user's or the machine's git configuration.
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "ci-tests",
    "GIT_AUTHOR_EMAIL": "ci-tests@example.invalid",
    "GIT_COMMITTER_NAME": "ci-tests",
    "GIT_COMMITTER_EMAIL": "ci-tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


class ScratchRepo:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def create(cls, root: Path) -> ScratchRepo:
        assert (FIXTURE / "pants.toml").is_file(), f"fixture tree missing at {FIXTURE}"
        shutil.copytree(FIXTURE, root)
        repo = cls(root)
        repo.git("init", "--quiet", "--initial-branch=main")
        repo.git("add", "--all")
        repo.git("commit", "--quiet", "--message=base")
        return repo

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(self.root), *args],
            env={**os.environ, **_GIT_ENV},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
        return result.stdout

    def branch(self, name: str) -> None:
        """A fresh branch off the base commit, with a clean work tree."""
        self.git("checkout", "--quiet", "--force", "-B", name, "main")
        self.git("clean", "--quiet", "-d", "--force")

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def append(self, path: str, text: str) -> None:
        self.write(path, (self.root / path).read_text() + text)

    def commit(self, message: str) -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", f"--message={message}")
