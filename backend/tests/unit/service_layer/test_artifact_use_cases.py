import pytest

from jobpipe.adapters.deterministic_runner import DeterministicRunner
from jobpipe.domain.artifacts import ArtifactDraft
from jobpipe.domain.jobs import Job
from jobpipe.service_layer.artifacts import (
    export_project_markdown,
    get_artifact,
    list_job_artifacts,
    list_project_artifacts,
)
from jobpipe.service_layer.errors import NotFound
from jobpipe.service_layer.run_job import run_job
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


async def built(world: FakeWorld):
    user, _ = world.add_user("ann")
    project = world.add_project(user, "site")
    job = Job(project_id=project.id, owner_id=user.id, priority=3)
    world.store.jobs[job.id] = job
    await run_job(
        uow_factory=world.uow, runner=DeterministicRunner(), job_id=job.id, clock=world.clock
    )
    return user, project, job


async def test_deterministic_runner_output_is_listed_per_project_and_job(world: FakeWorld) -> None:
    user, project, job = await built(world)
    by_project = await list_project_artifacts(world.uow(), user, project.id)
    by_job = await list_job_artifacts(world.uow(), user, job.id)
    assert [a.name for a in by_project] == ["build.log", "manifest.json"]
    assert by_project == by_job


async def test_deterministic_runner_repeats_itself(world: FakeWorld) -> None:
    user, project, job = await built(world)
    runner = DeterministicRunner()
    first = await runner.run(job, project)
    second = await runner.run(job, project)
    assert first == second
    assert all(isinstance(d, ArtifactDraft) for d in first)
    assert str(job.id) in first[0].content


async def test_markdown_export_contains_every_artifact(world: FakeWorld) -> None:
    user, project, _ = await built(world)
    markdown = await export_project_markdown(world.uow(), user, project.id)
    assert markdown.startswith("# Artifacts for site")
    assert "## build.log" in markdown and "## manifest.json" in markdown
    assert "build finished" in markdown


async def test_another_user_sees_none_of_it(world: FakeWorld) -> None:
    _, project, job = await built(world)
    bob, _ = world.add_user("bob")
    artifact_id = next(iter(world.store.artifacts))
    for call in (
        get_artifact(world.uow(), bob, artifact_id),
        list_job_artifacts(world.uow(), bob, job.id),
        list_project_artifacts(world.uow(), bob, project.id),
        export_project_markdown(world.uow(), bob, project.id),
    ):
        with pytest.raises(NotFound):
            await call
