"""Projects, and the jobs and artifacts under each."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from fastapi.responses import PlainTextResponse

from jobpipe.domain.feature_flags import Flag, FlagSubject
from jobpipe.entrypoints.api.dependencies import PortsDep, UserDep
from jobpipe.entrypoints.api.schemas import (
    AdvanceOut,
    ArtifactOut,
    JobOut,
    ProjectCreate,
    ProjectOut,
)
from jobpipe.service_layer import artifacts as artifact_cases
from jobpipe.service_layer import jobs as job_cases
from jobpipe.service_layer import projects as project_cases
from jobpipe.service_layer.errors import NotFound

router = APIRouter(prefix="/projects", tags=["projects"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_project(body: ProjectCreate, user: UserDep, ports: PortsDep) -> ProjectOut:
    project = await project_cases.create_project(ports.uow_factory(), user, body.name)
    return ProjectOut.of(project)


@router.get("")
async def list_projects(user: UserDep, ports: PortsDep) -> list[ProjectOut]:
    projects = await project_cases.list_projects(ports.uow_factory(), user)
    return [ProjectOut.of(project) for project in projects]


@router.get("/{project_id}")
async def get_project(project_id: uuid.UUID, user: UserDep, ports: PortsDep) -> ProjectOut:
    return ProjectOut.of(await project_cases.get_project(ports.uow_factory(), user, project_id))


@router.post("/{project_id}/advance")
async def advance_project(
    project_id: uuid.UUID, user: UserDep, ports: PortsDep
) -> AdvanceOut:
    project, decision = await project_cases.advance_stage(ports.uow_factory(), user, project_id)
    return AdvanceOut(project=ProjectOut.of(project), entered=decision.target)


@router.post("/{project_id}/jobs", status_code=status.HTTP_202_ACCEPTED)
async def submit_job(project_id: uuid.UUID, user: UserDep, ports: PortsDep) -> JobOut:
    job = await job_cases.submit_job(
        uow=ports.uow_factory(),
        queue=ports.queue,
        limiter=ports.limiter,
        usage=ports.usage,
        user=user,
        project_id=project_id,
        now=ports.clock(),
    )
    return JobOut.of(job)


@router.get("/{project_id}/jobs")
async def list_jobs(project_id: uuid.UUID, user: UserDep, ports: PortsDep) -> list[JobOut]:
    jobs = await job_cases.list_jobs(ports.uow_factory(), user, project_id)
    return [JobOut.of(job) for job in jobs]


@router.get("/{project_id}/artifacts")
async def list_artifacts(
    project_id: uuid.UUID, user: UserDep, ports: PortsDep
) -> list[ArtifactOut]:
    found = await artifact_cases.list_project_artifacts(ports.uow_factory(), user, project_id)
    return [ArtifactOut.of(artifact) for artifact in found]


@router.get("/{project_id}/artifacts.md", response_class=PlainTextResponse)
async def export_artifacts(
    project_id: uuid.UUID, user: UserDep, ports: PortsDep
) -> PlainTextResponse:
    subject = FlagSubject(user_id=user.id, plan=user.plan, beta=user.beta)
    if not ports.flags.is_enabled(Flag.MARKDOWN_EXPORT, subject):
        raise NotFound("project export", project_id)
    markdown = await artifact_cases.export_project_markdown(
        ports.uow_factory(), user, project_id
    )
    return PlainTextResponse(markdown, media_type="text/markdown; charset=utf-8")
