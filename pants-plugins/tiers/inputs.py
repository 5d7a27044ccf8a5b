"""Gathering what the tier checks read: test sources, pytest configs, resolves, dependencies.

Shared by the linter and the report so that both see the repository the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pants.backend.python.subsystems.setup import PythonSetup
from pants.backend.python.target_types import (
    PythonResolveField,
    PythonTestsBatchCompatibilityTagField,
    PythonTestSourceField,
)
from pants.engine.addresses import Address, Addresses
from pants.engine.fs import DigestContents, PathGlobs
from pants.engine.rules import Get, MultiGet
from pants.engine.target import (
    Dependencies,
    DependenciesRequest,
    FieldSet,
    Tags,
    TransitiveTargets,
    TransitiveTargetsRequest,
)
from pants.util.frozendict import FrozenDict

from tiers.pytest_config import candidate_paths


@dataclass(frozen=True)
class TierFieldSet(FieldSet):
    required_fields = (PythonTestSourceField,)

    source: PythonTestSourceField
    tags: Tags
    resolve: PythonResolveField
    batch_tag: PythonTestsBatchCompatibilityTagField

    @property
    def tag_values(self) -> tuple[str, ...]:
        return tuple(self.tags.value or ())


async def read_files(paths: Iterable[str]) -> FrozenDict[str, bytes]:
    """The contents of those of `paths` that exist (missing ones are simply absent)."""
    contents = await Get(DigestContents, PathGlobs(sorted(set(paths))))
    return FrozenDict({fc.path: fc.content for fc in contents})


async def read_test_sources(field_sets: Iterable[TierFieldSet]) -> FrozenDict[str, bytes]:
    return await read_files(fs.source.file_path for fs in field_sets)


async def read_config_candidates(test_paths: Iterable[str]) -> FrozenDict[str, bytes]:
    return await read_files(p for path in test_paths for p in candidate_paths(path))


def _lockfile_has(content: bytes, project: str) -> bool:
    text = "\n".join(
        line
        for line in content.decode("utf-8", "replace").splitlines()
        if not line.startswith("//")
    )
    try:
        data = json.loads(text)
    except ValueError:
        return f'"project_name": "{project}"' in text
    return any(
        requirement.get("project_name") == project
        for resolve in data.get("locked_resolves", [])
        for requirement in resolve.get("locked_requirements", [])
    )


async def resolves_with(
    project: str, field_sets: Iterable[TierFieldSet], python_setup: PythonSetup
) -> frozenset[str]:
    """The resolves (of these field sets) whose lockfile contains `project`."""
    resolves = {fs.resolve.normalized_value(python_setup) for fs in field_sets}
    lockfiles = {r: python_setup.resolves[r] for r in resolves if r in python_setup.resolves}
    contents = await read_files(lockfiles.values())
    return frozenset(
        r
        for r, path in lockfiles.items()
        if path in contents and _lockfile_has(contents[path], project)
    )


async def reachable_matching(
    roots: Iterable[Address], matches: Callable[[Address], bool]
) -> Mapping[Address, frozenset[Address]]:
    """For each root, the addresses in its transitive dependencies for which `matches` holds.

    One closure for all roots, then a plain walk over its edges in memory: cheaper than one
    `TransitiveTargets` per root when thousands of tests share their dependencies.
    """
    roots = sorted(set(roots))
    closure = await Get(TransitiveTargets, TransitiveTargetsRequest(roots))
    targets = [t for t in closure.closure if t.has_field(Dependencies)]
    direct = await MultiGet(Get(Addresses, DependenciesRequest(t[Dependencies])) for t in targets)
    edges = {t.address: tuple(deps) for t, deps in zip(targets, direct)}

    def reach(root: Address) -> frozenset[Address]:
        seen, stack, found = {root}, [root], set()
        while stack:
            for dependency in edges.get(stack.pop(), ()):
                if dependency not in seen:  # cycles are legal in Pants
                    seen.add(dependency)
                    stack.append(dependency)
                    if matches(dependency):
                        found.add(dependency)
        return frozenset(found)

    return {root: reach(root) for root in roots}
