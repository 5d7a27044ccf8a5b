"""Which modules a Python file imports, read with `ast`, and how files map to module names
under source roots: shared by the deleted-module and the plugin rules."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from scoping.scope import is_below

PYTHON_SUFFIXES = (".py", ".pyi")


def module_name(path: str, roots: Iterable[str]) -> str | None:
    """`a/b/c.py` under root `a` is `b.c`; a package's `__init__.py` is the package. The
    longest matching root wins (as Pants and Python resolve nested roots)."""
    pure = PurePosixPath(path)
    if pure.suffix not in PYTHON_SUFFIXES:
        return None
    matching = [r for r in roots if r in ("", ".") or is_below(path, r)]
    if not matching:
        return None
    root = max(matching, key=len)
    relative = pure.relative_to(root) if root not in ("", ".") else pure
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or None


def imported_modules(source: str, module: str | None, is_package: bool = False) -> set[str] | None:
    """Every module name an import in `source` may load (for `from a import b`, both `a` and
    `a.b`, since `b` may be a submodule), relative imports resolved against `module`; string
    names in `pytest_plugins` count too. None when the file does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    package = (module or "") if is_package else (module or "").rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                base_parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base:
                found.add(base)
            found.update(f"{base}.{a.name}" if base else a.name for a in node.names)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets
        ):
            found.update(
                n.value
                for n in ast.walk(node.value)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
    # Importing a.b.c runs a/__init__.py and a/b/__init__.py too.
    for name in list(found):
        parts = name.split(".")
        found.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return found


def importers(
    modules: Mapping[str, str], sources: Mapping[str, str], targets: set[str]
) -> set[str]:
    """The files (of `sources`: path -> text) that import any module in `targets` or a
    submodule of one; `modules` maps each path to its module name. An unparsable file counts
    as an importer (it cannot be ruled out)."""
    found = set()
    for path, text in sources.items():
        module = modules.get(path)
        imports = imported_modules(text, module, path.endswith("__init__.py"))
        if imports is None or any(
            name in targets or any(name.startswith(t + ".") for t in targets) for name in imports
        ):
            found.add(path)
    return found
