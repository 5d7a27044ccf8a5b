import pytest

from jobpipe.domain.gates import ProjectFacts, check_gate
from jobpipe.domain.projects import Stage

pytestmark = pytest.mark.unit


def facts(succeeded: int = 0, active: int = 0, artifacts: int = 0) -> ProjectFacts:
    return ProjectFacts(succeeded_jobs=succeeded, active_jobs=active, artifacts=artifacts)


def test_entering_build_needs_nothing() -> None:
    decision = check_gate(Stage.BUILD, facts())
    assert decision.passed
    assert decision.reasons == ()


def test_review_needs_a_successful_job_and_an_artifact() -> None:
    decision = check_gate(Stage.REVIEW, facts())
    assert not decision.passed
    assert decision.reasons == (
        "at least one job must have succeeded",
        "at least one artifact must exist",
    )


def test_review_passes_with_a_success_and_an_artifact() -> None:
    assert check_gate(Stage.REVIEW, facts(succeeded=1, artifacts=2)).passed


def test_release_is_blocked_while_jobs_are_active() -> None:
    decision = check_gate(Stage.RELEASED, facts(succeeded=3, active=2, artifacts=3))
    assert not decision.passed
    assert decision.reasons == ("2 job(s) are still queued or running",)
    assert decision.target is Stage.RELEASED


def test_release_passes_when_everything_is_done() -> None:
    assert check_gate(Stage.RELEASED, facts(succeeded=1, artifacts=1)).passed
