"""Benchmark: `pants lint --only=tiers ::` against `pants list ::` on a generated repository.

Generates a repository of N test files (default 2,000) in 100 directories, each directory a
tier by `__defaults__`, every file with its `pytestmark` and an import of a shared library (so
the integration-only dependency check has a graph to walk), with the tiers plugin of this
repository. Then times both commands side by side, each the median of several runs, in two
modes, and prints both times and the ratio for each:

- cold: `--no-pantsd`, so nothing is memoized in memory (on-disk caches are warm);
- warm: with pantsd, as Pants runs by default, after editing one test file before every run,
  so each run re-reads what changed instead of replaying a memoized answer.

Usage: python3 bench/tiers_lint_vs_list.py [--files 2000] [--runs 3] [--keep DIR]
Target (issue 4): the ratio stays within 1.5x.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = REPO_ROOT / "pants"


def launcher_facts() -> tuple[str, Path]:
    """The Pants version (from pants.toml) and the Pants executable that ./pants runs, asked of
    the launcher itself (sourcing it runs nothing), after provisioning Pants if needed."""
    subprocess.run([str(LAUNCHER), "--no-pantsd", "--version"], check=True, capture_output=True)
    result = subprocess.run(
        ["bash", "-c", 'source "$1" && printf "%s\\n%s\\n" "$PANTS_VERSION" "$VENV"', "bash",
         str(LAUNCHER)],
        check=True,
        capture_output=True,
        text=True,
    )
    version, venv = result.stdout.splitlines()
    return version, Path(venv) / "bin" / "pants"


def generate(root: Path, files: int, pants_version: str) -> None:
    (root / "pants.toml").write_text(
        f"""[GLOBAL]
pants_version = "{pants_version}"
pythonpath = ["{REPO_ROOT / 'pants-plugins'}", "{REPO_ROOT / 'pytest-tiers'}"]
backend_packages = ["pants.backend.python", "tiers"]
ignore_warnings = ["DEPRECATED: Running Pants in an external Python interpreter"]

[python]
interpreter_constraints = ["CPython==3.11.*"]

[python-infer]
use_rust_parser = true

[tiers]
names = ["unit", "integration"]
integration_only = ["lib/db.py"]

[anonymous-telemetry]
enabled = false
"""
    )
    (root / "BUILD").write_text("")
    (root / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nmarkers = ["unit: u", "integration: i"]\n'
        'addopts = "--strict-markers"\ntiers = ["unit", "integration"]\n'
    )
    # pytest as a requirement, as in any real repository (else every file warns: unowned import).
    (root / "3rdparty").mkdir()
    (root / "3rdparty" / "BUILD").write_text(
        'python_requirement(name="pytest", requirements=["pytest"])\n'
    )
    lib = root / "lib"
    lib.mkdir()
    (lib / "BUILD").write_text("python_sources()\n")
    (lib / "__init__.py").write_text("")
    (lib / "domain.py").write_text("VALUE = 1\n")
    (lib / "db.py").write_text("from lib.domain import VALUE\n")
    per_dir = 20
    for d in range((files + per_dir - 1) // per_dir):
        tier = "integration" if d % 5 == 0 else "unit"
        directory = root / "tests" / f"pkg{d:03d}"
        directory.mkdir(parents=True)
        (directory / "BUILD").write_text(
            f'__defaults__({{(python_test, python_tests): dict(tags=["{tier}"])}})\npython_tests()\n'
        )
        imported = "lib.db" if tier == "integration" else "lib.domain"
        for f in range(min(per_dir, files - d * per_dir)):
            (directory / f"test_{f:02d}.py").write_text(
                f"import pytest\n\nimport {imported}\n\npytestmark = pytest.mark.{tier}\n\n\n"
                "def test_it():\n    assert True\n"
            )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)


def edit_one_test_file(root: Path) -> None:
    """A real change (new content, new digest) to one test file."""
    path = root / "tests" / "pkg001" / "test_00.py"
    path.write_text(path.read_text() + f"# edited {time.perf_counter_ns()}\n")


def stop_pantsd(root: Path) -> None:
    """Pants 2.17 has no goal for this: signal the pid it records under `.pids/`."""
    for pid_file in root.glob(".pids/*/pantsd/pid"):
        with contextlib.suppress(ValueError, ProcessLookupError):
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


def time_command(
    pants: Path, root: Path, args: list[str], runs: int, *, pantsd: bool = False
) -> float:
    samples = []
    for _ in range(runs):
        if pantsd:
            edit_one_test_file(root)
        start = time.perf_counter()
        result = subprocess.run(
            [str(pants), "--pantsd" if pantsd else "--no-pantsd", *args],
            cwd=root,
            capture_output=True,
            text=True,
        )
        samples.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"`pants {' '.join(args)}` failed:\n{result.stdout}\n{result.stderr}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate here and keep it")
    args = parser.parse_args()

    pants_version, pants = launcher_facts()
    root = args.keep or Path(tempfile.mkdtemp(prefix="tiers-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        generate(root, args.files, pants_version)
        # One unmeasured run of each warms the on-disk caches both commands share.
        time_command(pants, root, ["list", "::"], 1)
        time_command(pants, root, ["lint", "--only=tiers", "::"], 1)
        results = {
            "cold": (
                time_command(pants, root, ["list", "::"], args.runs),
                time_command(pants, root, ["lint", "--only=tiers", "::"], args.runs),
            )
        }
        # pantsd starts on the first warm call; one unmeasured run of each fills its memory.
        time_command(pants, root, ["list", "::"], 1, pantsd=True)
        time_command(pants, root, ["lint", "--only=tiers", "::"], 1, pantsd=True)
        results["warm"] = (
            time_command(pants, root, ["list", "::"], args.runs, pantsd=True),
            time_command(pants, root, ["lint", "--only=tiers", "::"], args.runs, pantsd=True),
        )
    finally:
        stop_pantsd(root)
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"test files: {args.files}; each figure the median of {args.runs} runs")
    for mode, (list_s, lint_s) in results.items():
        verdict = "met" if lint_s / list_s <= 1.5 else "NOT met"
        print(
            f"{mode:4}  list {list_s:6.2f} s   lint --only=tiers {lint_s:6.2f} s   "
            f"ratio {lint_s / list_s:5.2f}x (target <= 1.5x: {verdict})"
        )


if __name__ == "__main__":
    main()
