"""Benchmark: what observation (`pytest --tiers-observe=REPORT.json`) costs the integration tier.

Runs the backend's integration tier with plain pytest in backend/.venv (built by
`make -C backend venv` from the lockfile Pants uses), alternating plain runs and observed runs so
that both see the same machine state, and prints each mode's median wall time and the ratio.
Each observed run must write a report that lists every test it ran (a run that observes
nothing would be cheap and wrong). Needs PostgreSQL and Redis (the backend's default URLs).

Usage: python3 bench/observe_overhead.py [--runs 5]
Target (issue 12): observed / plain <= 1.2.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BACKEND = REPO_ROOT / "backend"
TARGET_RATIO = 1.2
PYTEST = [str(BACKEND / ".venv" / "bin" / "python"), "-m", "pytest", "-m", "integration", "-q"]


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=BACKEND, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return elapsed


def observed_tests(report: Path) -> int:
    """How many tests the report records (it must record every test that ran)."""
    data = json.loads(report.read_text())
    tests = data.get("tests", data) if isinstance(data, dict) else data
    return len(tests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    subprocess.run(["make", "-C", str(BACKEND), "--no-print-directory", "venv"], check=True)

    plain, observed = [], []
    with tempfile.TemporaryDirectory(prefix="observe-bench-") as scratch:
        report = Path(scratch) / "report.json"
        timed(PYTEST)  # one unmeasured run warms the template database and the imports
        for _ in range(args.runs):
            plain.append(timed(PYTEST))
            observed.append(timed([*PYTEST, f"--tiers-observe={report}"]))
            if observed_tests(report) == 0:
                raise SystemExit(f"{report}: the observed run recorded no test")
        recorded = observed_tests(report)

    plain_s, observed_s = statistics.median(plain), statistics.median(observed)
    ratio = observed_s / plain_s
    print(f"integration tier, plain pytest, median of {args.runs}: {plain_s:.2f} s")
    print(f"integration tier, --tiers-observe, median of {args.runs}: {observed_s:.2f} s "
          f"({recorded} tests recorded)")
    print(f"observed / plain: {ratio:.2f}x (target: at most {TARGET_RATIO}x) "
          f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}")


if __name__ == "__main__":
    main()
