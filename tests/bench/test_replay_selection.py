"""The replay benchmark's bookkeeping: when the pantsd it keeps warm must be restarted, which
line of a Pants failure a skipped commit is reported with, and the table it writes."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from affected_tests import Plan
from pants_selection import PantsError
from replay_selection import (
    Replayed,
    changes_pants_own_code,
    fraction,
    main,
    pants_error_line,
    table,
    widening,
)
from scoping.scope import Reach, Scope

pytestmark = pytest.mark.unit

OWN_CODE = ("pants-plugins", "pants", "pants.toml")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def commit(repo: Path, path: str, text: str) -> str:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git(repo, "add", "--all")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", path)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "--quiet")
    return tmp_path


def test_a_change_to_plugin_code_or_pants_configuration_restarts_pantsd(repo: Path) -> None:
    first = commit(repo, "README.md", "one\n")
    readme = commit(repo, "README.md", "two\n")
    plugin = commit(repo, "pants-plugins/tiers/rules.py", "X = 1\n")
    config = commit(repo, "pants.toml", "[GLOBAL]\n")
    assert not changes_pants_own_code(repo, first, readme, OWN_CODE)
    assert changes_pants_own_code(repo, readme, plugin, OWN_CODE)
    assert changes_pants_own_code(repo, plugin, config, OWN_CODE)
    # Going back counts too: the pantsd then runs the newer code.
    assert changes_pants_own_code(repo, config, first, OWN_CODE)


def test_a_skipped_commit_is_reported_with_pants_own_error_line() -> None:
    error = PantsError(
        "/tmp/tree",
        "`/tmp/tree/pants help-all` failed (exit 1):\n"
        "01:12:29.60 [INFO] Initialization options changed: reinitializing scheduler...\n"
        "01:12:35.80 [ERROR] Invalid option 'attempts' under [tiers] in /tmp/tree/pants.toml\n"
        "Use --print-stacktrace for more error details and/or -ldebug for more logs.\n"
        "Consider reaching out for help: https://www.pantsbuild.org/v2.17/docs/getting-help\n",
        "fix what Pants reports above, then re-run.",
    )
    assert pants_error_line(error) == (
        "01:12:35.80 [ERROR] Invalid option 'attempts' under [tiers] in /tmp/tree/pants.toml"
    )


def test_the_table_names_the_rule_that_widened_each_commit() -> None:
    launcher = Scope("pants", "the Pants launcher", Reach(whole=True))
    below = Reach(below=("tests/unit",), described="tests/unit/**")
    conftest = Scope("tests/unit/conftest.py", "a pytest conftest", below)
    plans = {
        "unit": Plan("unit", (conftest,), ("tests/unit/test_a.py",), (), 4),
        "integration": Plan("integration", (conftest,), (), (), 2),
    }
    whole = {
        "unit": Plan("unit", (launcher,), ("a", "b", "c", "d"), (), 4),
        "integration": Plan("integration", (launcher,), ("e", "f"), (), 2),
    }
    graph = {"unit": Plan("unit", (), (), (), 4), "integration": Plan("integration", (), (), (), 2)}
    assert widening(plans["unit"]) == "scoped: tests/unit/conftest.py (tests/unit/**)"
    assert widening(whole["unit"]) == "whole tier: pants (the Pants launcher)"
    assert widening(graph["unit"]) == "graph only"
    assert fraction(plans["unit"]) == 0.25 and fraction(Plan("unit", (), (), (), 0)) == 0.0
    text = table(
        ["unit", "integration"],
        [
            Replayed("a" * 40, "conftest | edit", plans),
            Replayed("b" * 40, "launcher", whole),
            Replayed("c" * 40, "broken tree", None, "[ERROR] Invalid option"),
        ],
        ["- unit: mean 0.417"],
    )
    rows = text.splitlines()[-3:]
    assert rows == [
        "| aaaaaaaaaa | conftest \\| edit | 1/4 | 0/2 | 0.25 | 0.00 | "
        "scoped: tests/unit/conftest.py (tests/unit/**) |",
        "| bbbbbbbbbb | launcher | 4/4 | 2/2 | 1.00 | 1.00 | "
        "whole tier: pants (the Pants launcher) |",
        "| cccccccccc | broken tree | skipped | skipped | skipped | skipped | "
        "skipped: [ERROR] Invalid option |",
    ]
    assert "- unit: mean 0.417" in text


# A stand-in for `./pants`, committed in the scratch repository the replay runs on.
FAKE_PANTS = r'''#!/usr/bin/env python3
"""A stand-in for `./pants` in a scratch repository: answers the queries the selection replay
asks (`help-all`, `peek ::`, `--changed-since=... peek`) and keeps a stand-in pantsd running
(a sleeping process whose pid file is where Pants writes pantsd's), so that a test sees when the
replay stops it. Every pantsd start is appended to $FAKE_PANTS_LOG."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PID_FILE = ROOT / ".pids" / "fake" / "pantsd" / "pid"


def option(key: str, value: object) -> dict[str, object]:
    return {"config_key": key, "value_history": {"ranked_values": [{"value": value}]}}


HELP = {
    "scope_to_help_info": {
        "": {"basic": [option("pythonpath", ["%(buildroot)s/pants-plugins"])], "advanced": []},
        "tiers": {"basic": [option("names", ["unit", "integration"])], "advanced": []},
    }
}
GRAPH = [
    {
        "address": "tests/test_a.py:tests",
        "target_type": "python_test",
        "tags": ["unit"],
        "sources": ["tests/test_a.py"],
        "dependencies": [],
    }
]


def ensure_pantsd() -> None:
    try:
        os.kill(int(PID_FILE.read_text()), 0)
        return
    except (OSError, ValueError):
        pass
    quiet = subprocess.DEVNULL  # like a daemon: no hold on the caller's pipes
    daemon = subprocess.Popen(
        ["sleep", "300"], stdin=quiet, stdout=quiet, stderr=quiet, start_new_session=True
    )
    PID_FILE.parent.mkdir(parents=True, exist_ok=True)
    PID_FILE.write_text(str(daemon.pid))
    with open(os.environ["FAKE_PANTS_LOG"], "a") as log:
        log.write(f"{daemon.pid}\n")


ensure_pantsd()
args = sys.argv[1:]
if args == ["help-all"]:
    print(json.dumps(HELP))
elif args == ["peek", "::"]:
    print(json.dumps(GRAPH))
elif args[-1] == "peek" and args[0].startswith("--changed-since="):
    print("[]")
else:
    sys.exit(f"fake pants: unexpected arguments {args}")
'''


def test_the_replay_restarts_pantsd_only_when_a_checkout_changes_its_code(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path_factory.mktemp("out")
    log = out / "pantsd.log"
    monkeypatch.setenv("FAKE_PANTS_LOG", str(log))
    (repo / "pants").write_text(FAKE_PANTS)
    (repo / "pants").chmod(0o755)
    (repo / ".gitignore").write_text(".pids/\n")
    (repo / "tests").mkdir()
    (repo / "tests/test_a.py").write_text("def test_a() -> None:\n    pass\n")
    (repo / "pants-plugins").mkdir()
    (repo / "pants-plugins/plug.py").write_text("X = 1\n")
    commit(repo, "README.md", "zero\n")  # the root commit: skipped
    commit(repo, "README.md", "one\n")
    commit(repo, "pants-plugins/plug.py", "X = 2\n")
    commit(repo, "README.md", "two\n")
    table_file = out / "replay.md"
    argv = ["replay_selection.py", "--repo", str(repo), "-n", "9", "--out", str(table_file)]
    monkeypatch.setattr("sys.argv", argv)
    handler = signal.getsignal(signal.SIGTERM)
    try:
        main()
    finally:
        signal.signal(signal.SIGTERM, handler)

    # Newest first: the README commit and the plugin commit under it share the first pantsd
    # (the checkout changes only README.md); checking out the commit before the plugin change
    # stops it and starts another; the end of the run stops that one too.
    pids = [int(line) for line in log.read_text().split()]
    assert len(pids) == 2, pids
    assert not any(running(pid) for pid in pids)
    printed = capsys.readouterr().out
    assert "[4/4]" in printed and "skipped: root commit (no parent)" in printed
    assert "3 of 4 commits evaluated (1 skipped)" in printed
    assert "- unit: mean 0.000, median 0.000 of the tier selected" in printed
    rows = [line for line in table_file.read_text().splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[1] for row in rows[2:]] == [
        "README.md",
        "pants-plugins/plug.py",
        "README.md",
        "README.md",
    ]


def running(pid: int) -> bool:
    """Alive and not a zombie (an exited process its parent has not reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False
