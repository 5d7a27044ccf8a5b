"""The API on fakes, through httpx's ASGI transport: no sockets, no services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from jobpipe.entrypoints.api.app import create_app
from jobpipe.service_layer.ports import Ports
from tests.unit.fakes import FakeWorld


@asynccontextmanager
async def api_client(ports: Ports) -> AsyncIterator[httpx.AsyncClient]:
    @asynccontextmanager
    async def provide() -> AsyncIterator[Ports]:
        yield ports

    app = create_app(provide)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client


@pytest.fixture
async def client(world: FakeWorld) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(world.ports) as api:
        yield api


def bearer(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"}
