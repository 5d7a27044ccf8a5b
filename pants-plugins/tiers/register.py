"""Registers the `tiers` linter, fixer and report goal."""

from tiers import fix, lint, report


def rules():
    return [*lint.rules(), *fix.rules(), *report.rules()]
