"""Use cases on artifacts: read one, list a project's, export them as Markdown."""

from __future__ import annotations

import uuid

from jobpipe.domain.artifacts import Artifact, export_markdown
from jobpipe.domain.users import User
from jobpipe.service_layer.errors import NotFound
from jobpipe.service_layer.ports import UnitOfWork


async def get_artifact(uow: UnitOfWork, user: User, artifact_id: uuid.UUID) -> Artifact:
    async with uow:
        artifact = await uow.artifacts.get_for_owner(user.id, artifact_id)
    if artifact is None:
        raise NotFound("artifact", artifact_id)
    return artifact


async def list_project_artifacts(
    uow: UnitOfWork, user: User, project_id: uuid.UUID
) -> list[Artifact]:
    async with uow:
        if await uow.projects.get(user.id, project_id) is None:
            raise NotFound("project", project_id)
        return await uow.artifacts.list_for_project(user.id, project_id)


async def list_job_artifacts(uow: UnitOfWork, user: User, job_id: uuid.UUID) -> list[Artifact]:
    async with uow:
        if await uow.jobs.get_for_owner(user.id, job_id) is None:
            raise NotFound("job", job_id)
        return await uow.artifacts.list_for_job(user.id, job_id)


async def export_project_markdown(uow: UnitOfWork, user: User, project_id: uuid.UUID) -> str:
    async with uow:
        project = await uow.projects.get(user.id, project_id)
        if project is None:
            raise NotFound("project", project_id)
        artifacts = await uow.artifacts.list_for_project(user.id, project_id)
    return export_markdown(project.name, artifacts)
