"""The `tiers` linter: one in-process check over every test target, in a single partition.

Pants marks every `LintResult` uncacheable so that it is printed on each run; a rule that
returns one is re-run by pantsd every time. The checks therefore live in their own rule, which
returns `TierViolations` and is memoized like any other: a warm run re-checks only the batch
whose inputs changed, and the `LintResult` rule merely renders the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pants.backend.python.subsystems.setup import PythonSetup
from pants.core.goals.lint import LintResult, LintTargetsRequest
from pants.core.util_rules.partitions import PartitionerType
from pants.engine.addresses import Address
from pants.engine.collection import Collection
from pants.engine.rules import Get, collect_rules, rule
from pants.util.logging import LogLevel

from tiers.config_checks import check_batches, check_config, unreadable_config
from tiers.dependency_checks import check_unit_dependencies, matches_address
from tiers.mark_checks import check_file_marks
from tiers.tag_checks import check_tags
from tiers.inputs import (
    TierFieldSet,
    reachable_matching,
    read_config_candidates,
    read_test_sources,
    resolves_with,
)
from tiers.pytest_config import ConfigError, ConfigFinder, PytestConfig
from tiers.subsystem import TiersSubsystem
from tiers.violations import Violation, render_report


class TiersLintRequest(LintTargetsRequest):
    field_set_type = TierFieldSet
    tool_subsystem = TiersSubsystem
    partitioner_type = PartitionerType.DEFAULT_SINGLE_PARTITION


def _is_integration_only(address: Address, specs: tuple[str, ...]) -> bool:
    generator = (
        address.maybe_convert_to_target_generator().spec if address.is_generated_target else None
    )
    return any(matches_address(s, address.spec, generator, address.spec_path) for s in specs)


@dataclass(frozen=True)
class TierCheckRequest:
    """The test targets of one lint batch, to check together."""

    field_sets: tuple[TierFieldSet, ...]


class TierViolations(Collection[Violation]):
    """What `TierCheckRequest` found: a memoizable value, unlike `LintResult`."""


@rule(desc="Check test tiers", level=LogLevel.DEBUG)
async def check_tiers(
    request: TierCheckRequest, tiers: TiersSubsystem, python_setup: PythonSetup
) -> TierViolations:
    vocabulary = tiers.vocabulary
    field_sets = request.field_sets
    test_paths = [fs.source.file_path for fs in field_sets]
    sources = await read_test_sources(field_sets)
    configs = ConfigFinder(await read_config_candidates(test_paths))
    asyncio_resolves = (
        await resolves_with("pytest-asyncio", field_sets, python_setup)
        if tiers.require_asyncio_loop_scope
        else frozenset()
    )

    violations: list[Violation] = []
    tier_of: dict[Address, str | None] = {}
    configs_by_tag: dict[str, dict[str, str]] = {}
    for fs in field_sets:
        tier = vocabulary.tier_of(fs.tag_values)
        tier_of[fs.address] = tier
        violations.extend(check_tags(fs.address.spec, fs.tag_values, vocabulary))
        path = fs.source.file_path
        violations.extend(check_file_marks(path, sources.get(path, b""), tier, vocabulary))
        try:
            config: PytestConfig | None = configs.find(path)
        except ConfigError as e:
            violations.append(unreadable_config(e))
            continue
        if fs.batch_tag.value and config is not None:
            configs_by_tag.setdefault(fs.batch_tag.value, {})[fs.address.spec] = config.path
        violations.extend(
            check_config(
                config,
                path,
                vocabulary,
                require_strict_markers=tiers.require_strict_markers,
                require_asyncio_loop_scope=fs.resolve.normalized_value(python_setup)
                in asyncio_resolves,
            )
        )

    violations.extend(check_batches(configs_by_tag))

    unit_tier = vocabulary.tiers[0]
    if tiers.integration_only:
        specs = tuple(tiers.integration_only)
        reached = await reachable_matching(
            (a for a, t in tier_of.items() if t == unit_tier),
            lambda address: _is_integration_only(address, specs),
        )
        for address, found in reached.items():
            spec_list = [a.spec for a in found]
            violations.extend(
                check_unit_dependencies(address.spec, spec_list, unit_tier)
            )

    return TierViolations(violations)


@rule(desc="Report test tier violations", level=LogLevel.DEBUG)
async def lint_tiers(request: TiersLintRequest.Batch[TierFieldSet, Any]) -> LintResult:
    violations = await Get(TierViolations, TierCheckRequest(request.elements))
    report = render_report(violations)
    return LintResult(
        exit_code=1 if report else 0,
        stdout=report,
        stderr="",
        linter_name=TiersSubsystem.name,
    )


def rules():
    return [*collect_rules(), *TiersLintRequest.rules()]
