"""Scope of a requirements file change (the source of a `python_requirements` target).

Its requirement targets change when their lines do; the tests that depend on those targets see
it. A lockfile generated from other requirements no longer matches them, and Pants then fails
every build of the resolve: unless the same change updates the resolve's lockfile, every test
of the resolve is reached. A removed requirement's former users no longer resolve their
imports, so every test of the resolve is reached too. A file that only a `file`/`resources`
target owns (a test fixture named requirements.txt) is data: Pants' graph reaches its dependents.
"""

from __future__ import annotations

from collections.abc import Iterable

from pants_selection import Target

from scoping.lockfile_scopes import requirement_name
from scoping.scope import NOTHING, WHOLE, Reach, Scope

# Targets whose sources are data to the tests that depend on them, never requirements.
DATA_TARGET_TYPES = frozenset({"file", "files", "resource", "resources"})


def _scope(path: str, reason: str, reach: Reach) -> Scope:
    return Scope(path, reason, reach, replaces_graph=True)


def _requirements(text: str | None) -> dict[str, str]:
    found = {}
    for line in (text or "").splitlines():
        stripped = line.split("#", 1)[0].strip()
        if stripped and not stripped.startswith("-"):
            name = requirement_name(stripped)
            if name:
                found[name] = stripped
    return found


def requirements_file_scope(
    path: str,
    before: str | None,
    after: str | None,
    generators: Iterable[Target],
    requirement_targets: Iterable[Target],
    lockfile_changed: bool,
    pytest_resolve: str | None,
    test_resolves: set[str],
) -> Scope | None:
    """`generators`: the graph's targets whose sources hold `path` (python_requirements)."""
    owners = [g for g in generators if path in g.sources and g.target_type not in DATA_TARGET_TYPES]
    if not owners:
        return None
    generated = [
        t for t in requirement_targets if any(t.address.startswith(g.address + "#") for g in owners)
    ]
    resolves = {t.resolve for t in generated}
    if len(resolves) != 1 or None in resolves:
        return _scope(path, "a requirements file whose resolve cannot be told", WHOLE)
    (resolve,) = resolves
    every = (
        WHOLE
        if resolve == pytest_resolve
        else Reach(resolves=(resolve,), described=f"every test of resolve {resolve!r}")
    )
    if resolve not in test_resolves and resolve != pytest_resolve:
        return _scope(
            path, f"a requirements file of resolve {resolve!r}, which no test uses", NOTHING
        )
    old, new = _requirements(before), _requirements(after)
    changed = {n for n in old.keys() | new.keys() if old.get(n) != new.get(n)}
    if not changed:
        return _scope(path, "a requirements file whose requirements did not change", NOTHING)
    if not lockfile_changed:
        return _scope(
            path,
            f"a requirements file of resolve {resolve!r} changed without its lockfile (Pants "
            "rejects a lockfile that no longer matches, for every test of the resolve)",
            every,
        )
    if old.keys() - new.keys():
        return _scope(
            path,
            f"a requirements file of resolve {resolve!r} that removes "
            f"{', '.join(sorted(old.keys() - new.keys()))} (its users' imports no longer resolve)",
            every,
        )
    addresses = sorted(
        t.address
        for t in generated
        if t.address.rsplit("#", 1)[-1]
        and requirement_name(t.address.rsplit("#", 1)[-1]) in changed
    )
    return _scope(
        path,
        f"a requirements file of resolve {resolve!r} that changes {', '.join(sorted(changed))}",
        Reach(
            dependents_of=tuple(addresses), described="tests that depend on " + ", ".join(addresses)
        ),
    )
