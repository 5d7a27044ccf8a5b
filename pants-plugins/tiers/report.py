"""`pants tiers ::`: test targets and files per tier, and the targets that break the rule."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pants.engine.console import Console
from pants.engine.goal import Goal
from pants.engine.rules import collect_rules, goal_rule
from pants.engine.target import Targets

from tiers.subsystem import ReportFormat, TierFieldSet, TiersSubsystem
from tiers.vocabulary import TierVocabulary


class TiersGoal(Goal):
    subsystem_cls = TiersSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


@dataclass
class TierCounts:
    targets: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)


@dataclass
class TierReport:
    counts: dict[str, TierCounts]
    untagged: list[str]
    conflicting: list[tuple[str, list[str]]]

    @property
    def ok(self) -> bool:
        return not self.untagged and not self.conflicting

    def to_json(self) -> str:
        return json.dumps(
            {
                "tiers": {
                    tier: {"targets": len(c.targets), "files": len(c.files)}
                    for tier, c in self.counts.items()
                },
                "untagged": self.untagged,
                "conflicting": [{"address": a, "tiers": t} for a, t in self.conflicting],
            },
            indent=2,
            sort_keys=True,
        )

    def to_text(self) -> str:
        lines = [
            f"{tier}: {len(c.targets)} target(s), {len(c.files)} file(s)"
            for tier, c in self.counts.items()
        ]
        if self.untagged:
            lines.append(f"untagged: {len(self.untagged)}")
            lines.extend(f"  {address}" for address in self.untagged)
        if self.conflicting:
            lines.append(f"conflicting: {len(self.conflicting)}")
            lines.extend(f"  {a} ({', '.join(t)})" for a, t in self.conflicting)
        return "\n".join(lines)


def build_report(field_sets: list[TierFieldSet], vocabulary: TierVocabulary) -> TierReport:
    report = TierReport({tier: TierCounts() for tier in vocabulary.tiers}, [], [])
    for fs in sorted(field_sets, key=lambda f: f.address):
        tier = vocabulary.tier_of(fs.tag_values)
        named = vocabulary.tiers_in(fs.tag_values)
        if tier is not None:
            owner = fs.address.maybe_convert_to_target_generator().spec
            report.counts[tier].targets.add(owner)
            report.counts[tier].files.add(fs.source.file_path)
        elif named:
            report.conflicting.append((fs.address.spec, named))
        else:
            report.untagged.append(fs.address.spec)
    return report


@goal_rule
async def tiers_report(console: Console, tiers: TiersSubsystem, targets: Targets) -> TiersGoal:
    field_sets = [TierFieldSet.create(t) for t in targets if TierFieldSet.is_applicable(t)]
    report = build_report(field_sets, tiers.vocabulary)
    console.print_stdout(
        report.to_json() if tiers.format == ReportFormat.json else report.to_text()
    )
    return TiersGoal(exit_code=0 if report.ok else 1)


def rules():
    return collect_rules()
