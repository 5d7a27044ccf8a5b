import uuid

import httpx
import pytest

from tests.unit.api.conftest import bearer
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit

SOME_ID = uuid.uuid4()
PROTECTED = [
    ("GET", "/projects"),
    ("POST", "/projects"),
    ("GET", f"/projects/{SOME_ID}"),
    ("POST", f"/projects/{SOME_ID}/advance"),
    ("POST", f"/projects/{SOME_ID}/jobs"),
    ("GET", f"/projects/{SOME_ID}/jobs"),
    ("GET", f"/projects/{SOME_ID}/artifacts"),
    ("GET", f"/projects/{SOME_ID}/artifacts.md"),
    ("GET", f"/jobs/{SOME_ID}"),
    ("POST", f"/jobs/{SOME_ID}/cancel"),
    ("GET", f"/jobs/{SOME_ID}/artifacts"),
    ("GET", f"/artifacts/{SOME_ID}"),
    ("GET", f"/artifacts/{SOME_ID}/raw"),
    ("GET", "/dashboard"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_every_resource_requires_a_key(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, json={"name": "x"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "API key" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer jp_not_a_real_key",
        "Basic YWxpY2U6c2VjcmV0",
        "Bearer",
        "jp_missing_scheme",
    ],
)
async def test_bad_credentials_are_rejected_alike(
    client: httpx.AsyncClient, world: FakeWorld, header: str
) -> None:
    world.add_user("ann")
    response = await client.get("/projects", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "missing or invalid API key; send 'Authorization: Bearer <key>'"
    )


async def test_a_valid_key_identifies_its_user(client: httpx.AsyncClient, world: FakeWorld) -> None:
    ann, key = world.add_user("ann")
    world.add_project(ann, "ann-site")
    world.add_project(world.add_user("bob")[0], "bob-site")
    response = await client.get("/projects", headers=bearer(key))
    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["ann-site"]


async def test_health_needs_no_key(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
