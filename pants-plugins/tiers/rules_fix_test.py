from __future__ import annotations

import pytest
from pants.core.goals.fix import FixResult
from pants.core.util_rules.partitions import Partitions
from pants.engine.addresses import Address
from pants.engine.fs import DigestContents
from pants.testutil.rule_runner import RuleRunner

from tiers import fix
from tiers.fix import TiersFixRequest
from tiers.rules_test_support import (
    new_rule_runner,
    record_calls,
    set_options,
    snapshot_of,
    start_new_run,
)
from tiers.subsystem import TierFieldSet

pytestmark = pytest.mark.unit


@pytest.fixture
def rule_runner() -> RuleRunner:
    return new_rule_runner()


def run_fix(rule_runner: RuleRunner, files: dict[str, str], *extra: str) -> dict[str, str]:
    """Runs the fixer over every test file; returns the files it changed, with new content."""
    rule_runner.write_files(files)  # type: ignore[arg-type]
    if extra:
        set_options(rule_runner, *extra)
    field_sets = tuple(
        TierFieldSet.create(rule_runner.get_target(Address(d, relative_file_path=f)))
        for path in sorted(files)
        if path.endswith(".py")
        for d, f in [path.rsplit("/", 1)]
    )
    partitions = rule_runner.request(Partitions, [TiersFixRequest.PartitionRequest(field_sets)])
    changed: dict[str, str] = {}
    for partition in partitions:
        snapshot = snapshot_of(rule_runner, list(partition.elements))
        result = rule_runner.request(
            FixResult,
            [TiersFixRequest.Batch("tiers", partition.elements, partition.metadata, snapshot)],
        )
        if result.did_change:
            contents = rule_runner.request(DigestContents, [result.output.digest])
            changed.update(
                {
                    fc.path: fc.content.decode()
                    for fc in contents
                    if fc.content.decode() != files[fc.path]
                }
            )
    return changed


REPO = {
    "unit/BUILD": 'python_tests(tags=["unit"])\n',
    "unit/test_missing.py": '"""Doc."""\nimport os\n\n\ndef test(): assert os\n',
    "unit/test_ok.py": "import pytest\n\npytestmark = pytest.mark.unit\n",
    "integ/BUILD": 'python_tests(tags=["integration"])\n',
    "integ/test_wrong.py": "import pytest\n\npytestmark = [pytest.mark.slow, pytest.mark.unit]  # keep me\n",
    "untagged/BUILD": "python_tests()\n",
    "untagged/test_x.py": "def test(): pass\n",
}


def test_inserts_and_corrects_and_leaves_the_rest(rule_runner: RuleRunner) -> None:
    changed = run_fix(rule_runner, REPO)
    assert changed == {
        "unit/test_missing.py": '"""Doc."""\nimport os\nimport pytest\n\npytestmark = pytest.mark.unit\n\n\ndef test(): assert os\n',
        "integ/test_wrong.py": "import pytest\n\npytestmark = [pytest.mark.slow, pytest.mark.integration]  # keep me\n",
    }


def test_second_run_changes_nothing(rule_runner: RuleRunner) -> None:
    first = run_fix(rule_runner, REPO)
    assert run_fix(rule_runner, {**REPO, **first}) == {}


def test_a_new_run_reuses_the_fixes_until_a_file_changes(
    rule_runner: RuleRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pantsd starts a session per run and never memoizes a `FixResult`; the fixes must be."""
    fixed = record_calls(monkeypatch, fix, "fix_pytestmark")
    first = run_fix(rule_runner, REPO)
    calls = len(fixed)
    assert calls == 3  # every tagged test file, once

    start_new_run(rule_runner)
    assert run_fix(rule_runner, REPO) == first
    assert len(fixed) == calls

    start_new_run(rule_runner)
    edited = {**REPO, "unit/test_ok.py": "def test(): pass\n"}
    assert "unit/test_ok.py" in run_fix(rule_runner, edited)
    assert len(fixed) > calls


def test_untouched_bytes(rule_runner: RuleRunner) -> None:
    original = "# café ☕\r\nimport pytest\r\n\r\npytestmark = pytest.mark.integration\r\n\r\ndef test():\r\n    assert 'ü'\r\n"
    changed = run_fix(
        rule_runner, {"unit/BUILD": 'python_tests(tags=["unit"])\n', "unit/test_b.py": original}
    )
    assert changed == {"unit/test_b.py": original.replace("mark.integration", "mark.unit")}


def test_skip(rule_runner: RuleRunner) -> None:
    assert run_fix(rule_runner, REPO, "--tiers-skip") == {}
