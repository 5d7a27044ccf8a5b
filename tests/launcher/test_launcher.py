"""The ./pants launcher: argument reordering and its error when Python 3.9 is missing.

The launcher is sourced (which defines its functions without running Pants), so these tests
need neither Pants nor the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from launcher.facts import LAUNCHER, sourced

pytestmark = pytest.mark.unit

GLOBAL_ONLY = ["--tag", "--level", "-l", "--changed-since", "--no-pantsd", "--pantsd"]


def reorder(tmp_path: Path, *args: str) -> list[str]:
    flags = tmp_path / "flags.txt"
    flags.write_text("\n".join(GLOBAL_ONLY) + "\n")
    script = f'source "{LAUNCHER}"; reorder_args "$@"; printf "%s\\n" "${{REORDERED[@]}}"'
    result = subprocess.run(
        ["bash", "-c", script, "bash", str(flags), *args],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (["test", "--tag=unit", "::"], ["--tag=unit", "test", "::"]),
        (["--tag=unit", "test", "::"], ["--tag=unit", "test", "::"]),
        (["test", "::", "--tag=-integration"], ["--tag=-integration", "test", "::"]),
        (["lint", "test", "-ldebug", "::"], ["-ldebug", "lint", "test", "::"]),
        (
            ["test", "--no-pantsd", "--test-force", "::"],
            ["--no-pantsd", "test", "--test-force", "::"],
        ),
        (["test", "--force", "::"], ["test", "--force", "::"]),
        (["run", "app.py", "--", "--tag=x"], ["run", "app.py", "--", "--tag=x"]),
        (["--version"], ["--version"]),
    ],
)
def test_moves_only_global_flags_that_follow_a_goal(
    tmp_path: Path, typed: list[str], expected: list[str]
) -> None:
    assert reorder(tmp_path, *typed) == expected


def with_tier_selection(
    tmp_path: Path, *args: str, pants_toml: str, env: dict[str, str] | None = None
) -> list[str]:
    """What `add_tier_selection` makes of `args`, in a build root whose pants.toml is given."""
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    shutil.copy(LAUNCHER, root / "pants")
    (root / "pants.toml").write_text(pants_toml)
    script = f'source "{root / "pants"}"; add_tier_selection "$@"; printf "%s\\n" "${{CHECKED[@]}}"'
    result = subprocess.run(
        ["bash", "-c", script, "bash", *args],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **(env or {})},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


WITH_TIERS = '[GLOBAL]\npants_version = "2.17.1"\nbackend_packages = [\n  "pants.backend.python",\n  "tiers",\n]\n\n[pex-cli]\nversion = "v2.1.137"\n'


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (["--tag=unit", "test", "::"], ["--tag=unit", "tier-selection", "test", "::"]),
        (
            ["--tag=-integration", "lint", "test", "::", "--test-force"],
            ["--tag=-integration", "lint", "tier-selection", "test", "::", "--test-force"],
        ),
        (  # Pants takes no passthrough args with two goals: they become pytest's args
            ["--tag=unit", "test", "::", "--", "--tiers-check-uses", "-k", "a and b'c"],
            [
                "--tag=unit",
                "tier-selection",
                "test",
                "::",
                "--pytest-args='--tiers-check-uses'",
                "--pytest-args='-k'",
                "--pytest-args='a and b'\"'\"'c'",
            ],
        ),
        (["test", "::", "--", "-x"], ["test", "::", "--", "-x"]),
        (["test", "::"], ["test", "::"]),  # no tag filter: nothing to check
        (["--tag=unit", "lint", "::"], ["--tag=unit", "lint", "::"]),  # no test goal
        (["run", "app.py", "--", "--tag=x", "test"], ["run", "app.py", "--", "--tag=x", "test"]),
    ],
)
def test_tier_runs_get_the_tier_selection_check(
    tmp_path: Path, typed: list[str], expected: list[str]
) -> None:
    assert with_tier_selection(tmp_path, *typed, pants_toml=WITH_TIERS) == expected


def test_a_tag_from_the_environment_counts(tmp_path: Path) -> None:
    assert with_tier_selection(
        tmp_path, "test", "::", pants_toml=WITH_TIERS, env={"PANTS_TAG": "unit"}
    ) == ["tier-selection", "test", "::"]


def test_no_check_where_the_tiers_plugin_is_not_loaded(tmp_path: Path) -> None:
    without = WITH_TIERS.replace('  "tiers",\n', "") + '\n[tiers]\nnames = ["tiers"]\n'
    commented = WITH_TIERS.replace('  "tiers",\n', '  # "tiers",\n')
    for pants_toml in (without, commented):
        assert with_tier_selection(
            tmp_path, "--tag=unit", "test", "::", pants_toml=pants_toml
        ) == ["--tag=unit", "test", "::"]


def test_missing_python39_says_what_is_needed_and_how_to_get_it(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYENV_ROOT": str(tmp_path / "no-pyenv"),
        "PANTS_LAUNCHER_CACHE": str(tmp_path / "cache"),
    }
    assert not any(
        Path(d, "python3.9").exists() for d in ("/usr/bin", "/bin")
    ), "machine has a system 3.9"
    result = subprocess.run(
        ["bash", str(LAUNCHER), "--version"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "needs Python 3.9" in result.stderr
    assert "pyenv install 3.9" in result.stderr
    assert "PANTS_PYTHON" in result.stderr


def test_pants_python_that_is_not_39_is_rejected(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        HOME=str(tmp_path),
        PANTS_PYTHON="/bin/false",
        PANTS_LAUNCHER_CACHE=str(tmp_path),
    )
    result = subprocess.run(
        ["bash", str(LAUNCHER), "--version"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "PANTS_PYTHON=/bin/false is not a Python 3.9 interpreter" in result.stderr


def test_concurrent_first_uses_provision_once(tmp_path: Path) -> None:
    """Two launchers started together on an empty cache must not both build the venv."""
    ready, lock, log = tmp_path / "ready", tmp_path / "cache" / ".lock", tmp_path / "log"
    script = f"""
        source "{LAUNCHER}"
        provision() {{ echo "$$" >>"{log}"; sleep 1; touch "{ready}"; }}
        once_locked "{ready}" "{lock}" provision
    """
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    launchers = [
        subprocess.Popen(["bash", "-c", script], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    assert [launcher.wait() for launcher in launchers] == [0, 0]
    assert len(log.read_text().splitlines()) == 1
    assert ready.exists()


def minimal_env(home: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(home)}


def test_versions_come_from_pants_toml(tmp_path: Path) -> None:
    shutil.copy(LAUNCHER, tmp_path / "pants")
    (tmp_path / "pants.toml").write_text(
        '[GLOBAL]\npants_version = "9.8.7"  # a comment\n\n[pex-cli.x]\nversion = "v0"\n'
        '[pex-cli]\nknown_versions = []\n  version = "v1.2.3"\n'
    )
    result = sourced(tmp_path / "pants", "PANTS_VERSION", "PEX_VERSION", "VENV", env=minimal_env(tmp_path))
    assert result.returncode == 0, result.stderr
    version, pex, venv = result.stdout.splitlines()
    assert (version, pex) == ("9.8.7", "1.2.3")
    assert venv.endswith("/pants-9.8.7-py3.9")


@pytest.mark.parametrize(
    ("pants_toml", "problem"),
    [
        (None, "pants.toml: no such file."),
        ('[GLOBAL]\n[pex-cli]\nversion = "v1"\n', "pants.toml: [GLOBAL].pants_version is not set."),
    ],
)
def test_missing_version_is_an_error_with_the_fix(
    tmp_path: Path, pants_toml: str | None, problem: str
) -> None:
    shutil.copy(LAUNCHER, tmp_path / "pants")
    if pants_toml is not None:
        (tmp_path / "pants.toml").write_text(pants_toml)
    result = sourced(tmp_path / "pants", "PANTS_VERSION", env=minimal_env(tmp_path))
    assert result.returncode == 1
    assert f"pants launcher: {tmp_path}/{problem}\n    fix: " in result.stderr


def run_pants(
    tmp_path: Path, *args: str, native_exit: int | None, pantsd: str | None, **env: str
) -> tuple[int, list[str]]:
    """`run_pants ARGS` in a build root with a fake provisioned Pants: its Python client and
    (unless `native_exit` is None) its native client print what ran, the native one exiting
    `native_exit`. `pantsd`: None (no pid file), "this" (the pid of a live process started
    from that Pants' virtualenv) or "other" (a live process that is not)."""
    root, cache = tmp_path / "root", tmp_path / "cache"
    root.mkdir()
    shutil.copy(LAUNCHER, root / "pants")
    (root / "pants.toml").write_text(WITH_TIERS)
    venv = Path(sourced(root / "pants", "VENV", env={**minimal_env(tmp_path), "PANTS_LAUNCHER_CACHE": str(cache)}).stdout.strip())
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "pants").write_text('#!/bin/bash\necho "python $*"\n')
    (venv / "bin" / "pants").chmod(0o755)
    if native_exit is not None:
        native = venv / "lib/python3.9/site-packages/pants/bin/native_client"
        native.parent.mkdir(parents=True)
        native.write_text(f'#!/bin/bash\necho "native $*"\nexit {native_exit}\n')
        native.chmod(0o644)  # as pip installs it: not executable
    daemon = None
    if pantsd is not None:
        pids = root / ".pids" / "0123abcd" / "pantsd"
        pids.mkdir(parents=True)
        pid = os.getpid()
        if pantsd == "this":
            shutil.copy("/bin/sleep", venv / "bin" / "fake-pantsd")
            daemon = subprocess.Popen([str(venv / "bin" / "fake-pantsd"), "60"])
            pid = daemon.pid
        (pids / "pid").write_text(str(pid))
    script = f'source "{root / "pants"}"; run_pants "$@"'
    try:
        result = subprocess.run(
            ["bash", "-c", script, "bash", *args],
            env={**minimal_env(tmp_path), "PANTS_LAUNCHER_CACHE": str(cache), **env},
            capture_output=True,
            text=True,
        )
    finally:
        if daemon is not None:
            daemon.kill()
            daemon.wait()
    return result.returncode, result.stdout.splitlines()


def test_a_running_pantsd_gets_the_run_through_the_native_client(tmp_path: Path) -> None:
    assert run_pants(tmp_path, "test", "::", native_exit=3, pantsd="this") == (
        3,
        ["native test ::"],
    )


def test_the_python_client_runs_when_the_native_client_cannot(tmp_path: Path) -> None:
    """Exit 75 (EX_TEMPFAIL): the native client could not hand the run to pantsd."""
    assert run_pants(tmp_path, "test", "::", native_exit=75, pantsd="this") == (
        0,
        ["native test ::", "python test ::"],
    )


@pytest.mark.parametrize(
    ("args", "env", "pantsd"),
    [
        (["test", "::"], {}, None),  # no pantsd to hand the run to: the Python client starts it
        (["test", "::"], {}, "other"),  # another Pants' pantsd: the Python client restarts it
        (["--no-pantsd", "test", "::"], {}, "this"),
        (["--pantsd=false", "test", "::"], {}, "this"),
        (["--concurrent", "test", "::"], {}, "this"),
        (["test", "::"], {"PANTS_PANTSD": "false"}, "this"),
        (["test", "::"], {"PANTS_CONCURRENT": "True"}, "this"),
    ],
)
def test_no_native_client_where_pantsd_is_not_in_use(
    tmp_path: Path, args: list[str], env: dict[str, str], pantsd: str | None
) -> None:
    assert run_pants(tmp_path, *args, native_exit=0, pantsd=pantsd, **env) == (
        0,
        [f"python {' '.join(args)}"],
    )


def test_without_a_native_client_the_python_client_runs(tmp_path: Path) -> None:
    assert run_pants(tmp_path, "test", "::", native_exit=None, pantsd="this") == (
        0,
        ["python test ::"],
    )
