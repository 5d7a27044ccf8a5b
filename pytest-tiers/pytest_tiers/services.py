"""The services an integration test can use, how to start each, and how to say one is down.

Pure (no Pants, no pytest import). The `services` Pants plugin checks the services a target
declares in `uses=[...]` with it before pytest starts; the integration fixtures under plain
pytest report a dead service with `unreachable` too, so both runners say the same thing. Which
variable carries a service's URL, and its default, are per repository (`[services]` in
pants.toml).
"""

from __future__ import annotations

from dataclasses import dataclass

from pytest_tiers.messages import Problem


@dataclass(frozen=True)
class ServiceKind:
    """A service a test can use: its wire protocol (how the probe talks to it) and how to start
    it on the machines our users have."""

    name: str
    title: str
    protocol: str
    debian: str
    macos: str
    container: str

    def how_to_start(self) -> tuple[str, ...]:
        return (
            f"Debian/Ubuntu:  {self.debian}",
            f"macOS:          {self.macos}",
            f"container:      {self.container}",
        )


KNOWN_SERVICES: dict[str, ServiceKind] = {
    kind.name: kind
    for kind in (
        ServiceKind(
            name="postgres",
            title="PostgreSQL",
            protocol="postgres",
            debian="sudo apt-get install -y postgresql && sudo service postgresql start",
            macos="brew install postgresql@15 && brew services start postgresql@15",
            container=(
                "docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust "
                "-e POSTGRES_DB=test postgres:15"
            ),
        ),
        ServiceKind(
            name="redis",
            title="Redis",
            protocol="redis",
            debian="sudo apt-get install -y redis-server && sudo service redis-server start",
            macos="brew install redis && brew services start redis",
            container="docker run -d -p 6379:6379 redis:7",
        ),
    )
}

UNIT_TIER_NEEDS_NO_SERVICES = (
    "the unit tier needs no services (`pants --tag=unit test ::`, or `pytest -m unit`)"
)


def from_environment(variable: str) -> str:
    """Where a URL came from: the environment."""
    return f"from ${variable}"


def from_default(variable: str) -> str:
    """Where a URL came from: the default, because its variable is unset."""
    return f"the default; ${variable} is unset"


def unreachable(
    service: str, url: str, variable: str, source: str, reason: str, *, location: str
) -> Problem:
    """`service` (a `KNOWN_SERVICES` name) did not answer at `url`, which came from `source`
    (`from_environment(variable)`, `from_default(variable)`, or another phrase); `reason` is the
    low-level cause (the probe's answer, or the client's exception). The fix says how to start
    the service, or which variable to point at a running one."""
    kind = KNOWN_SERVICES[service]
    return Problem(
        location=location,
        problem=f"{service} ({kind.title}) at {url} ({source}) is not reachable: "
        f"{reason.strip().rstrip('.')}.",
        fix="\n".join(
            (
                f"start {kind.title}, then re-run:",
                *(f"  {line}" for line in kind.how_to_start()),
                f"or set {variable} to the URL of a running {kind.title}; "
                f"{UNIT_TIER_NEEDS_NO_SERVICES}.",
            )
        ),
    )


# Which service a connection reached, by the port it connected to (TCP or UDP) or the name of
# the unix socket it connected to. Observation (`pytest --tiers-observe`) and `pytest-tiers
# adopt` name what a test reached with it; the `tiers_service_ports` ini key extends it
# (`5433=postgres 6380=redis`). Only `KNOWN_SERVICES` can be declared in `uses=[...]`.
DEFAULT_SERVICE_PORTS: dict[int, str] = {
    5432: "postgres",
    6379: "redis",
    3306: "mysql",
    5672: "amqp",
    27017: "mongodb",
    9092: "kafka",
    4222: "nats",
    1883: "mqtt",
    11211: "memcached",
}

# Unix sockets, by the last component of their path: PostgreSQL's `.s.PGSQL.<port>`, MySQL's
# `mysqld.sock`/`mysql.sock`, Redis' `redis.sock`/`redis-server.sock`.
_UNIX_SOCKET_SERVICES = (
    (".s.PGSQL.", "postgres"),
    ("mysqld.sock", "mysql"),
    ("mysql.sock", "mysql"),
    ("redis", "redis"),
    ("memcached", "memcached"),
)


def parse_service_ports(entries: list[str] | tuple[str, ...]) -> dict[int, str]:
    """`PORT=SERVICE` words (several per entry allowed) as a table; raises ValueError on a word
    that is not of that form."""
    table: dict[int, str] = {}
    for entry in entries:
        for word in entry.split():
            port, sep, service = word.partition("=")
            if not sep or not port.strip().isdigit() or not service.strip():
                raise ValueError(f"{word!r} is not PORT=SERVICE (e.g. 5433=postgres)")
            table[int(port)] = service.strip()
    return table


def service_of(kind: str, address: str, ports: dict[int, str] | None = None) -> str:
    """The service an observed address belongs to: a name from the port table (defaults plus
    `ports`), or the address itself (`host:port`, or the socket path).

    `kind` is "tcp", "udp" or "unix"; `address` is `host:port` (IPv6 hosts in brackets) for
    the first two, the path for unix sockets."""
    table = {**DEFAULT_SERVICE_PORTS, **(ports or {})}
    if kind == "unix":
        name = address.rstrip("/").rsplit("/", 1)[-1]
        for fragment, service in _UNIX_SOCKET_SERVICES:
            if fragment in name:
                if service == "postgres" and name.startswith(".s.PGSQL."):
                    port = name[len(".s.PGSQL.") :]
                    if port.isdigit() and int(port) in table:
                        return table[int(port)]
                return service
        return address
    _, _, port = address.rpartition(":")
    if port.isdigit() and int(port) in table:
        return table[int(port)]
    return address


# Where the `services` Pants plugin tells pytest which services each test file's target declares
# in `uses=[...]`: one JSON file per test file (`{"uses": [...]}`), relative to the directory
# pytest runs in. pytest-tiers compares them with what the tests reach (--tiers-check-uses).
DECLARED_USES_DIR = ".pytest-tiers/uses"


def declared_uses_file(test_path: str) -> str:
    """The declaration file of the test file at `test_path` (relative to the build root)."""
    return f"{DECLARED_USES_DIR}/{test_path}.json"
