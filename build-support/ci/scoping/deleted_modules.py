"""Scope of a deleted (or renamed away) Python module: the tests that imported it.

Pants cannot see a deleted file's dependents in the current graph (their imports no longer
resolve), so the importers are read from the base revision: every Python file there, parsed
with `ast`, its imports resolved to module names under the source roots. Importers that were
deleted too pass the question on to their own importers. The importers that still exist are
in the current graph, so the tests reached are those importers and their dependents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scoping.python_imports import importers, module_name
from scoping.scope import WHOLE, Reach, Scope


def deleted_module_scope(
    path: str, base_sources: Mapping[str, str], roots: Iterable[str], exists_now: set[str]
) -> Scope:
    """`base_sources`: every Python file at the base revision (path -> text); `exists_now`:
    the paths among them that still exist."""
    roots = list(roots)
    module = module_name(path, roots)
    if module is None:
        return Scope(
            path,
            "a deleted Python file outside every source root (nothing can name its importers)",
            WHOLE,
        )
    modules = {p: m for p in base_sources if (m := module_name(p, roots)) is not None}
    gone, found_importers = {module}, set()
    while True:
        found = importers(modules, {p: t for p, t in base_sources.items() if p != path}, gone)
        new_gone = {modules[p] for p in found if p not in exists_now and p in modules} - gone
        found_importers |= found
        if not new_gone:
            break
        gone |= new_gone
    alive = sorted(p for p in found_importers if p in exists_now)
    why = (
        "a deleted Python module (Pants cannot see the dependents of a file that no longer "
        "exists; its importers are read from the base revision)"
    )
    return Scope(
        path,
        why,
        Reach(
            dependents_of=tuple(alive),
            described="tests that are or depend on its former importers " + ", ".join(alive)
            if alive
            else "",
        ),
    )
