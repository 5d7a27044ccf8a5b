import uuid

import pytest

from jobpipe.domain.projects import Project, ProjectAlreadyReleased, Stage

pytestmark = pytest.mark.unit


def new_project() -> Project:
    return Project(owner_id=uuid.uuid4(), name="site")


def test_new_project_starts_as_draft_with_no_progress() -> None:
    project = new_project()
    assert project.stage is Stage.DRAFT
    assert project.progress_percent == 0


def test_advancing_walks_the_stages_in_order() -> None:
    project = new_project()
    visited = [project.advance() for _ in range(3)]
    assert visited == [Stage.BUILD, Stage.REVIEW, Stage.RELEASED]


@pytest.mark.parametrize(
    ("stage", "percent"),
    [(Stage.DRAFT, 0), (Stage.BUILD, 33), (Stage.REVIEW, 67), (Stage.RELEASED, 100)],
)
def test_progress_follows_the_stage(stage: Stage, percent: int) -> None:
    project = new_project()
    project.stage = stage
    assert project.progress_percent == percent


def test_released_project_cannot_advance() -> None:
    project = new_project()
    project.stage = Stage.RELEASED
    assert Stage.RELEASED.next is None
    with pytest.raises(ProjectAlreadyReleased, match="released"):
        project.advance()
    assert project.stage is Stage.RELEASED
