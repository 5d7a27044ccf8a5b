"""Rewrite a test file's module-level `pytestmark` so it carries its BUILD tier.

The edit is minimal: only the `pytestmark` statement (and, when needed, one `import pytest`)
changes; every other byte of the file is kept. Running it twice changes nothing the second time.
Files whose marks cannot be determined statically, or that do not parse, are left alone: the
linter reports them instead.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from pytest_tiers.markers import MarkResolver, marks_in_tree, module_pytestmark, parse_source


class _Source:
    """Byte offsets for ast positions (ast columns are UTF-8 byte offsets)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.line_starts = [0]
        for line in data.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))

    def offset(self, line: int, col: int) -> int:
        return self.line_starts[line - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def text(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.data[start:end].decode("utf-8")

    def end_of_line(self, line: int) -> int:
        return self.line_starts[min(line, len(self.line_starts) - 1)]


def _replace(data: bytes, start: int, end: int, text: str) -> bytes:
    return data[:start] + text.encode("utf-8") + data[end:]


def _mark_prefix(resolver: MarkResolver) -> tuple[str, bool]:
    """How this file spells `pytest.mark`, and whether `import pytest` must be added."""
    if "pytest" in resolver.pytest_names:
        return "pytest.mark", False
    if resolver.pytest_names:
        return f"{sorted(resolver.pytest_names)[0]}.mark", False
    if resolver.mark_names:
        return sorted(resolver.mark_names)[0], False
    return "pytest.mark", True


def _header_end(tree: ast.Module) -> int:
    """Line after which to insert: the end of the leading docstring/import block (0: top)."""
    end = 0
    for index, statement in enumerate(tree.body):
        is_docstring = (
            index == 0
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        )
        if is_docstring or isinstance(statement, (ast.Import, ast.ImportFrom)):
            end = statement.end_lineno or statement.lineno
        else:
            break
    return end


def fix_pytestmark(source: bytes, tier: str, tiers: Sequence[str]) -> bytes:
    tree = parse_source(source)
    if not isinstance(tree, ast.Module) or marks_in_tree(tree).undetermined:
        return source
    resolver = MarkResolver(tree)
    prefix, needs_import = _mark_prefix(resolver)
    src = _Source(source)
    assignment = module_pytestmark(tree)

    if assignment is None:
        insert_after = _header_end(tree)
        at = src.end_of_line(insert_after) if insert_after else 0
        before = source[:at]
        newline = "\r\n" if b"\r\n" in source else "\n"
        text = ""
        if before and not before.endswith((b"\n", b"\r")):
            text += newline
        if needs_import:
            text += f"import pytest{newline}"
        text += f"{newline if insert_after or needs_import else ''}pytestmark = {prefix}.{tier}{newline}"
        if not insert_after and source[at:].strip():
            text += newline
        return _replace(source, at, at, text)

    value = assignment.value
    is_sequence = isinstance(value, (ast.List, ast.Tuple))
    elements = list(value.elts) if is_sequence else [value]  # type: ignore[attr-defined]
    tier_elements = [e for e in elements if resolver.mark_name(e) in tiers]
    if [resolver.mark_name(e) for e in tier_elements] == [tier]:
        return source

    if len(tier_elements) == 1:
        # Rename the one wrong tier in place: `pytest.mark.integration(...)` keeps its call.
        attribute = tier_elements[0]
        if isinstance(attribute, ast.Call):
            attribute = attribute.func
        _, end = src.span(attribute)
        start = end - len(attribute.attr.encode("utf-8"))  # type: ignore[attr-defined]
        return _replace(source, start, end, tier)

    new_mark = f"{prefix}.{tier}"
    kept = [src.text(e) for e in elements if e not in tier_elements]
    start, end = src.span(value)
    if not tier_elements and is_sequence and elements:
        # Append to the existing list or tuple, before its closing bracket.
        last_end = src.span(elements[-1])[1]
        return _replace(source, last_end, last_end, f", {new_mark}")
    if not kept:
        return _replace(source, start, end, new_mark)
    items = ", ".join([*kept, new_mark])
    replacement = f"({items})" if isinstance(value, ast.Tuple) else f"[{items}]"
    return _replace(source, start, end, replacement)
