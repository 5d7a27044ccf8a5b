import httpx
import pytest
from fastapi.testclient import TestClient

from jobpipe.entrypoints.api.app import create_app
from jobpipe.entrypoints.api.correlation import CORRELATION_HEADER
from tests.unit.api.conftest import api_client
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


async def test_a_well_formed_correlation_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={CORRELATION_HEADER: "req-123.abc"})
    assert response.headers[CORRELATION_HEADER] == "req-123.abc"


@pytest.mark.parametrize("sent", [None, "", "has spaces", "x" * 200, "semi;colon"])
async def test_a_missing_or_malformed_id_is_replaced(
    client: httpx.AsyncClient, sent: str | None
) -> None:
    headers = {} if sent is None else {CORRELATION_HEADER: sent}
    response = await client.get("/health", headers=headers)
    generated = response.headers[CORRELATION_HEADER]
    assert generated != sent
    assert len(generated) == 32 and generated.isalnum()


async def test_error_responses_carry_the_id_too(client: httpx.AsyncClient) -> None:
    response = await client.get("/projects", headers={CORRELATION_HEADER: "trace-1"})
    assert response.status_code == 401
    assert response.headers[CORRELATION_HEADER] == "trace-1"


async def test_ready_when_every_probe_passes(world: FakeWorld) -> None:
    async def ok() -> None:
        return None

    world.ports.health_checks = {"postgres": ok, "redis": ok}
    async with api_client(world.ports) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"postgres": "ok", "redis": "ok"}}


async def test_not_ready_names_the_failing_service(world: FakeWorld) -> None:
    async def ok() -> None:
        return None

    async def down() -> None:
        raise ConnectionRefusedError

    world.ports.health_checks = {"postgres": ok, "redis": down}
    async with api_client(world.ports) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "postgres": "ok",
        "redis": "unavailable: ConnectionRefusedError",
    }


def test_the_app_starts_and_stops_its_services_with_the_lifespan(world: FakeWorld) -> None:
    from contextlib import asynccontextmanager

    events: list[str] = []

    @asynccontextmanager
    async def provide():
        events.append("open")
        yield world.ports
        events.append("close")

    with TestClient(create_app(provide)) as client:
        assert client.get("/health").status_code == 200
        assert events == ["open"]
    assert events == ["open", "close"]
