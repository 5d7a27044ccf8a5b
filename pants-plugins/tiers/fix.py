"""The `tiers` fixer: `pants fix` writes each test file's module-level `pytestmark`.

BUILD is the source of truth. Files are partitioned by tier, so the fix rule knows which tier
each file must carry; targets with no tier or several are left for the linter to report.
As with the linter, the work is in a memoized rule, because Pants never memoizes a `FixResult`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pants.core.goals.fix import FixResult, FixTargetsRequest
from pants.core.util_rules.partitions import Partition, Partitions
from pants.engine.fs import CreateDigest, Digest, DigestContents, FileContent, Snapshot
from pants.engine.rules import Get, collect_rules, rule
from pants.util.logging import LogLevel

from pytest_tiers.pytestmark_fix import fix_pytestmark
from tiers.subsystem import TierFieldSet, TiersSubsystem


@dataclass(frozen=True)
class TierPartitionMetadata:
    tier: str

    @property
    def description(self) -> str:
        return f"tier {self.tier}"


class TiersFixRequest(FixTargetsRequest):
    field_set_type = TierFieldSet
    tool_subsystem = TiersSubsystem


@rule
async def partition_by_tier(
    request: TiersFixRequest.PartitionRequest[TierFieldSet], tiers: TiersSubsystem
) -> Partitions[str, TierPartitionMetadata]:
    if tiers.skip:
        return Partitions()
    files_by_tier: dict[str, list[str]] = {}
    for fs in request.field_sets:
        tier = tiers.vocabulary.tier_of(fs.tag_values)
        if tier is not None:
            files_by_tier.setdefault(tier, []).append(fs.source.file_path)
    return Partitions(
        Partition(tuple(sorted(files)), TierPartitionMetadata(tier))
        for tier, files in sorted(files_by_tier.items())
    )


@dataclass(frozen=True)
class PytestmarkFixRequest:
    """Test files that must all carry `tier`."""

    digest: Digest
    tier: str


@rule(desc="Write pytestmark from BUILD tiers", level=LogLevel.DEBUG)
async def write_pytestmarks(request: PytestmarkFixRequest, tiers: TiersSubsystem) -> Snapshot:
    contents = await Get(DigestContents, Digest, request.digest)
    fixed = [
        FileContent(
            fc.path, fix_pytestmark(fc.content, request.tier, tiers.names), fc.is_executable
        )
        for fc in contents
    ]
    return await Get(Snapshot, CreateDigest(fixed))


@rule(desc="Fix test tiers", level=LogLevel.DEBUG)
async def fix_tiers(request: TiersFixRequest.Batch[str, TierPartitionMetadata]) -> FixResult:
    output = await Get(
        Snapshot,
        PytestmarkFixRequest(request.snapshot.digest, request.partition_metadata.tier),
    )
    return FixResult(
        input=request.snapshot, output=output, stdout="", stderr="", tool_name=request.tool_name
    )


def rules():
    return [*collect_rules(), *TiersFixRequest.rules()]
