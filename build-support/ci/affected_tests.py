"""Run one test tier on exactly the test files a change can affect.

Pants' `--changed-since` selects the tests that own or depend on a changed file, but it misses
changes that alter how tests run without being in the target graph (a parent's
`__defaults__`, pytest configuration, Pants configuration or plugins, lockfiles, deleted
modules). Those escalate to the whole tier (change_escalation.py); otherwise the selection is
Pants' own, restricted to `python_test` targets of the tier, printed with a reason per file.

Usage: affected_tests.py [--list] [--pants CMD] BASE TIER [-- EXTRA_TEST_ARGS...]
  BASE   the ref the change is measured from (its merge base with HEAD), e.g. origin/main
  TIER   a name from pants.toml [tiers].names (unit, integration)
Exit: the test run's exit code; 0 when nothing is affected; 2 for bad input.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest_tiers_on_path  # noqa: F401  (before the modules that import pytest_tiers)
from change_escalation import BuildText, Escalation, escalations, is_build_file
from git_changes import ChangeSet, GitError, changes_since, repo_root, text_at
from pants_selection import Pants, PantsError, SelectedTest, select

from pytest_tiers.messages import ProblemError

USAGE_ERROR = 2


class UsageError(ProblemError):
    """Bad input: exit 2 with a message that says where, what, and how to fix it."""


def check_tier(pants: Pants, tier: str) -> None:
    """`tier` must be one of `[tiers].names` as Pants reads it (pants.toml, the files named in
    PANTS_CONFIG_FILES, PANTS_TIERS_NAMES): no built-in default stands in for it."""
    tiers = pants.option("tiers", "names")
    if tiers is None:
        raise UsageError(
            f"{pants.repo / 'pants.toml'}",
            "Pants has no `[tiers]` options here, so the test tiers are unknown.",
            'enable the tiers plugin: add "tiers" to [GLOBAL].backend_packages.',
        )
    if tier not in tiers:
        raise UsageError(
            "affected_tests",
            f"unknown tier {tier!r}; the tiers (`[tiers].names` in Pants' configuration) are: "
            f"{', '.join(tiers)}.",
            "pass one of them.",
        )


def build_texts(repo: Path, changes: ChangeSet) -> dict[str, BuildText]:
    """Both sides of each changed BUILD file: the escalation rule looks at both."""
    texts = {}
    for changed in changes.paths:
        if is_build_file(changed.path):
            texts[changed.path] = BuildText(
                before=text_at(repo, changes.merge_base, changed.path)
                if changed.existed_before
                else None,
                after=(repo / changed.path).read_text() if changed.exists_now else None,
            )
    return texts


@dataclass(frozen=True)
class Plan:
    """What to run: the whole tier (escalations non-empty) or the selected files."""

    tier: str
    escalations: tuple[Escalation, ...]
    files: tuple[str, ...]
    selected: tuple[SelectedTest, ...]

    def lines(self) -> list[str]:
        if self.escalations:
            head = [e.line(self.tier) for e in self.escalations]
            head.append(f"running all {len(self.files)} {self.tier} test file(s):")
            return head + [f"  {path}" for path in self.files]
        if not self.selected:
            return [f"nothing affected: no {self.tier} test depends on a changed file."]
        head = [f"running {len(self.selected)} affected {self.tier} test file(s):"]
        return head + [f"  {s.path}: {s.reason}" for s in self.selected]


def plan(repo: Path, pants: Pants, changes: ChangeSet, tier: str) -> Plan:
    found = escalations(((p.path, p.deleted) for p in changes.paths), build_texts(repo, changes))
    if found:
        return Plan(tier, tuple(found), tuple(pants.tier_files(tier)), ())
    if not changes.paths:
        return Plan(tier, (), (), ())
    selected = select(pants.changed_graph(changes.merge_base), changes.files, tier)
    return Plan(tier, (), tuple(s.path for s in selected), tuple(selected))


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    args = list(argv)
    extra = args[args.index("--") + 1 :] if "--" in args else []
    own = args[: args.index("--")] if "--" in args else args
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        usage="%(prog)s [--list] [--pants CMD] BASE TIER [-- EXTRA_TEST_ARGS...]",
    )
    parser.add_argument("base", help="ref to measure the change from, e.g. origin/main")
    parser.add_argument("tier", help="test tier, e.g. unit or integration")
    parser.add_argument("--list", action="store_true", help="print the selection, run nothing")
    parser.add_argument("--pants", help="command that starts Pants (default: the repo's ./pants)")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="repository (default: .)")
    return parser.parse_args(own), extra


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        repo = repo_root(args.repo)
        changes = changes_since(repo, args.base)
        pants = Pants(repo, shlex.split(args.pants) if args.pants else [str(repo / "pants")])
        check_tier(pants, args.tier)
    except (GitError, UsageError) as e:
        print(e, file=sys.stderr)
        return USAGE_ERROR
    except PantsError as e:
        print(e, file=sys.stderr)
        return 1
    print(
        f"affected_tests: {args.tier} tier, {len(changes.paths)} file(s) changed since "
        f"{args.base} (merge base {changes.merge_base[:12]})",
        flush=True,
    )
    try:
        the_plan = plan(repo, pants, changes, args.tier)
    except PantsError as e:
        print(e, file=sys.stderr)
        return 1
    print("\n".join(the_plan.lines()), flush=True)
    if args.list or not the_plan.files:
        return 0
    if the_plan.escalations:
        return pants.test_tier(args.tier, extra)
    return pants.test_changed(changes.merge_base, args.tier, extra)


if __name__ == "__main__":
    sys.exit(main())
