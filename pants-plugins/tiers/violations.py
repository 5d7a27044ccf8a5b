"""Violation codes and how violations are rendered: location first, then what, then the fix
(`pytest_tiers.messages`, the shape every problem in this project takes)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pytest_tiers.messages import render


class Code(str, enum.Enum):
    """Stable codes: never renumber; retire a code rather than reuse it."""

    UNTAGGED = "TIER001"
    SEVERAL_TIERS = "TIER002"
    MISSPELT_TIER_TAG = "TIER003"
    NO_PYTESTMARK = "TIER101"
    PYTESTMARK_DISAGREES = "TIER102"
    SCOPED_MARK_CONTRADICTS = "TIER103"
    UNDETERMINED_MARKS = "TIER104"
    UNREADABLE_SOURCE = "TIER105"
    NO_PYTEST_CONFIG = "TIER201"
    MARKER_NOT_REGISTERED = "TIER202"
    UNKNOWN_TIER_MARKER = "TIER203"
    NOT_STRICT = "TIER204"
    ASYNCIO_LOOP_SCOPE_UNSET = "TIER205"
    UNREADABLE_CONFIG = "TIER206"
    BATCH_MIXES_CONFIGS = "TIER207"
    PYTEST_PLUGIN_KEYS_DISAGREE = "TIER208"
    UNIT_REACHES_INTEGRATION_ONLY = "TIER301"
    QUARANTINE_UNUSABLE = "TIER401"
    QUARANTINE_EXPIRED = "TIER402"


@dataclass(frozen=True)
class Violation:
    code: Code
    location: str  # a target address, or path:line
    problem: str
    fix: str

    def render(self) -> str:
        """`LOCATION: CODE PROBLEM` then `    fix: FIX`: the project's one message shape."""
        return render(self.location, f"{self.code.value} {self.problem}", self.fix)

    def sort_key(self) -> tuple[str, int, str, str]:
        match = re.fullmatch(r"(.*):(\d+)", self.location)
        if match:
            return (match.group(1), int(match.group(2)), self.code.value, self.problem)
        return (self.location, 0, self.code.value, self.problem)


def render_report(violations: Iterable[Violation]) -> str:
    """Sorted, de-duplicated, one block per violation, and a count at the end."""
    unique = sorted(set(violations), key=Violation.sort_key)
    if not unique:
        return ""
    lines = [v.render() for v in unique]
    lines.append(f"\n{len(unique)} tier violation(s).")
    return "\n".join(lines) + "\n"
