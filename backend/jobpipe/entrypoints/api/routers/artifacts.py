"""Artifacts by id, as JSON or as their raw content."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from jobpipe.entrypoints.api.dependencies import PortsDep, UserDep
from jobpipe.entrypoints.api.schemas import ArtifactOut
from jobpipe.service_layer import artifacts as artifact_cases

router = APIRouter(prefix="/artifacts", tags=["artifacts"])


@router.get("/{artifact_id}")
async def get_artifact(artifact_id: uuid.UUID, user: UserDep, ports: PortsDep) -> ArtifactOut:
    return ArtifactOut.of(
        await artifact_cases.get_artifact(ports.uow_factory(), user, artifact_id)
    )


@router.get("/{artifact_id}/raw")
async def get_artifact_content(
    artifact_id: uuid.UUID, user: UserDep, ports: PortsDep
) -> Response:
    artifact = await artifact_cases.get_artifact(ports.uow_factory(), user, artifact_id)
    return Response(artifact.content, media_type=artifact.media_type)
