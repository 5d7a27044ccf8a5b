"""What observation records (pure): audit events as connects and look-ups, and service names."""

from __future__ import annotations

import socket

import pytest

from pytest_tiers.network_events import event_record
from pytest_tiers.services import parse_service_ports, service_of

pytestmark = pytest.mark.unit


class FakeSocket:
    def __init__(self, family: int, kind: int = socket.SOCK_STREAM) -> None:
        self.family = family
        self.type = kind


@pytest.mark.parametrize(
    ("event", "args", "record"),
    [
        ("socket.connect", (FakeSocket(socket.AF_INET), ("127.0.0.1", 5432)), {"kind": "tcp", "address": "127.0.0.1:5432"}),
        ("socket.connect", (FakeSocket(socket.AF_INET6), ("::1", 6379, 0, 0)), {"kind": "tcp", "address": "[::1]:6379"}),
        ("socket.connect", (FakeSocket(socket.AF_INET, socket.SOCK_DGRAM), ("10.0.0.1", 53)), {"kind": "udp", "address": "10.0.0.1:53"}),
        ("socket.connect", (FakeSocket(socket.AF_UNIX), "/run/postgresql/.s.PGSQL.5432"), {"kind": "unix", "address": "/run/postgresql/.s.PGSQL.5432"}),
        ("socket.sendto", (FakeSocket(socket.AF_INET, socket.SOCK_DGRAM), ("10.0.0.2", 8125)), {"kind": "udp", "address": "10.0.0.2:8125"}),
        ("socket.getaddrinfo", ("db.internal", 5432, 0, 0, 0), {"kind": "dns", "address": "db.internal"}),
        ("socket.getaddrinfo", ("127.0.0.1", 5432, 0, 0, 0), None),
        ("socket.gethostbyname", ("localhost",), None),
        ("socket.bind", (FakeSocket(socket.AF_INET), ("127.0.0.1", 0)), None),
        ("open", ("/etc/hosts", "r", 0), None),
    ],
)
def test_event_record(event: str, args: tuple, record: dict | None) -> None:
    assert event_record(event, args) == record


@pytest.mark.parametrize(
    ("kind", "address", "service"),
    [
        ("tcp", "127.0.0.1:5432", "postgres"),
        ("tcp", "[::1]:6379", "redis"),
        ("tcp", "db:27017", "mongodb"),
        ("tcp", "10.0.0.1:8080", "10.0.0.1:8080"),
        ("unix", "/var/run/postgresql/.s.PGSQL.5432", "postgres"),
        ("unix", "/tmp/app.sock", "/tmp/app.sock"),
        ("tcp", "127.0.0.1:5433", "5433-is-postgres-too"),
    ],
)
def test_service_of(kind: str, address: str, service: str) -> None:
    extra = parse_service_ports(["5433=5433-is-postgres-too"])
    assert service_of(kind, address, extra) == service


def test_a_malformed_port_table_entry_is_an_error() -> None:
    with pytest.raises(ValueError, match="is not PORT=SERVICE"):
        parse_service_ports(["postgres"])
