"""The one shape of every problem this project reports: where, what, and the fix.

The linter, the services check, the pytest plugin and the CI scripts all print

    LOCATION: PROBLEM
        fix: FIX

LOCATION is a path (`file:line` where a line is known), a target address, or a command name;
PROBLEM and FIX start in lower case and end with a full stop. A FIX of several lines (say,
one command per line) continues under its first word.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    location: str
    problem: str
    fix: str

    def render(self) -> str:
        return render(self.location, self.problem, self.fix)


def render(location: str, problem: str, fix: str) -> str:
    head = "    fix: "
    return f"{location}: {problem}\n{head}" + fix.replace("\n", "\n" + " " * len(head))


class ProblemError(Exception):
    """An error whose message is a `Problem`: raised where the problem is found, printed as it
    is where it is caught."""

    def __init__(self, location: str, problem: str, fix: str) -> None:
        self.problem = Problem(location, problem, fix)
        super().__init__(self.problem.render())
