import uuid

import pytest

from jobpipe.domain.jobs import IllegalTransition, Job, JobState

pytestmark = pytest.mark.unit


def new_job() -> Job:
    return Job(project_id=uuid.uuid4(), owner_id=uuid.uuid4(), priority=5)


def test_new_job_is_queued_with_no_attempts() -> None:
    job = new_job()
    assert job.state is JobState.QUEUED
    assert job.attempts == 0


def test_happy_path_counts_the_attempt() -> None:
    job = new_job()
    job.start()
    job.succeed()
    assert job.state is JobState.SUCCEEDED
    assert job.attempts == 1


def test_failure_keeps_the_reason() -> None:
    job = new_job()
    job.start()
    job.fail("compiler exploded")
    assert job.state is JobState.FAILED
    assert job.failure_reason == "compiler exploded"


def test_redelivered_job_counts_a_second_attempt() -> None:
    job = new_job()
    job.start()
    job.requeue()
    job.start()
    assert job.state is JobState.RUNNING
    assert job.attempts == 2


@pytest.mark.parametrize("terminal", ["succeed", "cancel"])
def test_terminal_states_refuse_every_move(terminal: str) -> None:
    job = new_job()
    job.start()
    getattr(job, terminal)()
    assert job.state.is_terminal
    with pytest.raises(IllegalTransition) as excinfo:
        job.start()
    assert excinfo.value.current is job.state
    assert excinfo.value.requested is JobState.RUNNING
    assert str(job.id) in str(excinfo.value)


def test_queued_job_cannot_succeed_without_running() -> None:
    job = new_job()
    with pytest.raises(IllegalTransition, match="cannot go from 'queued' to 'succeeded'"):
        job.succeed()
    assert job.state is JobState.QUEUED


ALL_STATES = list(JobState)
LEGAL = {
    (JobState.QUEUED, JobState.RUNNING),
    (JobState.QUEUED, JobState.CANCELLED),
    (JobState.RUNNING, JobState.SUCCEEDED),
    (JobState.RUNNING, JobState.FAILED),
    (JobState.RUNNING, JobState.CANCELLED),
    (JobState.RUNNING, JobState.QUEUED),
}
_MOVES = {
    JobState.RUNNING: lambda job: job.start(),
    JobState.SUCCEEDED: lambda job: job.succeed(),
    JobState.FAILED: lambda job: job.fail("boom"),
    JobState.CANCELLED: lambda job: job.cancel(),
    JobState.QUEUED: lambda job: job.requeue(),
}


@pytest.mark.parametrize("source", ALL_STATES, ids=lambda s: s.value)
@pytest.mark.parametrize("target", ALL_STATES, ids=lambda s: s.value)
def test_every_transition_is_either_allowed_or_raises(source: JobState, target: JobState) -> None:
    job = new_job()
    job.state = source
    if (source, target) in LEGAL:
        _MOVES[target](job)
        assert job.state is target
    else:
        with pytest.raises(IllegalTransition):
            _MOVES[target](job)
        assert job.state is source


def test_duration_is_measured_from_start_to_finish() -> None:
    from datetime import datetime, timedelta, timezone

    started = datetime(2026, 1, 1, tzinfo=timezone.utc)
    job = new_job()
    assert job.duration_seconds is None
    job.start(started)
    assert job.duration_seconds is None
    job.succeed(started + timedelta(seconds=42))
    assert job.duration_seconds == 42
