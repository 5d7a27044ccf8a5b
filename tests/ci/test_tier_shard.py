"""tier_shard.py against a fake Pants that answers the queries and records each test run.

The fake stands in for `./pants` (the `--pants` option): it answers `help-all` (the tiers), a
`peek` of the tier and of `--changed-since`, and writes the files each `test` run was given.
Only git and Python child processes run, nothing connects: unit tier.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from ci.scratch_repo import ScratchRepo
from durations_record import save
from tier_shard import main

pytestmark = pytest.mark.unit

TESTS = [f"tests/unit/test_{name}.py" for name in ("a", "b", "c", "d", "e", "f", "g")]
# What --changed-since reports after a change to src/shop/prices.py: three tests depend on it.
AFFECTED = TESTS[1:4]

FAKE_PANTS = """
import json, sys
args = sys.argv[1:]
def target(path, deps=()):
    return {"address": path, "target_type": "python_test", "tags": ["unit"],
            "sources": [path], "dependencies": list(deps)}
if args == ["help-all"]:
    option = {"config_key": "names", "value_history": {"ranked_values": [{"value": ["unit"]}]}}
    print(json.dumps({"scope_to_help_info": {"tiers": {"basic": [option], "advanced": []}}}))
elif "peek" in args and any(a.startswith("--changed-since") for a in args):
    source = {"address": "src/shop/prices.py", "target_type": "python_source", "tags": [],
              "sources": ["src/shop/prices.py"], "dependencies": []}
    print(json.dumps([source] + [target(p, ["src/shop/prices.py"]) for p in AFFECTED]))
elif "peek" in args:
    skipped = dict(target("tests/unit/test_skipped.py"), skip_tests=True)
    print(json.dumps([target(p) for p in TESTS] + [skipped]))
elif "test" in args:
    rest = args[args.index("test") + 1:]
    with open(LOG, "a") as log:
        log.write(json.dumps(rest) + "\\n")
"""


def fake_pants(tmp_path: Path) -> tuple[str, Path]:
    log = tmp_path / "runs.jsonl"
    script = tmp_path / "fake_pants.py"
    script.write_text(
        f"TESTS = {TESTS!r}\nAFFECTED = {AFFECTED!r}\nLOG = {str(log)!r}\n" + FAKE_PANTS
    )
    return f"{sys.executable} {script}", log


@pytest.fixture
def repo(tmp_path: Path) -> ScratchRepo:
    return ScratchRepo.create(tmp_path / "repo")


def runs(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def shard_files(
    log: Path, count: int, run: list[str], extra: tuple[str, ...] = ()
) -> list[list[str]]:
    """Run every shard k/count; the files each shard's test run was given."""
    found = []
    for index in range(count):
        before = len(runs(log))
        assert main([*run, "--shard", f"{index}/{count}", *extra]) == 0
        new = runs(log)[before:]
        found.append([a for r in new for a in r if a.endswith(".py")])
    return found


@pytest.mark.parametrize("count", [1, 2, 3, 8])
def test_sharded_whole_tier_runs_every_file_once_and_no_skipped_one(
    repo: ScratchRepo, tmp_path: Path, count: int
) -> None:
    pants, log = fake_pants(tmp_path)
    durations = tmp_path / "durations.json"
    save(durations, "unit", {p: float(i + 1) for i, p in enumerate(TESTS[:-1])})  # g unknown
    run = ["unit", "--pants", pants, "--repo", str(repo.root), "--durations", str(durations)]

    shards = shard_files(log, count, run, ("--", "--", "--tiers-check-uses"))

    every = [path for shard in shards for path in shard]
    assert sorted(every) == sorted(TESTS)
    assert len(every) == len(set(every))
    assert all(r[-2:] == ["--", "--tiers-check-uses"] for r in runs(log))


def test_sharded_affected_selection_runs_each_affected_file_once(
    repo: ScratchRepo, tmp_path: Path
) -> None:
    repo.branch("leaf")
    repo.append("src/shop/prices.py", "\nVAT_PERCENT = 20\n")
    repo.commit("leaf edit")
    pants, log = fake_pants(tmp_path)
    durations = tmp_path / "durations.json"
    save(durations, "unit", {p: 1.0 for p in TESTS})
    run = ["unit", "--base", "main", "--pants", pants, "--repo", str(repo.root)]

    shards = shard_files(log, 2, [*run, "--durations", str(durations)])

    assert sorted(p for shard in shards for p in shard) == sorted(AFFECTED)
    assert all(shards)


def test_without_a_record_pants_splits_the_selection_by_count(
    repo: ScratchRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pants, log = fake_pants(tmp_path)
    run = ["unit", "--pants", pants, "--repo", str(repo.root), "--durations", "/no/such.json"]

    assert main([*run, "--shard", "1/2", "--", "--", "-x"]) == 0

    (only,) = runs(log)
    assert only == [*TESTS, "--test-shard=1/2", "--", "-x"]
    assert (
        "no recorded durations, so Pants splits the 7 file(s) by count" in capsys.readouterr().out
    )


def test_a_bad_shard_is_a_usage_error(
    repo: ScratchRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pants, log = fake_pants(tmp_path)
    assert main(["unit", "--shard", "2/2", "--pants", pants, "--repo", str(repo.root)]) == 2
    assert "--shard: '2/2' is not a shard" in capsys.readouterr().err
    assert runs(log) == []
