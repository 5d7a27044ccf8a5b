import uuid

import pytest

from jobpipe.domain.artifacts import Artifact
from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.projects import Stage
from jobpipe.service_layer.errors import Conflict, GateBlocked, NotFound
from jobpipe.service_layer.projects import advance_stage, create_project, get_project
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


async def test_created_project_is_stored_for_its_owner(world: FakeWorld) -> None:
    user, _ = world.add_user("ann")
    project = await create_project(world.uow(), user, "site")
    assert world.store.projects[project.id].owner_id == user.id
    assert (await get_project(world.uow(), user, project.id)).name == "site"


async def test_names_are_unique_per_owner_only(world: FakeWorld) -> None:
    ann, _ = world.add_user("ann")
    bob, _ = world.add_user("bob")
    await create_project(world.uow(), ann, "site")
    with pytest.raises(Conflict, match="already have a project named 'site'"):
        await create_project(world.uow(), ann, "site")
    await create_project(world.uow(), bob, "site")
    assert len(world.store.projects) == 2


async def test_other_users_projects_are_not_found(world: FakeWorld) -> None:
    ann, _ = world.add_user("ann")
    bob, _ = world.add_user("bob")
    project = await create_project(world.uow(), ann, "site")
    with pytest.raises(NotFound):
        await get_project(world.uow(), bob, project.id)
    with pytest.raises(NotFound):
        await advance_stage(world.uow(), bob, project.id)


async def test_advance_through_every_gate(world: FakeWorld) -> None:
    user, _ = world.add_user("ann")
    project = await create_project(world.uow(), user, "site")
    moved, decision = await advance_stage(world.uow(), user, project.id)
    assert moved.stage is Stage.BUILD and decision.passed

    with pytest.raises(GateBlocked) as blocked:
        await advance_stage(world.uow(), user, project.id)
    assert "at least one job must have succeeded" in blocked.value.decision.reasons
    assert world.store.projects[project.id].stage is Stage.BUILD

    job = Job(project_id=project.id, owner_id=user.id, priority=1, state=JobState.SUCCEEDED)
    world.store.jobs[job.id] = job
    world.store.artifacts[uuid.uuid4()] = Artifact(
        job_id=job.id, project_id=project.id, owner_id=user.id, name="a", media_type="t", content=""
    )
    moved, _ = await advance_stage(world.uow(), user, project.id)
    assert moved.stage is Stage.REVIEW

    pending = Job(project_id=project.id, owner_id=user.id, priority=1)
    world.store.jobs[pending.id] = pending
    with pytest.raises(GateBlocked, match="still queued or running"):
        await advance_stage(world.uow(), user, project.id)
    pending.state = JobState.CANCELLED
    moved, _ = await advance_stage(world.uow(), user, project.id)
    assert moved.stage is Stage.RELEASED
    assert world.store.projects[project.id].stage is Stage.RELEASED

    with pytest.raises(Conflict, match="already released"):
        await advance_stage(world.uow(), user, project.id)
