"""The full API on PostgreSQL and Redis: in-process through the composition root, and as the
`serve` process (API plus worker) over HTTP, the way the README shows it."""

from __future__ import annotations

import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

import jobpipe.entrypoints.admin as admin_entrypoint
import jobpipe.entrypoints.serve as serve_entrypoint
from jobpipe.domain.usage_policy import Plan
from jobpipe.entrypoints.api.app import create_app
from jobpipe.entrypoints.composition import build_worker, production_ports
from jobpipe.service_layer.users import register_user
from jobpipe.settings import Settings
from tests.integration.entrypoints.support import (
    eventually,
    running,
    service_env,
    stop_gracefully,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def api(isolated_settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    """The production app and ports, confined to this test's schema and key prefix."""
    async with production_ports(isolated_settings) as ports:

        def provide():
            from contextlib import asynccontextmanager

            @asynccontextmanager
            async def borrowed():
                yield ports

            return borrowed()

        app = create_app(provide)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
                yield client, ports


async def test_create_submit_run_and_export(api, isolated_settings: Settings) -> None:
    client, ports = api
    _, key = await register_user(ports.uow_factory(), name="ann", plan=Plan.PRO)
    auth = {"Authorization": f"Bearer {key}"}

    project = (await client.post("/projects", json={"name": "site"}, headers=auth)).json()
    job = (await client.post(f"/projects/{project['id']}/jobs", headers=auth)).json()
    assert job["state"] == "queued"
    assert (await client.get("/dashboard", headers=auth)).json()["queue_depth"] == 1

    result = await build_worker(ports, isolated_settings).run_once()
    assert result is not None and result.outcome.value == "succeeded"

    fetched = (await client.get(f"/jobs/{job['id']}", headers=auth)).json()
    assert (fetched["state"], fetched["attempts"]) == ("succeeded", 1)
    markdown = (await client.get(f"/projects/{project['id']}/artifacts.md", headers=auth)).text
    assert "## manifest.json" in markdown and job["id"] in markdown
    board = (await client.get("/dashboard", headers=auth)).json()
    assert (board["jobs_today"], board["active_jobs"], board["queue_depth"]) == (1, 0, 0)
    assert board["jobs_by_state"]["succeeded"] == 1


async def test_isolation_and_limits_on_real_storage(api) -> None:
    client, ports = api
    _, alice = await register_user(ports.uow_factory(), name="alice", plan=Plan.FREE)
    _, bob = await register_user(ports.uow_factory(), name="bob", plan=Plan.FREE)
    as_alice = {"Authorization": f"Bearer {alice}"}
    as_bob = {"Authorization": f"Bearer {bob}"}

    project = (await client.post("/projects", json={"name": "site"}, headers=as_alice)).json()
    job = (await client.post(f"/projects/{project['id']}/jobs", headers=as_alice)).json()
    assert (await client.get(f"/projects/{project['id']}", headers=as_bob)).status_code == 404
    assert (await client.get(f"/jobs/{job['id']}", headers=as_bob)).status_code == 404
    assert (await client.post(f"/jobs/{job['id']}/cancel", headers=as_bob)).status_code == 404

    limited = await client.post(f"/projects/{project['id']}/jobs", headers=as_alice)
    assert limited.status_code == 429 and limited.json()["limit"] == "concurrency"
    duplicate = await client.post("/projects", json={"name": "site"}, headers=as_alice)
    assert duplicate.status_code == 409
    # Bob may use the same name: uniqueness is per owner, enforced by PostgreSQL.
    assert (
        await client.post("/projects", json={"name": "site"}, headers=as_bob)
    ).status_code == 201


async def test_readiness_probes_the_real_services(api) -> None:
    client, _ = api
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"postgres": "ok", "redis": "ok"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_serve_process_runs_api_and_worker(
    isolated_settings: Settings, tmp_path: Path
) -> None:
    import subprocess
    import sys

    port = free_port()
    env = service_env(
        isolated_settings, JOBPIPE_API_PORT=str(port), JOBPIPE_RUN_MIGRATIONS_ON_STARTUP="true"
    )
    created = subprocess.run(
        [sys.executable, "-m", admin_entrypoint.__name__, "create-user", "ann", "--plan", "pro"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    key = created.stdout.split("api key ")[1].strip()
    auth = {"Authorization": f"Bearer {key}"}

    with running(serve_entrypoint.__name__, env, tmp_path / "serve.log") as server:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:

            async def health() -> int:
                try:
                    return (await client.get("/health/ready")).status_code
                except httpx.TransportError:
                    return 0

            await eventually(health, lambda s: s == 200, timeout=30, what="the API to start")
            project = (await client.post("/projects", json={"name": "site"}, headers=auth)).json()
            job = (await client.post(f"/projects/{project['id']}/jobs", headers=auth)).json()

            async def job_state() -> str:
                return (await client.get(f"/jobs/{job['id']}", headers=auth)).json()["state"]

            await eventually(job_state, lambda s: s == "succeeded", timeout=30, what="the job")
            export = await client.get(f"/projects/{project['id']}/artifacts.md", headers=auth)
            assert export.status_code == 200 and "## build.log" in export.text
        # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status shows it.
        assert stop_gracefully(server) == -signal.SIGTERM
    log = (tmp_path / "serve.log").read_text()
    assert "Application shutdown complete." in log
    assert f"job {job['id']}: succeeded" in log
