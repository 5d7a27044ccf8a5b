"""Use cases on projects: create, look up, advance through the stage gates."""

from __future__ import annotations

import uuid

from jobpipe.domain.gates import GateDecision, ProjectFacts, check_gate
from jobpipe.domain.jobs import JobState
from jobpipe.domain.projects import Project, ProjectAlreadyReleased
from jobpipe.domain.users import User
from jobpipe.service_layer.errors import Conflict, GateBlocked, NotFound
from jobpipe.service_layer.ports import UnitOfWork


async def create_project(uow: UnitOfWork, user: User, name: str) -> Project:
    async with uow:
        if await uow.projects.get_by_name(user.id, name) is not None:
            raise Conflict(f"you already have a project named {name!r}")
        project = Project(owner_id=user.id, name=name)
        await uow.projects.add(project)
        await uow.commit()
    return project


async def list_projects(uow: UnitOfWork, user: User) -> list[Project]:
    async with uow:
        return await uow.projects.list_for_owner(user.id)


async def get_project(uow: UnitOfWork, user: User, project_id: uuid.UUID) -> Project:
    async with uow:
        project = await uow.projects.get(user.id, project_id)
    if project is None:
        raise NotFound("project", project_id)
    return project


async def advance_stage(
    uow: UnitOfWork, user: User, project_id: uuid.UUID
) -> tuple[Project, GateDecision]:
    """Move the project one stage on if the gate passes; raise GateBlocked otherwise."""
    async with uow:
        project = await uow.projects.get(user.id, project_id)
        if project is None:
            raise NotFound("project", project_id)
        target = project.stage.next
        if target is None:
            raise Conflict(str(ProjectAlreadyReleased(f"project is already {project.stage.value}")))
        counts = await uow.jobs.count_by_state(user.id, project_id)
        facts = ProjectFacts(
            succeeded_jobs=counts.get(JobState.SUCCEEDED, 0),
            active_jobs=counts.get(JobState.QUEUED, 0) + counts.get(JobState.RUNNING, 0),
            artifacts=len(await uow.artifacts.list_for_project(user.id, project_id)),
        )
        decision = check_gate(target, facts)
        if not decision.passed:
            raise GateBlocked(decision)
        project.advance()
        await uow.projects.update(project)
        await uow.commit()
    return project, decision
