"""Static extraction of pytest marks from a test file's source, with `ast` only.

Understands `import pytest`, `import pytest as pt`, `from pytest import mark [as m]`,
marks used bare or called (`pytest.mark.unit(reason=...)`), lists and tuples of marks, the
module-level `pytestmark`, a class body's `pytestmark`, and decorators on classes and functions.
What it cannot resolve without running the code it reports as undetermined instead of guessing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    name: str
    line: int


@dataclass(frozen=True)
class ScopedMark:
    """A mark applied to a class or function, e.g. `@pytest.mark.integration`."""

    name: str
    line: int
    scope: str  # "class TestX" or "function test_y" (dotted for methods)


@dataclass(frozen=True)
class SourceProblem:
    """Why (part of) a file's marks cannot be read, and where.

    `reason` completes "the file ...": "does not parse: ...", "is not valid UTF-8 ...", or for a
    mark that cannot be resolved statically "`make_marks()` is not a literal pytest mark".
    """

    line: int
    reason: str


@dataclass(frozen=True)
class PytestmarkAssignment:
    """Where the module-level `pytestmark` value sits, for the fixer."""

    line: int
    value: ast.expr


@dataclass(frozen=True)
class FileMarks:
    module_marks: tuple[Mark, ...] = ()
    scoped_marks: tuple[ScopedMark, ...] = ()
    undetermined: tuple[SourceProblem, ...] = ()  # marks that cannot be resolved statically
    error: SourceProblem | None = None  # the whole file cannot be read


class MarkResolver:
    """Knows which local names mean `pytest` and `pytest.mark` in one module."""

    def __init__(self, tree: ast.Module) -> None:
        self.pytest_names: set[str] = set()
        self.mark_names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "pytest":
                        self.pytest_names.add(alias.asname or "pytest")
            elif isinstance(node, ast.ImportFrom) and node.module == "pytest" and node.level == 0:
                for alias in node.names:
                    if alias.name == "mark":
                        self.mark_names.add(alias.asname or "mark")

    def is_mark_namespace(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.mark_names
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "mark"
            and isinstance(node.value, ast.Name)
            and node.value.id in self.pytest_names
        )

    def mark_name(self, node: ast.expr) -> str | None:
        """`pytest.mark.NAME` or `pytest.mark.NAME(...)` -> NAME; anything else -> None."""
        if isinstance(node, ast.Call):
            node = node.func
        if isinstance(node, ast.Attribute) and self.is_mark_namespace(node.value):
            return node.attr
        return None

    def marks_in(self, value: ast.expr) -> tuple[list[Mark], list[SourceProblem]]:
        """Marks in a `pytestmark` value: one mark, or a list/tuple of marks."""
        elements = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        marks: list[Mark] = []
        unknown: list[SourceProblem] = []
        for element in elements:
            name = self.mark_name(element)
            if name is not None:
                marks.append(Mark(name, element.lineno))
            else:
                unknown.append(
                    SourceProblem(
                        element.lineno,
                        f"`{ast.unparse(element)}` is not a literal pytest mark",
                    )
                )
        return marks, unknown


def _assigned_pytestmark(statement: ast.stmt) -> ast.expr | None:
    if isinstance(statement, ast.Assign):
        if any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in statement.targets):
            return statement.value
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        target = statement.target
        if isinstance(target, ast.Name) and target.id == "pytestmark":
            return statement.value
    return None


def _mentions_pytestmark(statement: ast.stmt) -> bool:
    return any(
        isinstance(node, ast.Name) and node.id == "pytestmark" and isinstance(node.ctx, ast.Store)
        for node in ast.walk(statement)
    )


def module_pytestmark(tree: ast.Module) -> PytestmarkAssignment | None:
    """The last plain top-level `pytestmark = ...` (the one pytest sees), if any."""
    found = None
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            value = _assigned_pytestmark(statement)
            if value is not None:
                found = PytestmarkAssignment(statement.lineno, value)
    return found


def parse_source(source: bytes) -> ast.Module | SourceProblem:
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as e:
        line = source[: e.start].count(b"\n") + 1
        return SourceProblem(line, f"is not valid UTF-8 (byte {e.start})")
    try:
        return ast.parse(text)
    except SyntaxError as e:
        return SourceProblem(e.lineno or 1, f"does not parse: {e.msg}")
    except ValueError as e:  # e.g. null bytes
        return SourceProblem(1, f"does not parse: {e}")


def extract_marks(source: bytes) -> FileMarks:
    parsed = parse_source(source)
    if isinstance(parsed, SourceProblem):
        return FileMarks(error=parsed)
    return marks_in_tree(parsed)


def marks_in_tree(parsed: ast.Module) -> FileMarks:
    """`extract_marks` for a module already parsed (the fixer parses once for both uses)."""
    resolver = MarkResolver(parsed)

    module_marks: list[Mark] = []
    undetermined: list[SourceProblem] = []
    for statement in parsed.body:
        value = _assigned_pytestmark(statement)
        if value is not None:
            marks, unknown = resolver.marks_in(value)
            if isinstance(statement, ast.AugAssign):
                module_marks.extend(marks)
            else:  # a later assignment replaces an earlier one, as at runtime
                module_marks = marks
                undetermined = [u for u in undetermined if u.line >= statement.lineno]
            undetermined.extend(unknown)
        elif not isinstance(
            statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ) and _mentions_pytestmark(statement):
            undetermined.append(
                SourceProblem(
                    statement.lineno,
                    "`pytestmark` is assigned conditionally or indirectly",
                )
            )

    scoped: list[ScopedMark] = []
    _collect_scoped(parsed.body, resolver, prefix="", out=scoped)
    return FileMarks(
        module_marks=tuple(module_marks),
        scoped_marks=tuple(scoped),
        undetermined=tuple(undetermined),
    )


def _collect_scoped(
    body: list[ast.stmt], resolver: MarkResolver, prefix: str, out: list[ScopedMark]
) -> None:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            scope = f"{kind} {prefix}{node.name}"
            for decorator in node.decorator_list:
                name = resolver.mark_name(decorator)
                if name is not None:
                    out.append(ScopedMark(name, decorator.lineno, scope))
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    value = _assigned_pytestmark(statement)
                    if value is not None:
                        marks, _ = resolver.marks_in(value)
                        out.extend(ScopedMark(m.name, m.line, scope) for m in marks)
                _collect_scoped(node.body, resolver, f"{prefix}{node.name}.", out)
