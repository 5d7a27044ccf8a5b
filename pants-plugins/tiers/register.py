"""Registers the `tiers` linter, fixer, report goal and the tier-selection check."""

from tiers import fix, lint, report, selection_goal


def rules():
    return [*lint.rules(), *fix.rules(), *report.rules(), *selection_goal.rules()]
