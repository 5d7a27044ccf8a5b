import httpx
import pytest

from tests.unit.api.conftest import bearer
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


@pytest.fixture
def key(world: FakeWorld) -> str:
    return world.add_user("ann")[1]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": ""}, "name: String should have at least 1 character"),
        ({"name": "x" * 81}, "name: String should have at most 80 characters"),
        ({"name": "<script>"}, "name: String should match pattern"),
        ({}, "name: Field required"),
        ({"name": "ok", "owner_id": "someone-else"}, "owner_id: Extra inputs are not permitted"),
        ({"name": 42}, "name: Input should be a valid string"),
    ],
)
async def test_bad_project_bodies_get_a_clear_422(
    client: httpx.AsyncClient, key: str, body: dict, expected: str
) -> None:
    response = await client.post("/projects", json=body, headers=bearer(key))
    assert response.status_code == 422
    payload = response.json()
    assert payload["detail"].startswith("invalid request: ")
    assert expected in payload["detail"]
    assert payload["errors"] and all("message" in e for e in payload["errors"])


async def test_non_json_body_is_a_422(client: httpx.AsyncClient, key: str) -> None:
    response = await client.post(
        "/projects",
        content=b"name=site",
        headers={**bearer(key), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "JSON decode error" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/projects/not-a-uuid", "/jobs/123", "/artifacts/%20"])
async def test_malformed_ids_are_a_422_naming_the_parameter(
    client: httpx.AsyncClient, key: str, path: str
) -> None:
    response = await client.get(path, headers=bearer(key))
    assert response.status_code == 422
    assert "_id: Input should be a valid UUID" in response.json()["detail"]


async def test_names_are_trimmed_and_duplicates_conflict(
    client: httpx.AsyncClient, key: str
) -> None:
    created = await client.post("/projects", json={"name": "  site  "}, headers=bearer(key))
    assert created.status_code == 201 and created.json()["name"] == "site"
    again = await client.post("/projects", json={"name": "site"}, headers=bearer(key))
    assert again.status_code == 409
    assert "already have a project named 'site'" in again.json()["detail"]
