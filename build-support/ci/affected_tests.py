"""Run one test tier on exactly the test files a change can affect.

Pants' `--changed-since` selects the tests that own or depend on a changed file, but it misses
changes that alter how tests run without being in the target graph (a parent's
`__defaults__`, pytest configuration, Pants configuration or plugins, lockfiles, deleted
modules). Each of those is scoped to the tests it can reach (change_escalation.py and
scoping/), the whole tier only when nothing smaller is safe. The selection is the union of
Pants' own (restricted to `python_test` targets of the tier) and each scope's test files, run
as explicit file specs, printed with a reason per file.

Usage: affected_tests.py [--list] [--pants CMD] BASE TIER [-- EXTRA_TEST_ARGS...]
       affected_tests.py --list [--pants CMD] BASE TIER TIER...
  BASE   the ref the change is measured from (its merge base with HEAD), e.g. origin/main
  TIER   a name from pants.toml [tiers].names (unit, integration); with --list, several tiers
         are planned from one set of Pants queries and printed one after the other
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
from change_escalation import (
    Changed,
    ChangeFacts,
    PantsFacts,
    needs_texts,
    scopes,
)
from git_changes import (
    ChangeSet,
    GitError,
    changes_since,
    repo_root,
    text_at,
    texts_at,
    tracked_files,
)
from installed_wheels import InstalledWheels
from pants_selection import Pants, PantsError, SelectedTest, select
from scoping.lockfile_scopes import ResolveFacts
from scoping.pytest_scopes import FileTexts
from scoping.python_imports import PYTHON_SUFFIXES
from scoping.scope import WHOLE, Scope, TierGraph, resolve_reach
from selection_summary import markdown

from pytest_tiers.config_files import PYTEST_CONFIG_NAMES
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


def file_texts(
    repo: Path, changes: ChangeSet, also: frozenset[str] = frozenset()
) -> dict[str, FileTexts]:
    """Both sides of each changed file a scope rule reads (`also`: the resolves' lockfiles,
    whatever their names)."""
    texts = {}
    for changed in changes.paths:
        if needs_texts(changed.path) or changed.path in also:
            texts[changed.path] = FileTexts(
                before=text_at(repo, changes.merge_base, changed.path)
                if changed.existed_before
                else None,
                after=(repo / changed.path).read_text() if changed.exists_now else None,
            )
    return texts


def _relative(repo: Path, paths: object, keep_outside: bool = False) -> tuple[str, ...]:
    """Repository-relative paths; paths outside the repository are dropped (no change here
    touches them) or, with `keep_outside`, kept absolute (plugin code is read there too)."""
    found = []
    for raw in paths if isinstance(paths, list) else []:
        path = Path(str(raw).replace("%(buildroot)s", str(repo)))
        path = (path if path.is_absolute() else repo / path).resolve()
        try:
            relative = path.relative_to(repo.resolve()).as_posix()
            found.append("" if relative == "." else relative)
        except ValueError:
            if keep_outside:
                found.append(path.as_posix())
    return tuple(found)


def pants_facts(repo: Path, pants: Pants, deleted_python: bool) -> PantsFacts:
    resolves = pants.option("python", "resolves") or {}
    return PantsFacts(
        config_files=_relative(repo, pants.option("", "pants_config_files")),
        pythonpath=_relative(repo, pants.option("", "pythonpath"), keep_outside=True),
        backend_packages=tuple(pants.option("", "backend_packages") or ()),
        prelude_globs=tuple(pants.option("", "build_file_prelude_globs") or ()),
        resolves=ResolveFacts(
            lockfiles={path: name for name, path in resolves.items()},
            pytest_resolve=pants.option("pytest", "install_from_resolve"),
            default_resolve=pants.option("python", "default_resolve"),
            pytest_requirements=tuple(pants.option("pytest", "requirements") or ()),
        ),
        source_roots=tuple(pants.source_roots()) if deleted_python else (),
    )


def change_facts(repo: Path, pants: Pants, changes: ChangeSet) -> ChangeFacts:
    """Everything the scope rules read, gathered with git and Pants."""
    changed = [Changed(p.path, p.existed_before, p.exists_now) for p in changes.paths]
    deleted_python = any(c.deleted and c.path.endswith(PYTHON_SUFFIXES) for c in changed)
    facts = pants_facts(repo, pants, deleted_python)
    files = tracked_files(repo)
    plugin_sources = {
        f: (repo / f).read_text(errors="replace")
        for f in files
        if f.endswith(".py") and any(r == "" or f.startswith(r + "/") for r in facts.pythonpath)
    }
    for root in (Path(r) for r in facts.pythonpath if r.startswith("/")):
        plugin_sources.update(
            (p.as_posix(), p.read_text(errors="replace")) for p in root.rglob("*.py")
        )
    named_caches = pants.option("", "named_caches_dir")
    wheels = InstalledWheels(Path(named_caches)) if named_caches else None
    return ChangeFacts(
        changed=changed,
        texts=file_texts(repo, changes, frozenset(facts.resolves.lockfiles)),
        graph=TierGraph(pants.whole_graph(), facts.resolves.default_resolve),
        pants=facts,
        current_configs={
            f: (repo / f).read_text(errors="replace")
            for f in files
            if Path(f).name in PYTEST_CONFIG_NAMES
        },
        plugin_sources=plugin_sources,
        base_sources=texts_at(repo, changes.merge_base, PYTHON_SUFFIXES) if deleted_python else {},
        registers_pytest_plugin=(
            wheels.registers_pytest_plugin if wheels else (lambda name, version: None)
        ),
    )


@dataclass(frozen=True)
class Plan:
    """What to run: the whole tier (an escalation), or the selected files with their reasons."""

    tier: str
    scopes: tuple[Scope, ...]
    files: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]  # (file, reason) for a scoped or graph selection
    total: int = 0  # the tier's test files (0 when nothing changed and nothing was asked)

    @property
    def whole_tier(self) -> bool:
        return any(s.reach.whole for s in self.scopes)

    @property
    def scope_lines(self) -> list[str]:
        ordered = sorted(self.scopes, key=lambda s: (not s.reach.whole, s.path))
        return [s.line(self.tier) for s in ordered]

    def lines(self) -> list[str]:
        head = self.scope_lines
        if self.whole_tier:
            head.append(f"running all {len(self.files)} {self.tier} test file(s):")
            return [*head, *(f"  {path}" for path in self.files)]
        if not self.files:
            return [*head, f"nothing affected: no {self.tier} test depends on a changed file."]
        head.append(f"running {len(self.files)} affected {self.tier} test file(s):")
        return [*head, *(f"  {path}: {reason}" for path, reason in self.reasons)]


def _merge(selected: list[SelectedTest], scoped: dict[str, list[str]]) -> list[tuple[str, str]]:
    reasons: dict[str, list[str]] = {s.path: [s.reason] for s in selected}
    for path, why in scoped.items():
        reasons.setdefault(path, []).extend(why)
    return [(path, "; ".join(reasons[path])) for path in sorted(reasons)]


def plan_tiers(repo: Path, pants: Pants, changes: ChangeSet, tiers: list[str]) -> dict[str, Plan]:
    """The plan of each tier, from one set of Pants queries (help-all, the whole graph, the
    changed-since graph)."""
    if not changes.paths:
        return {tier: Plan(tier, (), (), ()) for tier in tiers}
    facts = change_facts(repo, pants, changes)
    found = scopes(facts)
    whole = any(s.reach.whole for s in found)
    replaced = [s.path for s in found if s.replaces_graph]
    changed_graph = {} if whole else pants.changed_graph(changes.merge_base)
    plans = {}
    for tier in tiers:
        everything = resolve_reach(WHOLE, facts.graph, tier)
        if whole:
            plans[tier] = Plan(tier, tuple(found), tuple(everything), (), len(everything))
            continue
        selected = select(changed_graph, changes.files, tier, replaced)
        scoped: dict[str, list[str]] = {}
        for scope in found:
            for path in resolve_reach(scope.reach, facts.graph, tier):
                scoped.setdefault(path, []).append(f"in scope of {scope.path}")
        reasons = _merge(selected, scoped)
        plans[tier] = Plan(
            tier, tuple(found), tuple(p for p, _ in reasons), tuple(reasons), len(everything)
        )
    return plans


def plan(repo: Path, pants: Pants, changes: ChangeSet, tier: str) -> Plan:
    return plan_tiers(repo, pants, changes, [tier])[tier]


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    args = list(argv)
    extra = args[args.index("--") + 1 :] if "--" in args else []
    own = args[: args.index("--")] if "--" in args else args
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        usage="%(prog)s [--list] [--pants CMD] BASE TIER [TIER...] [-- EXTRA_TEST_ARGS...]",
    )
    parser.add_argument("base", help="ref to measure the change from, e.g. origin/main")
    parser.add_argument(
        "tiers", nargs="+", metavar="TIER", help="test tier, e.g. unit (several with --list)"
    )
    parser.add_argument("--list", action="store_true", help="print the selection, run nothing")
    parser.add_argument("--pants", help="command that starts Pants (default: the repo's ./pants)")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="repository (default: .)")
    parser.add_argument(
        "--summary",
        type=Path,
        help="append the selection as Markdown to this file (e.g. the job summary)",
    )
    return parser.parse_args(own), extra


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if len(args.tiers) > 1 and not args.list:
            raise UsageError(
                "affected_tests",
                f"{len(args.tiers)} tiers given ({', '.join(args.tiers)}); a run tests one tier.",
                "pass one tier, or add --list to print the selection of each.",
            )
        repo = repo_root(args.repo)
        changes = changes_since(repo, args.base)
        pants = Pants(repo, shlex.split(args.pants) if args.pants else [str(repo / "pants")])
        for tier in args.tiers:
            check_tier(pants, tier)
    except (GitError, UsageError) as e:
        print(e, file=sys.stderr)
        return USAGE_ERROR
    except PantsError as e:
        print(e, file=sys.stderr)
        return 1
    try:
        plans = plan_tiers(repo, pants, changes, list(args.tiers))
    except PantsError as e:
        print(e, file=sys.stderr)
        return 1
    for tier, the_plan in plans.items():
        header = (
            f"affected_tests: {tier} tier, {len(changes.paths)} file(s) changed since "
            f"{args.base} (merge base {changes.merge_base[:12]})"
        )
        print(header, *the_plan.lines(), sep="\n", flush=True)
        if args.summary is not None:
            with args.summary.open("a", encoding="utf-8") as summary:
                summary.write(
                    markdown(
                        tier,
                        header,
                        the_plan.scope_lines,
                        the_plan.files,
                        the_plan.reasons,
                        the_plan.whole_tier,
                    )
                )
    if args.list:
        return 0
    (the_plan,) = plans.values()  # one tier: checked above
    if not the_plan.files:
        return 0
    if the_plan.whole_tier:
        return pants.test_tier(the_plan.tier, extra)
    return pants.test_files(the_plan.tier, the_plan.files, extra)


if __name__ == "__main__":
    sys.exit(main())
