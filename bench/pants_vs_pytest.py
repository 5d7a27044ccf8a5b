"""Benchmark: plain pytest against Pants on the backend's test suite, tier by tier.

For each tier (unit, integration), measures side by side in one run, each figure the median of
`--runs` wall-clock samples. Plain pytest and the two forced Pants rows are sampled in turns
(plain, per file, as configured, then again), so that a change in the machine's load falls on all
three alike:

- plain `pytest -m TIER` in backend/.venv (built by `make -C backend venv` from the lockfile
  Pants uses), the baseline;
- Pants, forced (`--test-force`), one pytest process per file (`--test-batch-size=1`: Pants
  2.17 then cuts every batch after one file, whatever the `batch_compatibility_tag`);
- Pants, forced, as configured: the repository's BUILD files as they are (the unit tier in
  batches, `batch_compatibility_tag`; the integration tier's adapter tests in one batch, each
  end-to-end file in a process of its own);
- Pants memoized re-run: pantsd warm, nothing changed, the repository's configuration;
- Pants after touching one leaf module (`--leaf`, default a domain module that unit and
  integration tests depend on): a comment is appended before each sample, and the file is
  restored byte for byte afterwards.

Pants runs `./pants --tag=TIER test backend::` (the same files as plain pytest in backend/),
with pantsd and the repository's configuration (pants.toml: up to 8 concurrent processes). Like
with like: every forced Pants row must have run exactly the tests plain pytest ran (compared by
name, from both runners' JUnit reports), or the benchmark fails. Writes docs/benchmarks/tiers.md (table) and tiers.png (chart, rendered with
matplotlib from the `bench` resolve, see bench/tiers_chart.py) and prints each figure's ratio
against plain pytest of the same tier. Run it by hand; it is never part of CI's pass/fail.
Figures depend on the machine and on whatever else runs on it: the Markdown file records the
load average before and after.

Every file it edits is restored in a `finally` (also on Ctrl-C or SIGTERM); at the end it
checks that `git status` outside docs/benchmarks/ is what it was at the start.

Usage: python3 bench/pants_vs_pytest.py [--runs 3] [--tiers unit integration] [--leaf PATH]
                                        [--out docs/benchmarks] [--note TEXT]
Targets: a memoized re-run of the unit tier takes at most 0.25x plain `pytest -m unit` (issue
6); the forced integration tier as configured at most 0.8x plain `pytest -m integration` (issue
14).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BACKEND = REPO_ROOT / "backend"
PANTS = REPO_ROOT / "pants"
TARGET_RATIO = 0.25
FORCED_INTEGRATION_TARGET = 0.8
CONFIGURED = "Pants forced, as configured"
DEFAULT_LEAF = "backend/jobpipe/domain/wait_time.py"
# The service URLs the integration tier reads (the defaults of jobpipe.settings).
SERVICE_ENV = {
    "JOBPIPE_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
    "JOBPIPE_REDIS_URL": "redis://127.0.0.1:6379/0",
}
# Pants' per-process summary: `✓ ADDR succeeded in 1.20s (memoized).`, batched:
# `✓ ADDR and 6 other files succeeded in 4.10s.` (core/goals/test.py, _format_test_summary).
SUMMARY_RE = re.compile(
    r"^[✓✕] (?P<addr>\S+)(?: and (?P<others>\d+) other files)? (?P<status>succeeded|failed)"
    r" in [0-9.]+s(?: \((?P<source>[^)]*)\))?\.$",
    re.MULTILINE,
)


class BenchError(Exception):
    pass


@dataclass
class Row:
    tier: str
    label: str
    command: str
    samples: list[float] = field(default_factory=list)
    detail: str = ""
    detail_tests: int = 0

    @property
    def seconds(self) -> float:
        return statistics.median(self.samples)


@dataclass(frozen=True)
class PantsRun:
    processes: int  # pytest processes (summary lines)
    files: int  # test files they covered
    reran: int  # files whose result was not memoized or cached (they ran in this run)


def run(cmd: list[str], *, cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise BenchError(
            f"`{' '.join(cmd)}` (in {cwd}) exited {result.returncode}; a benchmark of a failing "
            f"suite means nothing, so fix it first. Last lines:\n"
            + "\n".join(output.splitlines()[-30:])
        )
    return elapsed, output


def parse_pants(output: str) -> PantsRun:
    processes = files = reran = 0
    for m in SUMMARY_RE.finditer(output):
        n = 1 + int(m["others"] or 0)
        processes += 1
        files += n
        if m["source"] not in ("memoized", "cached locally", "cached remotely"):
            reran += n
    if processes == 0:
        raise BenchError(
            "Pants printed no test summary lines; did the spec match no tests?\n" + output[-2000:]
        )
    return PantsRun(processes, files, reran)


@contextmanager
def restored(*paths: Path) -> Iterator[None]:
    """Restores each file's bytes and times on exit, whatever happens inside."""
    saved = {p: (p.read_bytes(), p.stat()) for p in paths}
    try:
        yield
    finally:
        # A second Ctrl-C must not interrupt the restoring itself.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            for p, (content, st) in saved.items():
                if not p.exists() or p.read_bytes() != content:
                    p.write_bytes(content)
                os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
        finally:
            signal.signal(signal.SIGINT, previous)


def junit_tests(*reports: Path) -> set[str]:
    """`classname::name` of every test case in these JUnit files (both runners name a test by
    its path under backend/, the pytest rootdir)."""
    return {
        f"{case.get('classname')}::{case.get('name')}"
        for report in reports
        for case in ET.parse(report).iter("testcase")
    }


@dataclass
class SideBySide:
    """One row measured side by side with others: its command, and what checks its output."""

    row: Row
    cmd: list[str]
    cwd: Path
    finish: Callable[[str], None]


def git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", ".", ":!docs/benchmarks"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


class Bench:
    def __init__(self, runs: int, leaf: Path) -> None:
        self.runs = runs
        self.leaf = leaf
        self.env = {**os.environ, **{k: os.environ.get(k, v) for k, v in SERVICE_ENV.items()}}
        self.rows: list[Row] = []
        self.reports = Path(tempfile.mkdtemp(prefix="pants_vs_pytest."))
        # Per tier, the tests plain pytest ran: every Pants row must run the same ones.
        self.plain_tests: dict[str, set[str]] = {}

    def pants(self, tier: str, *extra: str) -> list[str]:
        return [str(PANTS), f"--tag={tier}", "test", "backend::", *extra]

    def sample(self, row: Row, cmd: list[str], cwd: Path, warmup: bool = True) -> str:
        """Median-ready samples of `cmd`; one unmeasured run first warms pantsd and the caches."""
        print(f"  {row.label}: {' '.join(cmd)}", flush=True)
        if warmup:
            run(cmd, cwd=cwd, env=self.env)
        output = ""
        for _ in range(self.runs):
            elapsed, output = run(cmd, cwd=cwd, env=self.env)
            row.samples.append(elapsed)
        print(f"    median {row.seconds:.2f} s of {[round(s, 2) for s in row.samples]}", flush=True)
        self.rows.append(row)
        return output

    def plain(self, tier: str) -> SideBySide:
        junit = self.reports / f"plain-{tier}.xml"
        cmd = [".venv/bin/python", "-m", "pytest", "-m", tier, "-q", "-p", "no:cacheprovider"]
        row = Row(tier, "plain pytest", f"cd backend && pytest -m {tier}")

        def finish(output: str) -> None:
            self.plain_tests[tier] = junit_tests(junit)
            passed = re.search(r"(\d+) passed", output)
            row.detail = f"{passed.group(1)} tests, 1 process" if passed else "1 process"

        return SideBySide(row, [*cmd, f"--junit-xml={junit}"], BACKEND, finish)

    def forced(self, tier: str, *, per_file: bool) -> SideBySide:
        extra = ["--test-force"] + (["--test-batch-size=1"] if per_file else [])
        label = "Pants forced, one process per file" if per_file else CONFIGURED
        row = Row(tier, label, f"pants --tag={tier} test backend:: {' '.join(extra)}")
        # Pants writes reports under the build root only; dist/ is git-ignored.
        reports = Path("dist", "pants_vs_pytest", f"{tier}-{'per-file' if per_file else 'configured'}")
        shutil.rmtree(REPO_ROOT / reports, ignore_errors=True)
        cmd = self.pants(tier, *extra, f"--test-report-dir={reports}")

        def finish(output: str) -> None:
            result = parse_pants(output)
            if result.reran != result.files:
                raise BenchError(
                    f"{row.label}: only {result.reran} of {result.files} files ran under --test-force"
                )
            self.same_tests(row, REPO_ROOT / reports)
            row.detail = (
                f"{row.detail_tests} tests (the same as plain pytest), {result.files} files, "
                f"{result.processes} process{'es' * (result.processes != 1)}"
            )

        return SideBySide(row, cmd, REPO_ROOT, finish)

    def side_by_side(self, contenders: list[SideBySide]) -> None:
        """Samples the contenders in turns (one of each, `--runs` times, after one unmeasured
        warm-up each), so a change in the machine's load falls on all of them alike."""
        for c in contenders:
            print(f"  {c.row.label}: {' '.join(c.cmd)}", flush=True)
            run(c.cmd, cwd=c.cwd, env=self.env)
        outputs = {}
        for _ in range(self.runs):
            for c in contenders:
                elapsed, outputs[c.row.label] = run(c.cmd, cwd=c.cwd, env=self.env)
                c.row.samples.append(elapsed)
        for c in contenders:
            c.finish(outputs[c.row.label])
            print(
                f"    {c.row.label}: median {c.row.seconds:.2f} s of "
                f"{[round(s, 2) for s in c.row.samples]}",
                flush=True,
            )
            self.rows.append(c.row)

    def same_tests(self, row: Row, reports: Path) -> None:
        """Fails unless this Pants row ran exactly the tests plain pytest ran (like with like)."""
        pants_tests = junit_tests(*reports.glob("*.xml"))
        plain_tests = self.plain_tests.get(row.tier)
        if plain_tests is not None and pants_tests != plain_tests:
            raise BenchError(
                f"{row.tier}, {row.label}: Pants and plain pytest ran different tests; only in "
                f"Pants: {sorted(pants_tests - plain_tests)[:10]}, only in plain pytest: "
                f"{sorted(plain_tests - pants_tests)[:10]}"
            )
        row.detail_tests = len(pants_tests)

    def memoized(self, tier: str) -> None:
        row = Row(tier, "Pants memoized re-run", f"pants --tag={tier} test backend:: (again)")
        result = parse_pants(self.sample(row, self.pants(tier), REPO_ROOT))
        if result.reran:
            raise BenchError(
                f"memoized re-run of {tier}: {result.reran} files ran again; is something non-hermetic?"
            )
        row.detail = f"{result.files} files, 0 ran"

    def touched(self, tier: str) -> None:
        leaf = REPO_ROOT / self.leaf
        row = Row(
            tier,
            "Pants after touching a leaf",
            f"echo '# ...' >> {self.leaf}; pants --tag={tier} test backend::",
        )
        cmd = self.pants(tier)
        print(
            f"  {row.label}: {' '.join(cmd)} (after appending a comment to {self.leaf})", flush=True
        )
        run(cmd, cwd=REPO_ROOT, env=self.env)  # start from every result cached
        reran = []
        with restored(leaf):
            original = leaf.read_bytes()
            for i in range(self.runs):
                leaf.write_bytes(
                    original + f"\n# bench: touched {i} at {time.time_ns()}\n".encode()
                )
                elapsed, output = run(cmd, cwd=REPO_ROOT, env=self.env)
                row.samples.append(elapsed)
                result = parse_pants(output)
                reran.append(result.reran)
                leaf.write_bytes(original)
        if not any(reran):
            raise BenchError(
                f"touching {self.leaf} re-ran no {tier} test; pick a --leaf the tier depends on"
            )
        row.detail = f"{result.files} files, {statistics.median(reran):g} re-ran"
        print(f"    median {row.seconds:.2f} s of {[round(s, 2) for s in row.samples]}", flush=True)
        self.rows.append(row)

    def tier(self, tier: str) -> None:
        print(f"== {tier} tier", flush=True)
        self.side_by_side(
            [self.plain(tier), self.forced(tier, per_file=True), self.forced(tier, per_file=False)]
        )
        self.memoized(tier)
        self.touched(tier)


def ratio(row: Row, rows: list[Row]) -> float:
    baseline = next(r for r in rows if r.tier == row.tier and r.label == "plain pytest")
    return row.seconds / baseline.seconds


def write_outputs(bench: Bench, out: Path, header: list[str]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Plain pytest against Pants, per tier",
        "",
        "Produced by `python3 bench/pants_vs_pytest.py`; do not edit by hand.",
        "",
        *header,
        "",
        "| tier | what | median s | vs plain pytest | samples (s) | detail |",
        "| --- | --- | ---: | ---: | --- | --- |",
    ]
    for row in bench.rows:
        samples = ", ".join(f"{s:.2f}" for s in row.samples)
        lines.append(
            f"| {row.tier} | {row.label} | {row.seconds:.2f} | {ratio(row, bench.rows):.2f}x | {samples} | {row.detail} |"
        )
    lines += ["", "Commands (`pants` is `./pants`, run from the repository root, with pantsd):", ""]
    lines += [f"- {row.tier}, {row.label}: `{row.command}`" for row in bench.rows]
    (out / "tiers.md").write_text("\n".join(lines) + "\n")

    chart_data = {
        "title": f"plain pytest vs Pants 2.17.1 on backend/ ({header[0]})",
        "tiers": {},
    }
    for row in bench.rows:
        chart_data["tiers"].setdefault(row.tier, []).append(
            {"label": row.label, "seconds": row.seconds}
        )
    venv = REPO_ROOT / "bench" / ".venv"
    subprocess.run(
        [
            str(REPO_ROOT / "build-support/venv/from_lockfile.sh"),
            str(REPO_ROOT / "3rdparty/python/bench.lock"),
            "python3.11",
            str(venv),
        ],
        check=True,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(chart_data, f)
        f.flush()
        subprocess.run(
            [
                str(venv / "bin/python"),
                str(REPO_ROOT / "bench/tiers_chart.py"),
                f.name,
                str(out / "tiers.png"),
            ],
            check=True,
        )
    return out / "tiers.md"


def on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="samples per figure (median)")
    parser.add_argument(
        "--tiers", nargs="+", default=["unit", "integration"], choices=["unit", "integration"]
    )
    parser.add_argument("--leaf", type=Path, default=Path(DEFAULT_LEAF), help="module to touch")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "benchmarks")
    parser.add_argument("--note", default="", help="a line for the report, e.g. about machine load")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    # Ctrl-C raises KeyboardInterrupt even when started with SIGINT ignored (e.g. `cmd &`).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGHUP, on_sigterm)

    status_before = git_status()
    load_before = os.getloadavg()
    started = datetime.datetime.now(datetime.timezone.utc)
    bench = Bench(args.runs, args.leaf)
    try:
        subprocess.run(["make", "-C", str(BACKEND), "--no-print-directory", "venv"], check=True)
        for tier in args.tiers:
            bench.tier(tier)
    except BenchError as e:
        print(f"pants_vs_pytest: error: {e}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as e:
        print(f"pants_vs_pytest: error: `{' '.join(e.cmd)}` exited {e.returncode}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pants_vs_pytest: interrupted; edited files were restored", file=sys.stderr)
        return 130
    finally:
        status_after = git_status()
        if status_after != status_before:
            print(
                "pants_vs_pytest: error: `git status` outside docs/benchmarks/ changed during the run:\n"
                f"before:\n{status_before}after:\n{status_after}",
                file=sys.stderr,
            )
    load_after = os.getloadavg()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout.strip()
    header = [
        f"{started:%Y-%m-%d %H:%M} UTC, commit {commit}, {os.cpu_count()} CPUs, median of {args.runs} runs",
        "",
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in load_after)}. Touched leaf: `{args.leaf}`.",
    ]
    if args.note:
        header += ["", args.note]
    table = write_outputs(bench, args.out, header)

    print("\nratios against plain pytest of the same tier:")
    for row in bench.rows:
        print(
            f"  {row.tier:<12} {row.label:<36} {row.seconds:7.2f} s  {ratio(row, bench.rows):6.2f}x"
        )
    memo = next(
        (r for r in bench.rows if r.tier == "unit" and r.label == "Pants memoized re-run"), None
    )
    if memo:
        verdict = "holds" if ratio(memo, bench.rows) <= TARGET_RATIO else "does NOT hold"
        print(
            f"target: memoized unit re-run <= {TARGET_RATIO}x plain pytest -m unit: {verdict} ({ratio(memo, bench.rows):.2f}x)"
        )
    forced = next(
        (
            r
            for r in bench.rows
            if r.tier == "integration" and r.label == CONFIGURED
        ),
        None,
    )
    if forced:
        held = ratio(forced, bench.rows) <= FORCED_INTEGRATION_TARGET
        print(
            f"target: forced integration tier as configured <= {FORCED_INTEGRATION_TARGET}x "
            f"plain pytest -m integration: {'holds' if held else 'does NOT hold'} "
            f"({ratio(forced, bench.rows):.2f}x)"
        )
    print(f"wrote {table} and {table.with_suffix('.png')}")
    return 0 if status_after == status_before else 1


if __name__ == "__main__":
    sys.exit(main())
