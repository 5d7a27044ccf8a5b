"""The `pytest-tiers` command line (also `python -m pytest_tiers`).

    pytest-tiers adopt [--format=text|json] [--write] [--static] [--timeout=SECONDS]
                       [-- PYTEST_ARGS...]

Run it from the directory pytest runs in, in the suite's own virtualenv, with its services up.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pytest_tiers.adopt.apply import apply_plan, verify
from pytest_tiers.adopt.decide import Plan, decide, decide_static, relocate
from pytest_tiers.adopt.run import RunFailed, Runner, observed_endpoints, unreachable
from pytest_tiers.messages import render


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pytest-tiers")
    commands = parser.add_subparsers(dest="command", required=True)
    adopt = commands.add_parser(
        "adopt",
        help="decide each test file's tier from a normal and a sealed run (connect(2) "
        "denied), print the plan with its evidence, and with --write declare it",
    )
    adopt.add_argument("--format", choices=("text", "json"), default="text")
    adopt.add_argument(
        "--write",
        action="store_true",
        help="write each file's pytestmark, the pytest configuration and (in a Pants "
        "repository) BUILD tags, then check the result",
    )
    adopt.add_argument(
        "--static",
        action="store_true",
        help="decide without running the tests, from pytest's collection (fixture closures, "
        "the drivers their modules import); each decision says its confidence",
    )
    adopt.add_argument("--timeout", type=float, default=1800.0, help="per pytest run, seconds")
    adopt.add_argument("pytest_args", nargs="*", help="passed to every pytest run (after --)")
    return parser


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def render_text(plan: Plan, down: dict[str, str]) -> str:
    unit = sum(1 for f in plan.files if f.tier == "unit")
    integration = len(plan.files) - unit
    mixed = sum(1 for f in plan.files if f.mixed)
    undecided = sum(1 for f in plan.files if not f.decided)
    lines = [
        f"pytest-tiers adopt: {len(plan.files)} file(s): {unit} unit, {integration} integration"
        f" ({mixed} mixed, {undecided} undecided); {len(plan.failing)} failing"
    ]
    for file_plan in plan.files:
        tags = []
        if file_plan.mixed:
            tags.append("mixed")
        if not file_plan.decided:
            tags.append("undecided")
        if file_plan.services:
            tags.append("services: " + ", ".join(file_plan.services))
        suffix = f"  ({'; '.join(tags)})" if tags else ""
        lines.append(f"{file_plan.tier:<12} {file_plan.path}{suffix}")
        lines.extend(f"    - {line}" for line in file_plan.evidence)
    if plan.failing:
        lines.append("failing even with the network allowed (left out of the decision):")
        lines.extend(f"    {nodeid}" for nodeid in plan.failing)
    lines.extend(unreachable_problems(down))
    return "\n".join(lines)


def unreachable_problems(down: dict[str, str]) -> list[str]:
    """One message per observed service that does not accept a connection."""
    return [
        render(
            "pytest-tiers adopt",
            f"{service} is not reachable ({why}); tests that need it fail even with the "
            "network allowed and are left out of the decision.",
            f"start {service}, then re-run `pytest-tiers adopt`.",
        )
        for service, why in down.items()
    ]


def adopt(args: argparse.Namespace) -> int:
    cwd = Path.cwd()
    runner = Runner(cwd, tuple(args.pytest_args), args.timeout, _log)
    try:
        if args.static:
            normal = runner.run("static collection", sealed=False, extra=["--collect-only"])
        else:
            normal, sealed, alone = runner.evidence()
    except RunFailed as error:
        print(render("pytest-tiers adopt", str(error), "fix what stops pytest, then re-run."))
        return 2
    ports = {int(k): v for k, v in normal.get("service_ports", {}).items()}
    rootdir = Path(normal["rootdir"])
    plan = decide_static(normal) if args.static else decide(normal, sealed, alone, ports)
    path_of = {
        f.path: os.path.relpath(rootdir / f.path, cwd) for f in plan.files
    }
    plan = relocate(plan, path_of)
    down = {} if args.static else unreachable(observed_endpoints([normal]))
    if args.format == "json":
        print(json.dumps(plan.to_json(), indent=2))
        for problem in unreachable_problems(down):  # stdout holds the JSON alone
            _log(problem)
    else:
        print(render_text(plan, down))
    if not args.write:
        return 0
    applied = apply_plan(plan, cwd, normal.get("inipath"), rootdir)
    out = sys.stderr if args.format == "json" else sys.stdout
    print(
        "wrote: " + (", ".join(applied.changed) if applied.changed else "nothing (already so)"),
        file=out,
    )
    for problem in applied.problems:
        print(f"not edited: {problem}", file=out)
    unit_files = [f.path for f in plan.files if f.tier == "unit"]
    checks = verify(cwd, rootdir, unit_files, plan.failing, tuple(args.pytest_args), args.timeout, _log)
    for check in checks:
        print(f"check: {check.name}: {'ok' if check.ok else 'FAILED'}: {check.detail}", file=out)
    return 0 if all(c.ok for c in checks) and not applied.problems else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "adopt":
        return adopt(args)
    return 2  # pragma: no cover - argparse rejects other commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
