"""`pants --tag=TIER tier-selection SPECS`: fails a tier run that would test nothing.

./pants runs this goal just before `test` whenever the command line has `--tag`, in the same
Pants run, so the check costs no extra start-up and sees exactly the targets `test` will see.
"""

from __future__ import annotations

from pants.backend.python.target_types import PythonTestSourceField
from pants.engine.console import Console
from pants.engine.goal import Goal, GoalSubsystem
from pants.engine.rules import collect_rules, goal_rule
from pants.engine.target import Targets
from pants.option.global_options import GlobalOptions
from pants.vcs.changed import Changed

from tiers.selection import (
    empty_selection,
    misspelt_tags,
    nothing_affected_note,
    parse_tag_filter,
)
from tiers.subsystem import TiersSubsystem


class TierSelectionSubsystem(GoalSubsystem):
    name = "tier-selection"
    help = (
        "Fail when `--tag` names a misspelt tier, or when a tier run selects no test target "
        "(`[tiers].allow_empty_selection` allows that). ./pants runs it before every `test` "
        "given `--tag`."
    )


class TierSelectionGoal(Goal):
    subsystem_cls = TierSelectionSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


@goal_rule
async def check_tier_selection(
    console: Console,
    targets: Targets,
    global_options: GlobalOptions,
    changed: Changed,
    tiers: TiersSubsystem,
) -> TierSelectionGoal:
    terms = parse_tag_filter(global_options.tag)
    problems = misspelt_tags(terms, tiers.vocabulary)
    tests = sum(1 for t in targets if t.has_field(PythonTestSourceField))
    empty = empty_selection(
        terms,
        tiers.vocabulary,
        test_targets=tests,
        changed_since=changed.since,
    )
    if empty is not None and not tiers.allow_empty_selection:
        problems.append(empty)
    for problem in problems:
        console.print_stderr(problem.render())
    if not problems and not tests and changed.since:
        console.print_stderr(nothing_affected_note(changed.since))
    return TierSelectionGoal(exit_code=1 if problems else 0)


def rules():
    return collect_rules()
