"""Which audit events are network use, and how to record them. Pure (no pytest import): the
observed pytest session and its child processes (`_observe_child/sitecustomize.py`) share it.

A record is `{"kind": "tcp"|"udp"|"unix"|"dns", "address": "host:port" | path | name}`.
Socketpairs never call connect; look-ups of IP literals and `localhost` are not recorded.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from typing import Any


def describe_address(family_name: str, address: Any) -> tuple[str, str] | None:
    """(kind, address) of a socket address, or None for what is not a network endpoint."""
    if isinstance(address, (str, bytes)):
        path = os.fsdecode(address) if isinstance(address, bytes) else address
        if not path:
            return None
        return "unix", path.replace("\0", "@")
    if isinstance(address, tuple) and len(address) >= 2:
        host, port = address[0], address[1]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        kind = "udp" if family_name == "udp" else "tcp"
        host = f"[{host}]" if ":" in str(host) else str(host)
        return kind, f"{host}:{port}"
    return None


def _is_ip_literal(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        ipaddress.ip_address(str(host).strip("[]"))
        return True
    except ValueError:
        return False


def event_record(event: str, args: tuple[Any, ...]) -> dict[str, str] | None:
    """The record of an audit event, or None when it is not a connect or a DNS look-up."""
    if event == "socket.connect":
        sock, address = args
        family = getattr(sock, "family", None)
        if family not in (socket.AF_INET, socket.AF_INET6, getattr(socket, "AF_UNIX", None)):
            return None
        kind_hint = "udp" if getattr(sock, "type", None) == socket.SOCK_DGRAM else "tcp"
        described = describe_address(kind_hint, address)
        return None if described is None else {"kind": described[0], "address": described[1]}
    if event == "socket.sendto":
        sock, address = args
        if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
            return None
        described = describe_address("udp", address)
        return None if described is None else {"kind": "udp", "address": described[1]}
    if event == "socket.getaddrinfo":
        host = args[0]
        if _is_ip_literal(host) or host in ("localhost", b"localhost"):
            return None
        return {"kind": "dns", "address": os.fsdecode(host) if isinstance(host, bytes) else host}
    if event in ("socket.gethostbyname", "socket.gethostbyname_ex"):
        host = args[0]
        if _is_ip_literal(host) or host == "localhost":
            return None
        return {"kind": "dns", "address": str(host)}
    return None


def describe_reach(event: Mapping[str, Any], fixtures: Mapping[str, Any]) -> str:
    """One observed connect or look-up, in words: what, and where it happened."""
    kind, address = event.get("kind"), event.get("address")
    service = event.get("service")
    if kind == "dns":
        what = f"looked up {address}"
    else:
        name = f"{service} ({address})" if service and service != address else str(address)
        what = f"reached {name}"
    fixture_key = event.get("fixture")
    if fixture_key:
        fixture = fixtures.get(fixture_key, {})
        where = (
            f"in the setup of fixture {fixture.get('name', fixture_key)!r} "
            f"({fixture.get('scope', '?')}-scoped, {fixture.get('location', '?')})"
        )
    elif event.get("phase") == "collect":
        where = "while its file was collected (at import)"
    else:
        where = f"in {event.get('phase', '?')}"
    if event.get("child"):
        where += ", from a child process"
    return f"{what} {where}"
