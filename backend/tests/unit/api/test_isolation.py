"""User B must not learn anything about user A's resources: always 404, never 403."""

import uuid

import httpx
import pytest

from jobpipe.domain.usage_policy import Plan
from jobpipe.entrypoints.worker_loop import Worker
from tests.unit.api.conftest import bearer
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


@pytest.fixture
async def alice_built(client: httpx.AsyncClient, world: FakeWorld) -> dict[str, str]:
    """Alice has a project with a finished job and its artifacts."""
    _, key = world.add_user("alice", Plan.PRO)
    project = (await client.post("/projects", json={"name": "secret"}, headers=bearer(key))).json()
    job = (await client.post(f"/projects/{project['id']}/jobs", headers=bearer(key))).json()
    await Worker(world.ports, worker_id="w").run_once()
    artifacts = (await client.get(f"/jobs/{job['id']}/artifacts", headers=bearer(key))).json()
    assert artifacts, "the worker should have produced artifacts"
    return {"project": project["id"], "job": job["id"], "artifact": artifacts[0]["id"]}


READS = [
    ("GET", "/projects/{project}"),
    ("GET", "/projects/{project}/jobs"),
    ("GET", "/projects/{project}/artifacts"),
    ("GET", "/projects/{project}/artifacts.md"),
    ("GET", "/jobs/{job}"),
    ("GET", "/jobs/{job}/artifacts"),
    ("GET", "/artifacts/{artifact}"),
    ("GET", "/artifacts/{artifact}/raw"),
    ("POST", "/projects/{project}/jobs"),
    ("POST", "/projects/{project}/advance"),
    ("POST", "/jobs/{job}/cancel"),
]


@pytest.mark.parametrize(("method", "template"), READS)
async def test_other_users_resources_look_missing(
    client: httpx.AsyncClient,
    world: FakeWorld,
    alice_built: dict[str, str],
    method: str,
    template: str,
) -> None:
    _, bob_key = world.add_user("bob", Plan.TEAM)
    theirs = await client.request(method, template.format(**alice_built), headers=bearer(bob_key))
    random_ids = {name: str(uuid.uuid4()) for name in alice_built}
    missing = await client.request(method, template.format(**random_ids), headers=bearer(bob_key))
    assert theirs.status_code == missing.status_code == 404
    # Same shape of message as for an id that exists nowhere: nothing leaks.
    assert theirs.json()["detail"].split()[0] == missing.json()["detail"].split()[0]
    assert "secret" not in theirs.text


async def test_others_actions_change_nothing(
    client: httpx.AsyncClient, world: FakeWorld, alice_built: dict[str, str]
) -> None:
    _, bob_key = world.add_user("bob", Plan.TEAM)
    await client.post(f"/projects/{alice_built['project']}/jobs", headers=bearer(bob_key))
    await client.post(f"/projects/{alice_built['project']}/advance", headers=bearer(bob_key))
    assert len(world.store.jobs) == 1
    assert next(iter(world.store.projects.values())).stage.value == "draft"


async def test_listings_only_show_your_own(
    client: httpx.AsyncClient, world: FakeWorld, alice_built: dict[str, str]
) -> None:
    _, bob_key = world.add_user("bob")
    assert (await client.get("/projects", headers=bearer(bob_key))).json() == []
    board = (await client.get("/dashboard", headers=bearer(bob_key))).json()
    assert board["projects"] == 0
    assert sum(board["jobs_by_state"].values()) == 0
