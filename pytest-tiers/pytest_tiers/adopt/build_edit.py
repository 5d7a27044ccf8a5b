"""The BUILD edit of `pytest-tiers adopt --write` in a Pants repository: text in, text out.

Per directory: the tier most of its test files have goes into `__defaults__` (tags, and for
integration the `uses=[...]` observed and their `extra_env_vars`), and each file of the other
tier into `overrides` of the directory's `python_tests` target. Edits are made at `ast`
positions, so every other byte (comments included) stays; what is already there is kept, and
a second edit changes nothing. A form it cannot edit safely is reported, never rewritten.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TARGET_TYPES = ("python_test", "python_tests")


@dataclass(frozen=True)
class TierFields:
    tier: str
    uses: tuple[str, ...] = ()
    extra_env_vars: tuple[str, ...] = ()

    def kwargs(self) -> str:
        parts = [f"tags=[{self.tier!r}]".replace("'", '"')]
        if self.uses:
            parts.append("uses=" + _list(self.uses))
        if self.extra_env_vars:
            parts.append("extra_env_vars=" + _list(self.extra_env_vars))
        return ", ".join(parts)

    def as_dict(self) -> str:
        return "{" + self.kwargs().replace("tags=", '"tags": ').replace(
            "uses=", '"uses": '
        ).replace("extra_env_vars=", '"extra_env_vars": ') + "}"


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


@dataclass(frozen=True)
class BuildEdit:
    text: str
    problems: tuple[str, ...] = ()


def _offsets(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line.encode("utf-8")))
    return starts


class _Text:
    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.starts = _offsets(text)

    def at(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col

    def start(self, node: ast.AST) -> int:
        return self.at(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.at(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _calls(tree: ast.Module, name: str) -> list[ast.Call]:
    return [
        statement.value
        for statement in tree.body
        if isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Name)
        and statement.value.func.id == name
    ]


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def _insert_kwarg(text: _Text, call: ast.Call, kwarg: str) -> tuple[int, bytes]:
    """Where and what to insert to add `kwarg` as the call's last argument."""
    if not call.args and not call.keywords:
        end = text.end(call) - 1  # before ")"
        return end, kwarg.encode()
    last = max([*call.args, *call.keywords], key=lambda node: (node.end_lineno, node.end_col_offset))
    return text.end(last), f", {kwarg}".encode()  # keywords have positions (3.9+)


def edit_build(
    text: str,
    tiers: Sequence[str],
    files: Mapping[str, TierFields],
) -> BuildEdit:
    """`files` maps each test file name of the directory to its tier's fields."""
    if not files:
        return BuildEdit(text)
    counts: dict[str, int] = {}
    for fields in files.values():
        counts[fields.tier] = counts.get(fields.tier, 0) + 1
    default_tier = max(counts, key=lambda t: (counts[t], t == tiers[-1]))
    default = _merge([f for f in files.values() if f.tier == default_tier])
    exceptions = {name: f for name, f in sorted(files.items()) if f.tier != default_tier}
    problems: list[str] = []
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        return BuildEdit(text, (f"does not parse ({error.msg}); left alone",))
    source = _Text(text)
    edits: list[tuple[int, int, bytes]] = []

    defaults_calls = _calls(tree, "__defaults__")
    if not defaults_calls:
        block = (
            "__defaults__({(python_test, python_tests): dict("
            + default.kwargs()
            + ")})\n"
        )
        at = _after_leading_comments(text)
        edits.append((at, at, (block + ("\n" if text[at:].strip() else "")).encode()))
    else:
        problems.extend(_edit_defaults(source, defaults_calls[0], tiers, default, edits))

    if exceptions:
        targets = _calls(tree, "python_tests")
        if not targets:
            entries = ", ".join(f'"{n}": {f.as_dict()}' for n, f in exceptions.items())
            addition = f"python_tests(overrides={{{entries}}})\n"
            prefix = "" if not text or text.endswith("\n") else "\n"
            edits.append((len(source.data), len(source.data), (prefix + addition).encode()))
        else:
            problems.extend(_edit_overrides(source, targets[0], exceptions, edits))
    elif not _calls(tree, "python_tests") and not _calls(tree, "python_test"):
        prefix = "" if not text or text.endswith("\n") else "\n"
        edits.append((len(source.data), len(source.data), (prefix + "python_tests()\n").encode()))

    data = source.data
    # Last position first; of two insertions at one position, the one added first ends first.
    ordered = sorted(enumerate(edits), key=lambda e: (e[1][0], e[0]), reverse=True)
    for _, (start, end, new) in ordered:
        data = data[:start] + new + data[end:]
    return BuildEdit(data.decode("utf-8"), tuple(problems))


def _merge(fields: Sequence[TierFields]) -> TierFields:
    uses: list[str] = []
    env: list[str] = []
    for f in fields:
        uses.extend(u for u in f.uses if u not in uses)
        env.extend(e for e in f.extra_env_vars if e not in env)
    return TierFields(fields[0].tier, tuple(sorted(uses)), tuple(sorted(env)))


def _after_leading_comments(text: str) -> int:
    at = 0
    for line in text.splitlines(keepends=True):
        if line.startswith("#"):
            at += len(line.encode())
        else:
            break
    return at


def _edit_defaults(
    source: _Text,
    call: ast.Call,
    tiers: Sequence[str],
    default: TierFields,
    edits: list[tuple[int, int, bytes]],
) -> list[str]:
    if not call.args or not isinstance(call.args[0], ast.Dict):
        return ["`__defaults__` is not a dict literal; left alone"]
    mapping = call.args[0]
    for key, value in zip(mapping.keys, mapping.values):
        names = (
            [e.id for e in key.elts if isinstance(e, ast.Name)]
            if isinstance(key, ast.Tuple)
            else [key.id]
            if isinstance(key, ast.Name)
            else []
        )
        if not set(names) & set(TARGET_TYPES):
            continue
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
            return ["`__defaults__` for python tests is not `dict(...)`; left alone"]
        tags = _keyword(value, "tags")
        if tags is None:
            position, new = _insert_kwarg(source, value, default.kwargs())
            edits.append((position, position, new))
            return []
        if not isinstance(tags.value, (ast.List, ast.Tuple)) or not all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in tags.value.elts
        ):
            return ["`__defaults__` tags are not a literal list; left alone"]
        current = [e.value for e in tags.value.elts]  # type: ignore[attr-defined]
        wanted = [t for t in current if t not in tiers] + [default.tier]
        if [t for t in current if t in tiers] != [default.tier]:
            edits.append((source.start(tags.value), source.end(tags.value), _list(wanted).encode()))
        if default.uses and _keyword(value, "uses") is None:
            end = source.end(tags.value)
            extra = ", uses=" + _list(default.uses)
            if default.extra_env_vars and _keyword(value, "extra_env_vars") is None:
                extra += ", extra_env_vars=" + _list(default.extra_env_vars)
            edits.append((end, end, extra.encode()))
        return []
    # No entry for python tests yet: add one before the closing brace.
    entry = "(python_test, python_tests): dict(" + default.kwargs() + ")"
    end = source.end(mapping) - 1
    separator = ", " if mapping.keys else ""
    edits.append((end, end, (separator + entry).encode()))
    return []


def _edit_overrides(
    source: _Text,
    call: ast.Call,
    exceptions: Mapping[str, TierFields],
    edits: list[tuple[int, int, bytes]],
) -> list[str]:
    overrides = _keyword(call, "overrides")
    entries = {n: f for n, f in exceptions.items()}
    if overrides is None:
        text = "overrides={" + ", ".join(f'"{n}": {f.as_dict()}' for n, f in entries.items()) + "}"
        position, new = _insert_kwarg(source, call, text)
        edits.append((position, position, new))
        return []
    if not isinstance(overrides.value, ast.Dict):
        return ["`overrides` is not a dict literal; left alone"]
    present = set()
    for key in overrides.value.keys:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            present.add(key.value)
        elif isinstance(key, ast.Tuple):
            present.update(e.value for e in key.elts if isinstance(e, ast.Constant))
    missing = {n: f for n, f in entries.items() if n not in present}
    if not missing:
        return []
    end = source.end(overrides.value) - 1
    separator = ", " if overrides.value.keys else ""
    text = separator + ", ".join(f'"{n}": {f.as_dict()}' for n, f in missing.items())
    edits.append((end, end, text.encode()))
    return []
