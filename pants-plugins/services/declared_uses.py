"""Tell pytest which services each test target declares: a file per test file in its sandbox.

Pants 2.17 lets a `PytestPluginSetupRequest` add files to pytest's sandbox, not environment
variables. Every `python_test` target gets `pytest_tiers.services.declared_uses_file(path)`
holding `{"uses": [...]}` (empty without `uses`), so that pytest-tiers can fail a test that
reaches a service its target does not declare. A missing file means the run is not under this
plugin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pants.backend.python.goals.pytest_runner import PytestPluginSetup, PytestPluginSetupRequest
from pants.backend.python.target_types import PythonTestSourceField
from pants.engine.fs import CreateDigest, Digest, FileContent
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.target import Target
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from pytest_tiers.services import declared_uses_file
from services.target_types import UsesServicesField


@dataclass(frozen=True)
class DeclaredUsesRequest(PytestPluginSetupRequest):
    @classmethod
    def is_applicable(cls, target: Target) -> bool:
        return target.has_field(PythonTestSourceField)


@rule(desc="Declaring the services a test uses", level=LogLevel.DEBUG)
async def declare_uses(request: DeclaredUsesRequest) -> PytestPluginSetup:
    path = request.target[PythonTestSourceField].file_path
    uses = sorted(request.target.get(UsesServicesField).value or ())
    content = json.dumps({"uses": uses}).encode()
    digest = await Get(Digest, CreateDigest([FileContent(declared_uses_file(path), content)]))
    return PytestPluginSetup(digest)


def rules():
    return [*collect_rules(), UnionRule(PytestPluginSetupRequest, DeclaredUsesRequest)]
