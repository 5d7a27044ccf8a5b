"""Is a service up? One bounded round trip, standard library only.

Run by the `uses` check as a process (`python probe.py PROTOCOL URL TIMEOUT`) so that Pants
never caches the answer, and imported by its tests. A TCP connect alone would accept any
listener on the port; each probe therefore sends the smallest request its protocol answers
without credentials: PostgreSQL's SSLRequest (answered `S` or `N`), Redis' PING (answered
`+PONG`, or an error such as `-NOAUTH` that still proves a Redis is there).
"""

from __future__ import annotations

import socket
import struct
import sys
import time
from urllib.parse import urlsplit

DEFAULT_PORTS = {"postgres": 5432, "redis": 6379}
_SSL_REQUEST = struct.pack("!ii", 8, 80877103)


def endpoint(url: str, protocol: str) -> tuple[str, int]:
    """Host and port of a URL such as `postgresql+asyncpg://user@host:5432/db`."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as e:
        raise ValueError(f"bad port in {url!r}: {e}") from None
    if not parts.hostname:
        raise ValueError(f"no host in {url!r}")
    return parts.hostname, port or DEFAULT_PORTS[protocol]


def _answers(sock: socket.socket, protocol: str) -> bool:
    if protocol == "postgres":
        sock.sendall(_SSL_REQUEST)
        return sock.recv(1) in (b"S", b"N")
    sock.sendall(b"PING\r\n")
    reply = sock.recv(64)
    return reply.startswith((b"+PONG", b"-"))


def probe(protocol: str, url: str, timeout: float) -> str | None:
    """None when the service answers within `timeout` seconds in all, else why not."""
    if protocol not in DEFAULT_PORTS:
        return f"unknown protocol {protocol!r}"
    try:
        host, port = endpoint(url, protocol)
    except ValueError as e:
        return str(e)
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(max(deadline - time.monotonic(), 0.01))
            if not _answers(sock, protocol):
                return f"something listens on {host}:{port}, but it does not speak {protocol}"
    except socket.timeout:
        return f"no answer from {host}:{port} within {timeout:g} s"
    except OSError as e:
        return f"cannot connect to {host}:{port}: {e.strerror or e}"
    return None


def main(argv: list[str]) -> int:
    protocol, url, timeout = argv
    problem = probe(protocol, url, float(timeout))
    if problem:
        print(problem)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
