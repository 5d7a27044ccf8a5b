"""TIER401-TIER402: every quarantine mark in a test file names a reason and an ISO date, and
its date has not passed.

The marks are read with `ast` (`pytest_tiers.markers.MarkResolver`: `import pytest as pt`,
`from pytest import mark`), wherever they appear: decorators on functions and classes,
module and class `pytestmark` lists, `pytest.param(..., marks=...)`. The arguments must be
literals; a mark that is not called where it is written (`q = pytest.mark.quarantine`) cannot
be read, and says so. Validation is pytest-tiers' own (`pytest_tiers.quarantine_mark`), so
plain pytest and the linter refuse the same marks.
"""

from __future__ import annotations

import ast
from datetime import date

from pytest_tiers.markers import MarkResolver, SourceProblem, parse_source
from pytest_tiers.quarantine_mark import MARK, SPELLING, InvalidQuarantine, Quarantine, read
from tiers.violations import Code, Violation

_LITERALS = (
    "write its arguments as literals in the mark itself: "
    f"`{SPELLING}` (issue optional)."
)


class _NotLiteral(Exception):
    """An argument of the mark is not a literal; the message says which."""


def check_quarantines(path: str, source: bytes, today: date) -> list[Violation]:
    """The file's quarantine marks that cannot be used (TIER401) or are past `today` (TIER402).
    A file that does not parse is TIER105's to report."""
    if MARK.encode() not in source:  # most files: no need to parse again
        return []
    parsed = parse_source(source)
    if isinstance(parsed, SourceProblem):
        return []
    resolver = MarkResolver(parsed)
    called: set[int] = set()
    violations = []
    for node in ast.walk(parsed):  # breadth first: a call before the mark it calls
        if isinstance(node, ast.Call) and _is_quarantine(resolver, node.func):
            called.add(id(node.func))
            violations.append(_check_call(path, node, today))
        elif isinstance(node, ast.Attribute) and _is_quarantine(resolver, node):
            if id(node) not in called:
                violations.append(
                    Violation(
                        Code.QUARANTINE_UNUSABLE,
                        f"{path}:{node.lineno}",
                        f"the quarantine mark `{ast.unparse(node)}` is not called where it is "
                        "written, so its reason and date cannot be read statically.",
                        _LITERALS,
                    )
                )
    return [v for v in violations if v is not None]


def _is_quarantine(resolver: MarkResolver, node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == MARK
        and resolver.is_mark_namespace(node.value)
    )


def _check_call(path: str, call: ast.Call, today: date) -> Violation | None:
    where = f"{path}:{call.lineno}"
    try:
        quarantine = _read_literal(call)
    except _NotLiteral as unreadable:
        return Violation(
            Code.QUARANTINE_UNUSABLE,
            where,
            f"the quarantine mark cannot be read statically: {unreadable}.",
            _LITERALS,
        )
    except InvalidQuarantine as invalid:
        return Violation(
            Code.QUARANTINE_UNUSABLE, where, f"the quarantine mark {invalid.problem}.", invalid.fix
        )
    if not quarantine.expired(today):
        return None
    return Violation(
        Code.QUARANTINE_EXPIRED,
        where,
        f"the quarantine expired: its date {quarantine.until.isoformat()} has passed (today "
        f"is {today.isoformat()}), so the test runs again (reason: {quarantine.reason}).",
        "fix the test and drop the mark; if the reason still holds, set a later `until` and "
        "say why where the quarantine is tracked.",
    )


def _read_literal(call: ast.Call) -> Quarantine:
    """The mark's quarantine from literal arguments; _NotLiteral naming what is not one."""
    values: list[object] = []
    for argument in call.args:
        values.append(_literal(argument))
    keywords: dict[str, object] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise _NotLiteral(f"`**{ast.unparse(keyword.value)}` is not a literal")
        keywords[keyword.arg] = _literal(keyword.value)
    return read(values, keywords)


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        raise _NotLiteral(f"`{ast.unparse(node)}` is not a literal") from None
