"""Decision gates: what must be true of a project before it may enter the next stage.

Gates are pure functions of `ProjectFacts`, gathered by the service layer, so each rule can be
tested without storage and each refusal carries the reasons a user can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jobpipe.domain.projects import Stage


@dataclass(frozen=True)
class ProjectFacts:
    succeeded_jobs: int
    active_jobs: int
    artifacts: int


@dataclass(frozen=True)
class GateDecision:
    target: Stage
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.reasons


def _enter_build(facts: ProjectFacts) -> list[str]:
    return []


def _enter_review(facts: ProjectFacts) -> list[str]:
    reasons = []
    if facts.succeeded_jobs < 1:
        reasons.append("at least one job must have succeeded")
    if facts.artifacts < 1:
        reasons.append("at least one artifact must exist")
    return reasons


def _enter_released(facts: ProjectFacts) -> list[str]:
    reasons = _enter_review(facts)
    if facts.active_jobs > 0:
        reasons.append(f"{facts.active_jobs} job(s) are still queued or running")
    return reasons


_GATES: dict[Stage, Callable[[ProjectFacts], list[str]]] = {
    Stage.BUILD: _enter_build,
    Stage.REVIEW: _enter_review,
    Stage.RELEASED: _enter_released,
}


def check_gate(target: Stage, facts: ProjectFacts) -> GateDecision:
    """Decide whether a project with these facts may enter `target`."""
    return GateDecision(target=target, reasons=tuple(_GATES[target](facts)))
