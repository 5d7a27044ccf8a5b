"""What a test tried to connect to, and whether its failure was a connect the guard refused.

The OS-level seal (seccomp) makes `connect(2)` fail with EACCES, which names no address: an
audit hook records the addresses Python code tries during the current test, and libpq's own
error text names its server. Under the Python-level guard, pytest-socket's error names the
host. The plugin words the violation from these (plugin.violation).
"""

from __future__ import annotations

import errno
import re
import sys
from typing import Any

import pytest
from pytest_socket import SocketBlockedError, SocketConnectBlockedError

from pytest_tiers.network_events import describe_address

# The addresses Python code tried to connect to during the current test.
_attempts: list[str] = []
_recording = False

# What C clients say when their connect is denied, and the address they name (libpq).
_LIBPQ_TCP = re.compile(
    r'connection to server at "([^"]+)"(?: \([^)]*\))?, port (\d+) failed: Permission denied'
)
_LIBPQ_UNIX = re.compile(r'connection to server on socket "([^"]+)" failed: Permission denied')
_PYTEST_SOCKET_HOST = re.compile(r'socket\.socket\.connect\(\) with host "([^"]+)"')


def _on_audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect" and len(args) >= 2:
        described = describe_address("", args[1])
        if described is not None:
            _attempts.append(described[1])


def record() -> None:
    """Start recording Python connect attempts (for the rest of the process: an audit hook
    cannot be removed, so it is added once)."""
    global _recording
    if not _recording:
        sys.addaudithook(_on_audit)
        _recording = True


def forget() -> None:
    """A new test starts: forget the previous one's attempts."""
    del _attempts[:]


def error_chain(excinfo: pytest.ExceptionInfo[BaseException] | None) -> list[BaseException]:
    """The failure and the errors it was raised from or during, outermost first."""
    errors: list[BaseException] = []
    error: BaseException | None = excinfo.value if excinfo is not None else None
    while error is not None and error not in errors:
        errors.append(error)
        error = error.__cause__ or error.__context__
    return errors


def denied(errors: list[BaseException]) -> list[str] | None:
    """The addresses a connect denied by the OS-level seal tried (empty: not reported), or None
    when the failure is not recognisably a denied connect (a denial with no connect attempt on
    record, say a file's permissions, is not one)."""
    was_denied = False
    named: list[str] = []
    for error in errors:
        text = str(error)
        if (isinstance(error, OSError) and error.errno == errno.EACCES) or (
            "Permission denied" in text
        ):
            was_denied = True
        named += [f"{host}:{port}" for host, port in _LIBPQ_TCP.findall(text)]
        named += _LIBPQ_UNIX.findall(text)
    if not was_denied or not (named or _attempts):
        return None
    return list(dict.fromkeys(named + _attempts))


def blocked(errors: list[BaseException]) -> list[str] | None:
    """The host a socket blocked by pytest-socket tried (empty: not reported), or None when the
    failure was not a blocked socket, even if a client library wrapped it."""
    for error in errors:
        if isinstance(error, (SocketBlockedError, SocketConnectBlockedError)):
            return _PYTEST_SOCKET_HOST.findall(str(error))
    return None
