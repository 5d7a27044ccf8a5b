"""Scope of a change to in-repo Pants plugin code, and of a plugin's options section.

Plugin code runs inside Pants, outside the target graph. What it can change in a test run is
what it registers: a plugin's `register.py` (for each package in `[GLOBAL].backend_packages`
found under `[GLOBAL].pythonpath`) and the modules it imports. Read with `ast`:

- `UnionRule(LintTargetsRequest | FixTargetsRequest | ..., X)`: lint, fix and fmt goals only,
  no test run changes;
- `UnionRule(PytestPluginSetupRequest, X)`: X's setup runs before pytest for the targets its
  `is_applicable` accepts. `return bool(target.get(F).value)` bounds it to the targets that set
  F's alias (e.g. `uses`); anything else is taken to apply to every test;
- any other union, or `build_file_aliases` (BUILD semantics): every test;
- a goal that runs in every tier run (GOALS_IN_TEST_RUNS: ./pants adds `tier-selection` before
  `test`): its rule failing fails the run, so its modules reach every test.

A changed module reaches the union members whose modules (the one defining the class, and
every module naming it) import it, directly or not. A file no enabled plugin imports is not
loaded by Pants: its own tests, if any, come from the graph.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from scoping.python_imports import imported_modules, module_name
from scoping.scope import NOTHING, WHOLE, Reach, Scope, union

# Unions whose members serve only lint, fix and fmt goals.
INERT_UNIONS = frozenset(
    {
        "LintTargetsRequest",
        "LintFilesRequest",
        "FixTargetsRequest",
        "FixFilesRequest",
        "FmtTargetsRequest",
        "FmtFilesRequest",
    }
)
PYTEST_SETUP_UNION = "PytestPluginSetupRequest"
# Goals that run in the same Pants run as every tier's `test` (./pants adds them:
# `add_tier_selection`; tests/ci/test_plugin_goals.py keeps the two in step), with the options
# their rules read: a change to other keys of those sections cannot change their outcome.
GOALS_IN_TEST_RUNS: Mapping[str, Mapping[str, frozenset[str]]] = {
    "tier-selection": {"tiers": frozenset({"names", "allow_empty_selection"})},
}


@dataclass(frozen=True)
class Member:
    union: str
    name: str
    modules: frozenset[str]  # every module whose change can change it
    reach: Reach
    why: str
    registered_in: str = ""  # the module that registers it
    # The options it reads, by scope, where known (None: any option of its modules' scopes).
    reads: Mapping[str, frozenset[str]] | None = None

    def reads_any(self, scope: str, keys: Iterable[str]) -> bool:
        if self.reads is None or scope not in self.reads:
            return True
        changed = set(keys)
        return "*" in changed or bool(changed & self.reads[scope])


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


class PluginCode:
    """The in-repo plugin modules Pants loads, and what each union member they register reaches."""

    def __init__(
        self, sources: Mapping[str, str], pythonpath: Iterable[str], backend_packages: Iterable[str]
    ) -> None:
        self.roots = list(pythonpath)
        self.sources = dict(sources)
        self.module_of = {p: m for p in sources if (m := module_name(p, self.roots)) is not None}
        self.path_of = {m: p for p, m in self.module_of.items()}
        self.trees: dict[str, ast.Module | None] = {}
        for path, module in self.module_of.items():
            try:
                self.trees[module] = ast.parse(sources[path])
            except (SyntaxError, ValueError):
                self.trees[module] = None
        self.registers = [
            f"{p}.register" for p in backend_packages if f"{p}.register" in self.path_of
        ]
        self.loaded = self.closure(self.registers)
        self.members = self._members()

    def imports(self, module: str) -> set[str]:
        path = self.path_of[module]
        found = imported_modules(self.sources[path], module, path.endswith("__init__.py")) or set()
        return {m for m in found if m in self.path_of}

    def closure(self, modules: Iterable[str]) -> set[str]:
        seen = set(modules)
        stack = list(seen)
        while stack:
            for dep in self.imports(stack.pop()):
                if dep not in seen:
                    seen.add(dep)
                    stack.append(dep)
        return seen

    def _naming(self, name: str) -> set[str]:
        """The loaded modules that define or mention `name`."""
        found = set()
        for module in self.loaded:
            tree = self.trees.get(module)
            if tree is not None and any(
                (isinstance(n, ast.Name) and n.id == name)
                or (isinstance(n, ast.ClassDef) and n.name == name)
                or (isinstance(n, ast.alias) and (n.asname or n.name).split(".")[-1] == name)
                for n in ast.walk(tree)
            ):
                found.add(module)
        return found

    def _class(self, name: str) -> ast.ClassDef | None:
        for module in sorted(self.loaded):
            tree = self.trees.get(module)
            for node in ast.walk(tree) if tree else ():
                if isinstance(node, ast.ClassDef) and node.name == name:
                    return node
        return None

    def _field_alias(self, field: str) -> str | None:
        node = self._class(field)
        for stmt in node.body if node else ():
            if (
                isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "alias" for t in stmt.targets)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                return stmt.value.value
        return None

    def _registration(self, node: ast.AST) -> tuple[str, str] | None:
        """(union, member) for `UnionRule(Union, Member)` or `Member.rules()` (how Pants'
        request classes register themselves, under each of their bases); ("?", "?") when it
        cannot be read; None for any other node."""
        if not isinstance(node, ast.Call):
            return None
        if _name(node.func) == "UnionRule":
            if len(node.args) != 2 or not all(_name(a) for a in node.args):
                return ("?", "?")
            base, member = (_name(a) or "" for a in node.args)
            return base, member
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "rules"
            and isinstance(node.func.value, ast.Name)
            and (cls := self._class(node.func.value.id)) is not None
        ):
            bases = [b for b in (_name(x) for x in cls.bases) if b]
            known = [b for b in bases if b in INERT_UNIONS or b == PYTEST_SETUP_UNION]
            return (known[0] if known else ", ".join(bases) or "?"), cls.name
        return None

    def _applicability(self, member: str) -> tuple[Reach, str]:
        """What `is_applicable` of a PytestPluginSetupRequest accepts."""
        node = self._class(member)
        method = next(
            (
                s
                for s in (node.body if node else ())
                if isinstance(s, ast.FunctionDef) and s.name == "is_applicable"
            ),
            None,
        )
        returns = [s for s in method.body if isinstance(s, ast.Return)] if method else []
        if method and len(method.body) == 1 and len(returns) == 1 and returns[0].value:
            expr = returns[0].value
            if isinstance(expr, ast.Call) and _name(expr.func) == "bool" and len(expr.args) == 1:
                expr = expr.args[0]
            # target.get(Field).value
            if (
                isinstance(expr, ast.Attribute)
                and expr.attr == "value"
                and isinstance(expr.value, ast.Call)
                and _name(expr.value.func) == "get"
                and len(expr.value.args) == 1
                and (field := _name(expr.value.args[0]))
                and (alias := self._field_alias(field))
            ):
                return (
                    Reach(with_field=(alias,), described=f"test targets that set `{alias}`"),
                    f"its pytest setup `{member}` runs only for targets that set `{alias}`",
                )
        return WHOLE, f"its pytest setup `{member}` can apply to every test"

    def _members(self) -> list[Member]:
        members = []
        for module in sorted(self.loaded):
            tree = self.trees.get(module)
            if tree is None:
                members.append(
                    Member("?", module, frozenset({module}), WHOLE, f"{module} does not parse")
                )
                continue
            for node in ast.walk(tree):
                goal = _declared_scope(node) if isinstance(node, ast.ClassDef) else None
                if goal in GOALS_IN_TEST_RUNS:
                    members.append(
                        Member(
                            "goal",
                            goal,
                            frozenset(self.closure(self._naming(node.name) | {module})),
                            WHOLE,
                            f"its goal `{goal}` runs in every tier run (./pants adds it before "
                            "`test`), so its failure fails every test",
                            module,
                            GOALS_IN_TEST_RUNS[goal],
                        )
                    )
                if isinstance(node, ast.FunctionDef) and node.name == "build_file_aliases":
                    members.append(
                        Member(
                            "build_file_aliases",
                            module,
                            frozenset(self.closure({module})),
                            WHOLE,
                            "it adds BUILD file symbols, which can change any target",
                            module,
                        )
                    )
                registered = self._registration(node)
                if registered is None:
                    continue
                if registered == ("?", "?"):
                    members.append(
                        Member(
                            "?",
                            module,
                            frozenset(self.closure({module})),
                            WHOLE,
                            "it registers a union rule that cannot be read",
                            module,
                        )
                    )
                    continue
                base, member = registered
                modules = frozenset(self.closure(self._naming(member) | {module}))
                if base in INERT_UNIONS:
                    goal = base.removesuffix("TargetsRequest").removesuffix("FilesRequest")
                    reach, why = NOTHING, f"`{member}` serves only the {goal.lower()} goal"
                elif base == PYTEST_SETUP_UNION:
                    reach, why = self._applicability(member)
                else:
                    reach, why = (
                        WHOLE,
                        f"it registers `{member}` in union `{base}`, which this rule cannot bound",
                    )
                members.append(Member(base, member, modules, reach, why, module))
        return members

    def scope_of_module(self, module: str) -> tuple[Reach, list[str]] | None:
        """None when no enabled plugin loads `module`."""
        if module not in self.loaded:
            return None
        hit = [m for m in self.members if module in m.modules]
        if module in self.registers:
            # A register.py decides what its plugin registers: everything it loads counts.
            hit += self.plugin_members(module)
        return union(m.reach for m in hit), [m.why for m in hit]

    def scope_of_data_file(self, path: str) -> tuple[Reach, list[str]] | None:
        """The reach of a file the loaded modules name in a string (read as data)."""
        name = PurePosixPath(path).name
        users = {
            module
            for module in self.loaded
            if (tree := self.trees.get(module)) is not None
            and any(isinstance(n, ast.Constant) and n.value == name for n in ast.walk(tree))
        }
        if not users:
            return None
        hit = [m for m in self.members if m.modules & users]
        whys = [f"read as data by {', '.join(sorted(users))}"] + [m.why for m in hit]
        return union(m.reach for m in hit), whys

    def plugin_members(self, register: str) -> list[Member]:
        plugin = self.closure({register})
        return [m for m in self.members if m.registered_in in plugin]

    def scope_of_options(
        self, scope: str, keys: Iterable[str] = ("*",)
    ) -> tuple[Reach, list[str]] | None:
        """The reach of a change to `keys` of a plugin's options section (None: no loaded plugin
        declares it)."""
        defining = set()
        for module in self.loaded:
            tree = self.trees.get(module)
            for node in ast.walk(tree) if tree else ():
                if isinstance(node, ast.ClassDef) and _declared_scope(node) == scope:
                    defining.add(module)
        if not defining:
            return None
        changed = tuple(keys)
        hit = [m for m in self.members if m.modules & defining and m.reads_any(scope, changed)]
        return union(m.reach for m in hit), [m.why for m in hit]


def _declared_scope(node: ast.ClassDef) -> str | None:
    """The options scope a Subsystem (`options_scope = ...`) or GoalSubsystem (`name = ...`)
    declares."""
    key = "name" if "GoalSubsystem" in {_name(b) for b in node.bases} else "options_scope"
    for stmt in node.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == key for t in stmt.targets)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            return stmt.value.value
    return None


def plugin_file_scope(
    path: str, deleted: bool, code: PluginCode, test_code: frozenset[str] = frozenset()
) -> Scope | None:
    """A changed file under a `[GLOBAL].pythonpath` root (None: not there, or test code:
    `test_code` holds the files of python_test and python_test_utils targets)."""
    if path in test_code:
        return None
    if not any(r in ("", ".") or path.startswith(r.rstrip("/") + "/") for r in code.roots):
        return None
    module = module_name(path, code.roots)
    if module is None:
        return None
    top = module.split(".")[0]
    enabled = any(r.split(".")[0] == top for r in code.registers)
    if deleted:
        if enabled:
            return Scope(path, "deleted code of an enabled in-repo Pants plugin", WHOLE)
        return None
    found = code.scope_of_module(module)
    if found is None:
        if not enabled or PurePosixPath(path).name.endswith("_test.py"):
            return None  # not loaded by Pants; its own tests come from the graph
        # In an enabled plugin's package but not imported: it may be read as data
        # (`pkgutil.get_data("pkg", "probe.py")`). The modules that name the file reach it;
        # when none does, whatever the plugin's hooks reach.
        found = code.scope_of_data_file(path)
        if found is None:
            register = next(r for r in code.registers if r.split(".")[0] == top)
            members = code.plugin_members(register)
            found = (
                union(m.reach for m in members),
                ["a file of the plugin that it does not import, and no module names"]
                + [m.why for m in members],
            )
    reach, whys = found
    detail = "; ".join(dict.fromkeys(whys)) or "it reaches no union rule"
    if reach.is_empty:
        return Scope(
            path, f"in-repo Pants plugin code that cannot change a test run ({detail})", NOTHING
        )
    return Scope(path, f"in-repo Pants plugin code ({detail})", reach)
