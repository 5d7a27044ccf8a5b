"""The OS-level seal, installed in a child process (a loaded filter cannot be lifted), and the
reasons it gives where it cannot be installed (checked before anything is loaded)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_tiers import seal

pytestmark = pytest.mark.unit

# Connects to a unix socket of its own before and after sealing (no network needed), then
# checks what must keep working: socketpair, the asyncio loop, bind/listen.
_SEALED_CHILD = """
import asyncio, errno, json, socket, subprocess, sys
from pytest_tiers import seal

path = sys.argv[1]
server = socket.socket(socket.AF_UNIX)
server.bind(path)
server.listen(2)

def connect():
    try:
        socket.socket(socket.AF_UNIX).connect(path)
        return "connected"
    except OSError as error:
        return errno.errorcode[error.errno]

before = connect()
seal.install()
seal.install()  # idempotent
grandchild = subprocess.run(
    [sys.executable, "-c", "import socket; socket.socket(socket.AF_UNIX).connect(%r)" % path],
    capture_output=True, text=True,
)
left, right = socket.socketpair()
left.sendall(b"x")
print(json.dumps({
    "before": before,
    "after": connect(),
    "installed": seal.installed(),
    "grandchild": grandchild.stderr.strip().splitlines()[-1],
    "socketpair": right.recv(1).decode(),
    "asyncio": asyncio.run(asyncio.sleep(0, result=42)),
}))
"""


def test_install_denies_connect_to_the_process_and_its_children_only(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SEALED_CHILD, str(tmp_path / "s")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": ":".join(sys.path)},
        check=True,
    )
    outcome = json.loads(result.stdout)
    # In an OS-sealed session (a unit batch) this process, hence the child, is sealed already.
    assert outcome.pop("before") == ("EACCES" if seal.installed() else "connected")
    assert outcome == {
        "after": "EACCES",
        "installed": True,
        "grandchild": "PermissionError: [Errno 13] Permission denied",
        "socketpair": "x",
        "asyncio": 42,
    }


@pytest.fixture
def unsealed(monkeypatch: pytest.MonkeyPatch) -> None:
    """`install()` as in a process not sealed yet (each case stops before loading anything)."""
    monkeypatch.setattr(seal, "_installed", False)


@pytest.mark.usefixtures("unsealed")
def test_not_linux_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(seal.SealUnavailable, match=r"^seccomp is Linux-only, and this is darwin$"):
        seal.install()
    assert not seal.installed()


@pytest.mark.usefixtures("unsealed")
def test_missing_pyseccomp_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyseccomp", None)  # import raises ImportError
    with pytest.raises(
        seal.SealUnavailable, match=r"^pyseccomp is not installed \(`pip install pyseccomp`\)$"
    ):
        seal.install()
    assert not seal.installed()
