"""The runs `pytest-tiers adopt` decides from: the suite in subprocesses of this interpreter.

1. normally, under observation;
2. with connect(2) denied to the whole session (`--tiers-seal=all`), under observation;
3. each file that failed in (2) again, sealed, on its own (to rule out another file's doing).

Each run is `sys.executable -m pytest` in the directory adopt runs in, with `-p
pytest_tiers.plugin` when no entry point loads it, `-p no:cacheprovider` (nothing written to
the suite), and `-o tiers=` (the tier rules off: the decision is what they will be built on).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from pytest_tiers.adopt.decide import Report


class RunFailed(RuntimeError):
    """A pytest run produced no report (it crashed, or pytest could not start)."""


def _pytest_plugin_entry_points() -> list[metadata.EntryPoint]:
    found = metadata.entry_points()
    if hasattr(found, "select"):  # Python 3.10+
        return list(found.select(group="pytest11"))
    return list(found.get("pytest11", ()))  # Python 3.9: a dict of groups


def plugin_loaded_by_entry_point() -> bool:
    for entry_point in _pytest_plugin_entry_points():
        if entry_point.value.split(":")[0] in ("pytest_tiers.plugin", "pytest_tiers"):
            return True
    return False


def pytest_command(args: Sequence[str] = ()) -> list[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    if not plugin_loaded_by_entry_point():
        command += ["-p", "pytest_tiers.plugin"]
    return [*command, *args]


@dataclass(frozen=True)
class Runner:
    cwd: Path
    pytest_args: tuple[str, ...] = ()
    timeout: float = 1800.0
    log: Callable[[str], None] = lambda message: None

    def run(
        self, name: str, *, sealed: bool, paths: Sequence[str] = (), extra: Sequence[str] = ()
    ) -> Report:
        with tempfile.TemporaryDirectory(prefix="tiers-adopt-") as scratch:
            report_path = Path(scratch) / "report.json"
            args = [
                "-o",
                "tiers=",
                "-q",
                "--continue-on-collection-errors",
                f"--tiers-observe={report_path}",
                *(["--tiers-seal=all"] if sealed else []),
                *extra,
                *self.pytest_args,
                *paths,
            ]
            self.log(f"adopt: {name} run: pytest {' '.join(args[5:]) or '(whole suite)'}")
            completed = subprocess.run(
                pytest_command(args),
                cwd=self.cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=self.timeout,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
            if not report_path.exists():
                tail = "\n".join(completed.stdout.strip().splitlines()[-15:])
                raise RunFailed(
                    f"the {name} pytest run (exit {completed.returncode}) wrote no report:\n{tail}"
                )
            report: dict[str, Any] = json.loads(report_path.read_text())
            report["exit_code"] = completed.returncode
            return report

    def evidence(self) -> tuple[Report, Report, dict[str, Report]]:
        normal = self.run("normal", sealed=False)
        sealed = self.run("sealed", sealed=True)
        alone: dict[str, Report] = {}
        rootdir = Path(normal["rootdir"])
        for path in files_to_rerun(normal, sealed):
            alone[path] = self.run(f"sealed {path}", sealed=True, paths=[str(rootdir / path)])
        return normal, sealed, alone


def files_to_rerun(normal: Report, sealed: Report) -> list[str]:
    """Files with a test that passed normally and not sealed, or that failed to collect sealed
    only: each is re-run sealed on its own before it is called integration."""
    files = set()
    sealed_tests = sealed.get("tests", {})
    for nodeid, test in normal.get("tests", {}).items():
        sealed_outcome = sealed_tests.get(nodeid, {}).get("outcome")
        if test.get("outcome") == "passed" and sealed_outcome != "passed":
            files.add(test["file"])
    for path in sealed.get("collect_errors", {}):
        if path not in normal.get("collect_errors", {}):
            files.add(path)
    return sorted(files)


def observed_endpoints(reports: Sequence[Report]) -> dict[str, tuple[str, str]]:
    """service or address -> (kind, address) of every connect observed in the reports."""
    endpoints: dict[str, tuple[str, str]] = {}
    for report in reports:
        groups = [t.get("reached", []) for t in report.get("tests", {}).values()]
        groups += list(report.get("files_reached", {}).values())
        groups.append(report.get("session_reached", []))
        for events in groups:
            for event in events:
                if event.get("kind") in ("tcp", "unix") and not event.get("child"):
                    endpoints.setdefault(
                        event.get("service") or event["address"], (event["kind"], event["address"])
                    )
    return endpoints


def probe(kind: str, address: str, timeout: float = 1.0) -> str | None:
    """None when something accepts a connection at the address, else why not."""
    try:
        if kind == "unix":
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(timeout)
                sock.connect(address.replace("@", "\0", 1) if address.startswith("@") else address)
        else:
            host, _, port = address.rpartition(":")
            socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as error:
        return error.strerror or str(error)
    return None


def unreachable(endpoints: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """service -> "address: reason" for each endpoint that does not accept a connection."""
    down = {}
    for service, (kind, address) in sorted(endpoints.items()):
        reason = probe(kind, address)
        if reason is not None:
            down[service] = f"{address}: {reason}"
    return down
