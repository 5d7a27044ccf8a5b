"""Jobs by id: read, cancel, list what they produced."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from jobpipe.entrypoints.api.dependencies import PortsDep, UserDep
from jobpipe.entrypoints.api.schemas import ArtifactOut, JobOut
from jobpipe.service_layer import artifacts as artifact_cases
from jobpipe.service_layer import jobs as job_cases

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}")
async def get_job(job_id: uuid.UUID, user: UserDep, ports: PortsDep) -> JobOut:
    return JobOut.of(await job_cases.get_job(ports.uow_factory(), user, job_id))


@router.post("/{job_id}/cancel")
async def cancel_job(job_id: uuid.UUID, user: UserDep, ports: PortsDep) -> JobOut:
    job = await job_cases.cancel_job(
        uow=ports.uow_factory(),
        queue=ports.queue,
        limiter=ports.limiter,
        user=user,
        job_id=job_id,
        now=ports.clock(),
    )
    return JobOut.of(job)


@router.get("/{job_id}/artifacts")
async def list_job_artifacts(
    job_id: uuid.UUID, user: UserDep, ports: PortsDep
) -> list[ArtifactOut]:
    found = await artifact_cases.list_job_artifacts(ports.uow_factory(), user, job_id)
    return [ArtifactOut.of(artifact) for artifact in found]
