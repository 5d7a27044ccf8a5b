"""The `tiers` linter: one in-process check over every test target, in a single partition.

Pants marks every `LintResult` uncacheable so that it is printed on each run; a rule that
returns one is re-run by pantsd every time. The checks therefore live in their own rule, which
returns `TierViolations` and is memoized like any other: a warm run re-checks only the batch
whose inputs changed, and the `LintResult` rule merely renders the answer. That rule also
reads today's date on every run (`[tiers].today` pins it) and passes it into the checks'
request, so that a quarantine that expired overnight (TIER402) is seen by a warm pantsd.

`check_tiers` gathers everything the checks read in one step (lint_inputs.py) and hands it to
the pure checks (`*_checks.py`). TIER207 compares every test target in the repository that
shares a `batch_compatibility_tag`, not only those of one lint batch; each of its findings is
reported by the lint batch that holds the target it names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pants.backend.python.subsystems.setup import PythonSetup
from pants.core.goals.lint import LintResult, LintTargetsRequest
from pants.core.util_rules.partitions import PartitionerType
from pants.engine.collection import Collection
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.util.logging import LogLevel

from services.subsystem import ServicesSubsystem
from tiers import lint_inputs
from tiers.config_checks import (
    check_batches,
    check_config,
    check_plugin_keys,
    unreadable_config,
)
from tiers.dependency_checks import check_all_unit_dependencies, hermetic_targets
from tiers.lint_inputs import (
    AllBatchConfigs,
    AllBatchConfigsRequest,
    FileContents,
    FileContentsRequest,
    IntegrationOnlyReach,
    IntegrationOnlyReachRequest,
    ResolvesLocking,
    ResolvesLockingRequest,
)
from tiers.mark_checks import check_file_marks
from tiers.pytest_config import ConfigError, ConfigFinder, PytestConfig
from tiers.quarantine_checks import check_quarantines
from tiers.subsystem import TierFieldSet, TiersSubsystem
from tiers.tag_checks import check_tags
from tiers.violations import Violation, render_report


class TiersLintRequest(LintTargetsRequest):
    field_set_type = TierFieldSet
    tool_subsystem = TiersSubsystem
    partitioner_type = PartitionerType.DEFAULT_SINGLE_PARTITION


@dataclass(frozen=True)
class TierCheckRequest:
    """The test targets of one lint batch, to check together, and the date quarantines are
    checked against (an input, so that the memoized checks see a new day)."""

    field_sets: tuple[TierFieldSet, ...]
    today: date


class TierViolations(Collection[Violation]):
    """What `TierCheckRequest` found: a memoizable value, unlike `LintResult`."""


@rule(desc="Check test tiers", level=LogLevel.DEBUG)
async def check_tiers(
    request: TierCheckRequest,
    tiers: TiersSubsystem,
    services: ServicesSubsystem,
    python_setup: PythonSetup,
) -> TierViolations:
    vocabulary = tiers.vocabulary
    attempts = tiers.attempts_per_tier
    field_sets = sorted(request.field_sets, key=lambda fs: fs.address)
    test_paths = [fs.source.file_path for fs in field_sets]
    resolve_of = {fs.address.spec: fs.resolve.normalized_value(python_setup) for fs in field_sets}
    tier_of = {fs.address.spec: vocabulary.tier_of(fs.tag_values) for fs in field_sets}
    hermetic = set(hermetic_targets(tier_of, vocabulary.hermetic_tier))

    sources, config_files, asyncio_resolves, reach, batches = await MultiGet(
        Get(FileContents, FileContentsRequest, FileContentsRequest.of(test_paths)),
        Get(FileContents, FileContentsRequest, FileContentsRequest.config_candidates(test_paths)),
        Get(
            ResolvesLocking,
            ResolvesLockingRequest(
                "pytest-asyncio",
                tuple(sorted(set(resolve_of.values())))
                if tiers.require_asyncio_loop_scope
                else (),
            ),
        ),
        Get(
            IntegrationOnlyReach,
            IntegrationOnlyReachRequest(
                tuple(fs.address for fs in field_sets if fs.address.spec in hermetic),
                tuple(tiers.integration_only),
            ),
        ),
        Get(
            AllBatchConfigs,
            AllBatchConfigsRequest(
                tuple(sorted({fs.batch_tag.value for fs in field_sets if fs.batch_tag.value}))
            ),
        ),
    )

    configs = ConfigFinder(config_files.by_path)
    violations: list[Violation] = []
    for fs in field_sets:
        address, path = fs.address.spec, fs.source.file_path
        violations.extend(check_tags(address, fs.tag_values, vocabulary))
        source = sources.by_path.get(path, b"")
        violations.extend(check_file_marks(path, source, tier_of[address], vocabulary))
        violations.extend(check_quarantines(path, source, request.today))
        try:
            config: PytestConfig | None = configs.find(path)
        except ConfigError as e:
            violations.append(unreadable_config(e))
            continue
        violations.extend(
            check_config(
                config,
                path,
                vocabulary,
                require_strict_markers=tiers.require_strict_markers,
                require_asyncio_loop_scope=resolve_of[address] in asyncio_resolves.resolves,
            )
        )
        if config is not None and vocabulary.tiers_in(fs.tag_values):
            violations.extend(
                check_plugin_keys(
                    config,
                    vocabulary,
                    services.env_vars.values(),
                    attempts,
                    require_pytest_plugin=tiers.require_pytest_plugin,
                )
            )
    violations.extend(_batch_violations(batches.by_tag, [fs.address.spec for fs in field_sets]))
    violations.extend(
        check_all_unit_dependencies(
            {a.spec: found for a, found in reach.reached.items()}, vocabulary.hermetic_tier
        )
    )
    return TierViolations(violations)


def _batch_violations(
    configs_by_tag: Mapping[str, Mapping[str, str]], addresses: Sequence[str]
) -> list[Violation]:
    """TIER207 over every target of each tag, kept to the findings this lint batch holds."""
    here = set(addresses)
    return [v for v in check_batches(configs_by_tag) if v.location in here]


@rule(desc="Report test tier violations", level=LogLevel.DEBUG)
async def lint_tiers(
    request: TiersLintRequest.Batch[TierFieldSet, Any], tiers: TiersSubsystem
) -> LintResult:
    # Read on every run (this rule is never memoized): the date is part of the checks' input.
    today = tiers.quarantine_date()
    violations = await Get(TierViolations, TierCheckRequest(request.elements, today))
    report = render_report(violations)
    return LintResult(
        exit_code=1 if report else 0,
        stdout=report,
        stderr="",
        linter_name=TiersSubsystem.name,
    )


def rules():
    return [*collect_rules(), *lint_inputs.rules(), *TiersLintRequest.rules()]
