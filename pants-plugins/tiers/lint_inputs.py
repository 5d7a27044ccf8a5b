"""The rules that gather what the linter's pure checks read, one question per rule.

`check_tiers` (lint.py) asks all of them at once; each answer is memoized by the engine, so a
warm run recomputes only what an edit touched.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pants.backend.python.pip_requirement import PipRequirement
from pants.backend.python.util_rules import pex_requirements
from pants.backend.python.util_rules.pex_requirements import (
    LoadedLockfile,
    LoadedLockfileRequest,
    Lockfile,
    Resolve,
)
from pants.engine.addresses import Address, Addresses
from pants.engine.fs import Digest, DigestContents, PathGlobs
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import (
    AllTargets,
    Dependencies,
    DependenciesRequest,
    TransitiveTargets,
    TransitiveTargetsRequest,
)
from pants.util.frozendict import FrozenDict

from tiers.dependency_checks import matches_address
from tiers.pytest_config import ConfigError, ConfigFinder, candidate_paths
from tiers.subsystem import TierFieldSet


@dataclass(frozen=True)
class FileContentsRequest:
    """The contents of those of `paths` that exist (missing ones are simply absent)."""

    paths: tuple[str, ...]

    @classmethod
    def of(cls, paths: Iterable[str]) -> FileContentsRequest:
        return cls(tuple(sorted(set(paths))))

    @classmethod
    def config_candidates(cls, test_paths: Iterable[str]) -> FileContentsRequest:
        """Every file that could hold the pytest configuration of one of `test_paths`."""
        directories = {os.path.dirname(path) for path in test_paths}
        return cls.of(p for d in directories for p in candidate_paths(os.path.join(d, "_")))


@dataclass(frozen=True)
class FileContents:
    by_path: FrozenDict[str, bytes]


@rule
async def read_files(request: FileContentsRequest) -> FileContents:
    contents = await Get(DigestContents, PathGlobs(request.paths))
    return FileContents(FrozenDict({fc.path: fc.content for fc in contents}))


# Resolve facts: which resolves lock a project (TIER205 asks for pytest-asyncio).


@dataclass(frozen=True)
class LockedProjectsRequest:
    resolve: str


@dataclass(frozen=True)
class LockedProjects:
    """The canonical names of every project the resolve's lockfile pins."""

    names: frozenset[str]


def pex_lock_projects(lock: bytes) -> frozenset[str]:
    """Project names in a pex JSON lock (already stripped of Pants' header by `LoadedLockfile`)."""
    try:
        data = json.loads(lock)
    except ValueError:
        return frozenset()  # pex would reject it too; Pants reports that when it builds
    return frozenset(
        str(requirement.get("project_name", ""))
        for resolve in data.get("locked_resolves", [])
        for requirement in resolve.get("locked_requirements", [])
    )


def canonicalize_name(name: str) -> str:
    """PEP 503: `Pytest_Asyncio` and `pytest.asyncio` are `pytest-asyncio`."""
    return re.sub(r"[-_.]+", "-", name).lower()


@rule
async def locked_projects(request: LockedProjectsRequest) -> LockedProjects:
    lockfile = await Get(Lockfile, Resolve(request.resolve, use_entire_lockfile=True))
    loaded = await Get(LoadedLockfile, LoadedLockfileRequest(lockfile))
    if loaded.is_pex_native:
        contents = await Get(DigestContents, Digest, loaded.lockfile_digest)
        names = pex_lock_projects(contents[0].content) if contents else frozenset()
    else:
        names = frozenset(
            PipRequirement.parse(c).project_name for c in loaded.as_constraints_strings or ()
        )
    return LockedProjects(frozenset(canonicalize_name(n) for n in names if n))


@dataclass(frozen=True)
class ResolvesLockingRequest:
    project: str
    resolves: tuple[str, ...]


@dataclass(frozen=True)
class ResolvesLocking:
    """Those of the requested resolves whose lockfile pins the project."""

    resolves: frozenset[str]


@rule
async def resolves_locking(request: ResolvesLockingRequest) -> ResolvesLocking:
    locked = await MultiGet(Get(LockedProjects, LockedProjectsRequest(r)) for r in request.resolves)
    project = canonicalize_name(request.project)
    return ResolvesLocking(
        frozenset(r for r, projects in zip(request.resolves, locked) if project in projects.names)
    )


# The hermetic tier's dependency closure (TIER301).


@dataclass(frozen=True)
class IntegrationOnlyReachRequest:
    roots: tuple[Address, ...]
    integration_only: tuple[str, ...]  # `[tiers].integration_only` specs


@dataclass(frozen=True)
class IntegrationOnlyReach:
    """For each root, the integration-only addresses in its transitive dependencies."""

    reached: FrozenDict[Address, tuple[str, ...]]


def _is_integration_only(address: Address, specs: tuple[str, ...]) -> bool:
    generator = (
        address.maybe_convert_to_target_generator().spec if address.is_generated_target else None
    )
    return any(matches_address(s, address.spec, generator, address.spec_path) for s in specs)


@rule
async def integration_only_reach(request: IntegrationOnlyReachRequest) -> IntegrationOnlyReach:
    """One closure for all roots, then a plain walk over its edges in memory: cheaper than one
    `TransitiveTargets` per root when thousands of tests share their dependencies."""
    if not request.roots or not request.integration_only:
        return IntegrationOnlyReach(FrozenDict())
    closure = await Get(TransitiveTargets, TransitiveTargetsRequest(request.roots))
    targets = [t for t in closure.closure if t.has_field(Dependencies)]
    direct = await MultiGet(Get(Addresses, DependenciesRequest(t[Dependencies])) for t in targets)
    edges = {t.address: tuple(deps) for t, deps in zip(targets, direct)}

    def reach(root: Address) -> tuple[str, ...]:
        seen, stack, found = {root}, [root], set()
        while stack:
            for dependency in edges.get(stack.pop(), ()):
                if dependency not in seen:  # cycles are legal in Pants
                    seen.add(dependency)
                    stack.append(dependency)
                    if _is_integration_only(dependency, request.integration_only):
                        found.add(dependency.spec)
        return tuple(sorted(found))

    return IntegrationOnlyReach(FrozenDict({root: reach(root) for root in request.roots}))


# Every test that shares a batch tag, across the whole repository (TIER207).


@dataclass(frozen=True)
class BatchConfigsRequest:
    batch_tag: str


@dataclass(frozen=True)
class BatchConfigs:
    """Every test target in the repository with the batch tag -> the path of the pytest
    configuration it uses (targets whose configuration is missing or unreadable are left out:
    TIER201 and TIER206 report those)."""

    config_of: FrozenDict[str, str]


@rule
async def configs_of_batch(request: BatchConfigsRequest, all_targets: AllTargets) -> BatchConfigs:
    """Memoized per tag: however many lint batches hold its tests, it is computed once."""
    members = [
        fs
        for fs in (TierFieldSet.create(t) for t in all_targets if TierFieldSet.is_applicable(t))
        if fs.batch_tag.value == request.batch_tag
    ]
    paths = [fs.source.file_path for fs in members]
    files = await Get(FileContents, FileContentsRequest, FileContentsRequest.config_candidates(paths))
    finder = ConfigFinder(files.by_path)
    config_of = {}
    for fs in members:
        try:
            config = finder.find(fs.source.file_path)
        except ConfigError:
            continue
        if config is not None:
            config_of[fs.address.spec] = config.path
    return BatchConfigs(FrozenDict(config_of))


@dataclass(frozen=True)
class AllBatchConfigsRequest:
    batch_tags: tuple[str, ...]


@dataclass(frozen=True)
class AllBatchConfigs:
    """Batch tag -> `BatchConfigs.config_of`."""

    by_tag: FrozenDict[str, FrozenDict[str, str]]


@rule
async def configs_of_batches(request: AllBatchConfigsRequest) -> AllBatchConfigs:
    found = await MultiGet(Get(BatchConfigs, BatchConfigsRequest(t)) for t in request.batch_tags)
    return AllBatchConfigs(
        FrozenDict({t: b.config_of for t, b in zip(request.batch_tags, found)})
    )


def rules():
    return [*collect_rules(), *pex_requirements.rules()]
