"""What a change touched, read from git the way `pants --changed-since` reads it.

Pants 2.17 takes the union of `git diff --name-only BASE...HEAD` (committed on this branch since
the merge base), `git diff --name-only HEAD` (uncommitted) and untracked files. This module
builds the same set, with two differences that the escalation rules need:

- `--no-renames`, so a rename shows its old path too (plain `git diff` prints only the new one,
  and Pants never learns that the old module is gone);
- per path, whether it existed at the merge base and whether it exists now, so deletions and
  the pre-change text of a BUILD file can be judged.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from pytest_tiers.messages import ProblemError


class GitError(ProblemError):
    """git cannot answer: the message says where, what, and how to fix it."""


@dataclass(frozen=True)
class ChangedPath:
    path: str
    existed_before: bool
    exists_now: bool

    @property
    def deleted(self) -> bool:
        return self.existed_before and not self.exists_now


@dataclass(frozen=True)
class ChangeSet:
    base: str
    merge_base: str
    paths: tuple[ChangedPath, ...]

    @property
    def files(self) -> frozenset[str]:
        return frozenset(p.path for p in self.paths)


def _git(repo: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError as e:
        raise GitError("git", "git is not installed or not on PATH.", "install git.") from e
    if result.returncode != 0:
        raise GitError(
            str(repo),
            f"`git {' '.join(args)}` failed: {result.stderr.strip()}",
            "see git's message above.",
        )
    return result.stdout


def repo_root(start: Path) -> Path:
    """The work tree root containing `start`; a clear error when it is not in a git repo."""
    try:
        return Path(_git(start, "rev-parse", "--show-toplevel").strip())
    except GitError as e:
        raise GitError(
            str(start),
            f"not inside a git work tree ({e.problem.problem})",
            "run this from a clone of the repository.",
        ) from e


def merge_base(repo: Path, base: str) -> str:
    """The commit where HEAD's branch left `base`: the same point Pants diffs from."""
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except GitError as e:
        raise GitError(
            str(repo),
            f"base ref {base!r} does not name a commit.",
            "fetch it first (e.g. `git fetch origin main`, or `fetch-depth: 0` in "
            "actions/checkout), or pass an existing ref such as origin/main.",
        ) from e
    try:
        return _git(repo, "merge-base", base, "HEAD").strip()
    except GitError as e:
        raise GitError(
            str(repo),
            f"HEAD and {base!r} have no merge base (a shallow clone?).",
            "fetch more history (`git fetch --unshallow`, or `fetch-depth: 0` in "
            "actions/checkout).",
        ) from e


def _names(output: str) -> set[str]:
    return {name for name in output.split("\0") if name}


def changes_since(repo: Path, base: str) -> ChangeSet:
    """Every path changed between the merge base with `base` and the work tree."""
    mb = merge_base(repo, base)
    committed = _git(repo, "diff", "--name-only", "--no-renames", "-z", f"{mb}...HEAD")
    uncommitted = _git(repo, "diff", "--name-only", "--no-renames", "-z", "HEAD")
    untracked = _git(repo, "ls-files", "--others", "--exclude-standard", "--full-name", "-z")
    paths = sorted(_names(committed) | _names(uncommitted) | _names(untracked))
    before = (
        _names(_git(repo, "ls-tree", "-r", "-z", "--name-only", mb, "--", *paths))
        if paths
        else set()
    )
    return ChangeSet(
        base=base,
        merge_base=mb,
        paths=tuple(
            ChangedPath(path, existed_before=path in before, exists_now=(repo / path).is_file())
            for path in paths
        ),
    )


def text_at(repo: Path, commit: str, path: str) -> str:
    """A file's text at `commit` (the caller knows it existed there)."""
    return _git(repo, "show", f"{commit}:{path}")


def texts_at(repo: Path, commit: str, suffixes: tuple[str, ...]) -> dict[str, str]:
    """Every file at `commit` whose name ends with one of `suffixes`, by path, with its text
    (one `git cat-file --batch` for all; files that are not UTF-8 are left out)."""
    names = [
        n
        for n in _names(_git(repo, "ls-tree", "-r", "-z", "--name-only", commit))
        if n.endswith(suffixes)
    ]
    if not names:
        return {}
    request = "".join(f"{commit}:{n}\n" for n in names).encode()
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), "cat-file", "--batch"],
            input=request,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as e:
        raise GitError(
            str(repo), f"`git cat-file --batch` failed: {e}", "see git's message."
        ) from e
    out, texts, position = result.stdout, {}, 0
    for name in names:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split()[2])
        body = out[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
        try:
            texts[name] = body.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def tracked_files(repo: Path) -> list[str]:
    """Files in the work tree as Pants sees them: tracked (not deleted) and untracked."""
    tracked = _names(_git(repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard"))
    return sorted(p for p in tracked if (repo / p).is_file())
