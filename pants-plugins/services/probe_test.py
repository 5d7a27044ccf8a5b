"""The probe's URL parsing and protocol handshakes, against in-process fake peers (socketpair:
no network, no real service)."""

from __future__ import annotations

import socket
import threading

import pytest

from services.probe import _answers, endpoint, main, probe

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("url", "protocol", "expected"),
    [
        ("postgresql+asyncpg://postgres@127.0.0.1:5432/test", "postgres", ("127.0.0.1", 5432)),
        ("postgresql://u:p@db.internal/app", "postgres", ("db.internal", 5432)),
        ("redis://127.0.0.1:6380/1", "redis", ("127.0.0.1", 6380)),
        ("redis://localhost", "redis", ("localhost", 6379)),
        ("redis://[::1]:6379/0", "redis", ("::1", 6379)),
    ],
)
def test_endpoint_reads_host_and_port_with_protocol_default(
    url: str, protocol: str, expected: tuple[str, int]
) -> None:
    assert endpoint(url, protocol) == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [("redis://:6379/0", "no host"), ("redis://127.0.0.1:notaport/0", "bad port")],
)
def test_a_malformed_url_is_a_problem_not_a_crash(url: str, problem: str) -> None:
    reason = probe("redis", url, timeout=0.1)
    assert reason is not None and problem in reason and url in reason


def test_an_unknown_protocol_is_a_problem() -> None:
    assert probe("mysql", "mysql://127.0.0.1/x", timeout=0.1) == "unknown protocol 'mysql'"


def answer_with(reply: bytes, protocol: str) -> bool:
    """Run the handshake against a fake server that reads the request and sends `reply`."""
    client, server = socket.socketpair()
    received: list[bytes] = []

    def serve() -> None:
        received.append(server.recv(64))
        server.sendall(reply)
        server.close()

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        with client:
            client.settimeout(2)
            return _answers(client, protocol)
    finally:
        thread.join()
        assert received and received[0]


@pytest.mark.parametrize(
    ("protocol", "reply", "up"),
    [
        ("postgres", b"S", True),
        ("postgres", b"N", True),
        ("postgres", b"HTTP/1.1 400", False),
        ("redis", b"+PONG\r\n", True),
        ("redis", b"-NOAUTH Authentication required.\r\n", True),
        ("redis", b"SSH-2.0-OpenSSH\r\n", False),
        ("redis", b"", False),
    ],
)
def test_only_the_protocols_own_answer_counts(protocol: str, reply: bytes, up: bool) -> None:
    assert answer_with(reply, protocol) is up


def test_main_prints_the_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redis", "redis://:1/0", "0.1"]) == 1
    assert "no host" in capsys.readouterr().out
