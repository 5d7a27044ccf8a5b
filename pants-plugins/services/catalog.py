"""The services an integration test can declare in `uses=[...]`, and how to start each one.

Pure data (no Pants imports): the check rule, its error messages and their tests share it.
Which environment variable carries a service's URL, and its default, are per-repository and
live in pants.toml under `[services]`.
"""

from __future__ import annotations

from dataclasses import dataclass


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

    def how_to_start(self) -> str:
        return "\n".join(
            (
                f"  Debian/Ubuntu:  {self.debian}",
                f"  macOS:          {self.macos}",
                f"  container:      {self.container}",
            )
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
