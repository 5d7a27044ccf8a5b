"""A user's whole journey through the API on fakes, the worker included."""

import httpx
import pytest

from jobpipe.domain.feature_flags import FeatureFlags, Flag, FlagRule
from jobpipe.domain.usage_policy import Plan
from jobpipe.entrypoints.worker_loop import Worker
from tests.unit.api.conftest import api_client, bearer
from tests.unit.fakes import FakeWorld, make_world

pytestmark = pytest.mark.unit


async def test_create_submit_run_fetch_and_advance(
    client: httpx.AsyncClient, world: FakeWorld
) -> None:
    _, key = world.add_user("ann", Plan.PRO)
    auth = bearer(key)
    created = await client.post("/projects", json={"name": "site"}, headers=auth)
    assert created.status_code == 201
    project = created.json()
    assert (project["stage"], project["progress_percent"]) == ("draft", 0)

    advanced = await client.post(f"/projects/{project['id']}/advance", headers=auth)
    assert advanced.status_code == 200 and advanced.json()["entered"] == "build"
    blocked = await client.post(f"/projects/{project['id']}/advance", headers=auth)
    assert blocked.status_code == 409
    assert "at least one job must have succeeded" in blocked.json()["reasons"]

    job = (await client.post(f"/projects/{project['id']}/jobs", headers=auth)).json()
    assert job["state"] == "queued"
    result = await Worker(world.ports, worker_id="w").run_once()
    assert result is not None
    fetched = (await client.get(f"/jobs/{job['id']}", headers=auth)).json()
    assert (fetched["state"], fetched["attempts"]) == ("succeeded", 1)

    artifacts = (await client.get(f"/projects/{project['id']}/artifacts", headers=auth)).json()
    assert [a["name"] for a in artifacts] == ["out.txt"]
    raw = await client.get(f"/artifacts/{artifacts[0]['id']}/raw", headers=auth)
    assert raw.text == "built" and raw.headers["content-type"].startswith("text/plain")

    markdown = await client.get(f"/projects/{project['id']}/artifacts.md", headers=auth)
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "## out.txt" in markdown.text and "built" in markdown.text

    review = await client.post(f"/projects/{project['id']}/advance", headers=auth)
    assert review.json()["project"]["progress_percent"] == 67


async def test_cancelling_a_finished_job_is_a_conflict(
    client: httpx.AsyncClient, world: FakeWorld
) -> None:
    user, key = world.add_user("ann")
    project = world.add_project(user)
    job = (await client.post(f"/projects/{project.id}/jobs", headers=bearer(key))).json()
    await Worker(world.ports, worker_id="w").run_once()
    response = await client.post(f"/jobs/{job['id']}/cancel", headers=bearer(key))
    assert response.status_code == 409
    assert response.json()["detail"] == "job is already succeeded"


async def test_dashboard_shows_plan_usage_and_beta_estimate(
    client: httpx.AsyncClient, world: FakeWorld
) -> None:
    user, key = world.add_user("ann", Plan.TEAM, beta=True)
    project = world.add_project(user)
    for _ in range(3):
        await client.post(f"/projects/{project.id}/jobs", headers=bearer(key))
    board = (await client.get("/dashboard", headers=bearer(key))).json()
    assert board["plan"] == "team"
    assert (board["jobs_today"], board["active_jobs"], board["queue_depth"]) == (3, 3, 3)
    assert board["jobs_by_state"]["queued"] == 3
    assert board["wait_estimate_seconds"] == 90.0  # three jobs, default 30 s, one worker


async def test_markdown_export_can_be_switched_off() -> None:
    world = make_world(FeatureFlags({Flag.MARKDOWN_EXPORT: FlagRule(enabled=False)}))
    user, key = world.add_user("ann")
    project = world.add_project(user)
    async with api_client(world.ports) as client:
        response = await client.get(f"/projects/{project.id}/artifacts.md", headers=bearer(key))
        listing = await client.get(f"/projects/{project.id}/artifacts", headers=bearer(key))
    await world.redis.aclose()
    assert response.status_code == 404
    assert listing.status_code == 200
