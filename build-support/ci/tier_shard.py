"""Run one shard of a tier's selection: the whole tier, or what a change affects.

The selection is the one build-support/ci/check (the whole tier) or affected_tests.py (with
`--base`) would run. With recorded durations (durations_record.py) the files are split by time
(shard_plan.py) and this shard's files run as `pants --tag=TIER test FILE...`; without a record,
Pants splits the same files by count (`--test-shard=k/N`). Each shard job computes the same plan
from the same selection and record, so the shards are disjoint and together run the selection.

Usage: tier_shard.py --shard k/N [--durations FILE] [--base BASE] [--list] [--pants CMD]
                     TIER [-- EXTRA_TEST_ARGS...]
Exit: the test run's exit code; 0 when the shard (or the change) has nothing to run; 2 for bad
input.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest_tiers_on_path  # noqa: F401  (before the modules that import pytest_tiers)
from affected_tests import USAGE_ERROR, UsageError, check_tier, plan
from durations_record import DurationsError, load
from git_changes import GitError, changes_since, repo_root
from pants_selection import Pants, PantsError
from shard_plan import Shard, ShardSpecError, loads, parse_shard, partition, weights


@dataclass(frozen=True)
class ShardChoice:
    """This shard's files when durations are known; None means: let Pants split by count."""

    files: tuple[str, ...] | None
    lines: tuple[str, ...]


def choose(selection: Sequence[str], durations: Mapping[str, float], shard: Shard) -> ShardChoice:
    if not durations:
        return ShardChoice(
            None,
            (
                f"shard {shard}: no recorded durations, so Pants splits the {len(selection)} "
                f"file(s) by count (--test-shard={shard}).",
            ),
        )
    weighted = weights(selection, durations)
    shards = partition(weighted, shard.count)
    unknown = sum(path not in durations for path in selection)
    lines = [
        f"shard {shard}: {len(selection)} file(s) split by recorded duration "
        f"({unknown} unknown to the record, counted at its median):"
    ]
    for index, (files, seconds) in enumerate(zip(shards, loads(weighted, shards))):
        mark = "  <- this shard" if index == shard.index else ""
        lines.append(f"  shard {index}/{shard.count}: {len(files)} file(s), {seconds:.1f} s{mark}")
    lines += [f"    {path}" for path in shards[shard.index]]
    return ShardChoice(tuple(shards[shard.index]), tuple(lines))


def _before_passthrough(extra: Sequence[str], *flags: str) -> list[str]:
    """Pants flags go before the `--` that starts pytest's arguments."""
    cut = extra.index("--") if "--" in extra else len(extra)
    return [*extra[:cut], *flags, *extra[cut:]]


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    args = list(argv)
    cut = args.index("--") if "--" in args else len(args)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tier", help="test tier, e.g. unit or integration")
    parser.add_argument("--shard", required=True, help="k/N, numbered from 0")
    parser.add_argument("--durations", type=Path, help="the durations record (durations_record.py)")
    parser.add_argument("--base", help="shard only what the change since BASE affects")
    parser.add_argument("--list", action="store_true", help="print the plan, run nothing")
    parser.add_argument("--pants", help="command that starts Pants (default: the repo's ./pants)")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="repository (default: .)")
    return parser.parse_args(args[:cut]), args[cut + 1 :]


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        shard = parse_shard(args.shard)
        durations = load(args.durations) if args.durations else {}
        repo = repo_root(args.repo)
        pants = Pants(repo, shlex.split(args.pants) if args.pants else [str(repo / "pants")])
        check_tier(pants, args.tier)
        if args.base:
            changes = changes_since(repo, args.base)
            the_plan = plan(repo, pants, changes, args.tier)
            print("\n".join(the_plan.lines()), flush=True)
            selection = list(the_plan.files)
        else:
            selection = pants.tier_files(args.tier)
    except (ShardSpecError, DurationsError, GitError, UsageError) as e:
        print(e, file=sys.stderr)
        return USAGE_ERROR
    except PantsError as e:
        print(e, file=sys.stderr)
        return 1
    if not selection:
        print(f"shard {shard}: no {args.tier} test file selected; nothing to run.")
        return 0
    choice = choose(selection, durations, shard)
    print("\n".join(choice.lines), flush=True)
    if args.list:
        return 0
    if choice.files is None:
        flags = _before_passthrough(extra, f"--test-shard={shard}")
        return pants.test_files(args.tier, selection, flags)
    if not choice.files:
        print(f"shard {shard}: no file falls to this shard; nothing to run.")
        return 0
    return pants.test_files(args.tier, choice.files, extra)


if __name__ == "__main__":
    sys.exit(main())
