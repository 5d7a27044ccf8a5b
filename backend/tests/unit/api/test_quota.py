import math
from datetime import timedelta

import httpx
import pytest

from jobpipe.domain.usage_policy import Plan, limits_for
from tests.unit.api.conftest import bearer
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


async def test_concurrency_limit_is_a_429_that_names_the_limit(
    client: httpx.AsyncClient, world: FakeWorld
) -> None:
    user, key = world.add_user("ann", Plan.FREE)
    project = world.add_project(user)
    first = await client.post(f"/projects/{project.id}/jobs", headers=bearer(key))
    assert first.status_code == 202
    second = await client.post(f"/projects/{project.id}/jobs", headers=bearer(key))
    assert second.status_code == 429
    body = second.json()
    assert body["limit"] == "concurrency"
    assert body["max"] == limits_for(Plan.FREE).concurrent_jobs
    assert "concurrency limit of 1 active job(s) for plan 'free'" in body["detail"]
    assert "Retry-After" not in second.headers


async def test_cancelling_frees_the_slot(client: httpx.AsyncClient, world: FakeWorld) -> None:
    user, key = world.add_user("ann", Plan.FREE)
    project = world.add_project(user)
    job = (await client.post(f"/projects/{project.id}/jobs", headers=bearer(key))).json()
    cancelled = await client.post(f"/jobs/{job['id']}/cancel", headers=bearer(key))
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    again = await client.post(f"/projects/{project.id}/jobs", headers=bearer(key))
    assert again.status_code == 202


async def test_daily_quota_is_a_429_with_reset_time(
    client: httpx.AsyncClient, world: FakeWorld
) -> None:
    user, key = world.add_user("ann", Plan.FREE)
    project = world.add_project(user)
    quota = limits_for(Plan.FREE).daily_jobs
    for _ in range(quota):
        await world.ports.usage.consume(user.id, limit=quota, now=world.clock())
    response = await client.post(f"/projects/{project.id}/jobs", headers=bearer(key))
    assert response.status_code == 429
    body = response.json()
    assert body["limit"] == "daily_quota"
    assert f"daily job quota of {quota}" in body["detail"]
    midnight = world.clock().replace(hour=0) + timedelta(days=1)
    assert body["resets_at"] == midnight.isoformat()
    assert midnight.isoformat() in body["detail"]
    expected_wait = math.ceil((midnight - world.clock()).total_seconds())
    assert int(response.headers["Retry-After"]) == expected_wait


async def test_quota_counts_only_accepted_jobs(client: httpx.AsyncClient, world: FakeWorld) -> None:
    user, key = world.add_user("ann", Plan.FREE)
    project = world.add_project(user)
    statuses = [
        (await client.post(f"/projects/{project.id}/jobs", headers=bearer(key))).status_code
        for _ in range(3)
    ]
    assert statuses == [202, 429, 429]
    board = (await client.get("/dashboard", headers=bearer(key))).json()
    assert board["jobs_today"] == 1
    assert board["active_jobs"] == 1
