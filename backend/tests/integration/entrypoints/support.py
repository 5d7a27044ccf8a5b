"""Helpers for end-to-end tests: processes started the way an operator would start them,
confined to one test's schema and key prefix, and bounded waits instead of sleeps."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from jobpipe.settings import Settings

T = TypeVar("T")


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment for a child process: these settings, and this process's import path (so
    it finds jobpipe and tests inside a Pants sandbox as well as in a virtualenv)."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
            "JOBPIPE_DATABASE_URL": settings.database_url,
            "JOBPIPE_REDIS_URL": settings.redis_url,
            "JOBPIPE_REDIS_KEY_PREFIX": settings.redis_key_prefix,
            "JOBPIPE_RUN_MIGRATIONS_ON_STARTUP": str(settings.run_migrations_on_startup).lower(),
            "JOBPIPE_WORKER_LEASE_SECONDS": str(settings.worker_lease_seconds),
            "JOBPIPE_WORKER_POLL_SECONDS": str(settings.worker_poll_seconds),
        }
    )
    if settings.database_schema is not None:
        env["JOBPIPE_DATABASE_SCHEMA"] = settings.database_schema
    env.update(extra)
    return env


@contextmanager
def running(module: str, env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """Start `python -m module`; on the way out make sure it is gone (SIGKILL if need be). When
    the test fails meanwhile, the process's log goes to stderr, which pytest shows."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield process
        except BaseException:
            tail = log_path.read_text(errors="replace")[-4000:]
            print(
                f"--- {module} (pid {process.pid}) log, last 4000 chars ---\n{tail}",
                file=sys.stderr,
            )
            raise
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)


def wait_for_log(log_path: Path, text: str, timeout: float = 30) -> None:
    """Block until `text` appears in a process's log (e.g. its readiness line)."""
    deadline = time.monotonic() + timeout
    while text not in log_path.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not in {log_path} after {timeout} s")
        time.sleep(0.05)


def stop_gracefully(
    process: subprocess.Popen, timeout: float = 15, *, ready: tuple[Path, str] | None = None
) -> int:
    """SIGTERM the process and return its exit code. With `ready=(log, text)`, first wait for
    the readiness line, so the signal never lands before its handler is installed."""
    if ready is not None:
        wait_for_log(*ready)
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)


async def eventually(
    probe: Callable[[], Awaitable[T]],
    accept: Callable[[T], bool],
    *,
    timeout: float = 30,
    what: str = "condition",
) -> T:
    """Poll `probe` until `accept` holds; fail with the last value after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if accept(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {value!r}")
        await asyncio.sleep(0.05)
