import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobpipe.domain.wait_time import DEFAULT_JOB_SECONDS, estimate_wait_seconds

pytestmark = pytest.mark.unit


def test_empty_queue_means_no_wait() -> None:
    assert estimate_wait_seconds(0, [100.0, 200.0]) == 0.0


def test_uses_the_default_before_any_job_finished() -> None:
    assert estimate_wait_seconds(2, []) == 2 * DEFAULT_JOB_SECONDS


def test_median_ignores_a_runaway_job() -> None:
    assert estimate_wait_seconds(1, [10.0, 12.0, 3600.0]) == 12.0


def test_workers_drain_the_queue_in_parallel_rounds() -> None:
    # 5 jobs over 2 workers take 3 rounds of 10 s.
    assert estimate_wait_seconds(5, [10.0], workers=2) == 30.0


@pytest.mark.parametrize(("depth", "workers"), [(-1, 1), (3, 0)])
def test_rejects_impossible_inputs(depth: int, workers: int) -> None:
    with pytest.raises(ValueError):
        estimate_wait_seconds(depth, [1.0], workers=workers)


@given(
    depth=st.integers(min_value=0, max_value=500),
    durations=st.lists(st.floats(min_value=0.1, max_value=1e4), max_size=20),
    workers=st.integers(min_value=1, max_value=16),
)
def test_more_queue_never_means_less_wait(depth: int, durations: list[float], workers: int) -> None:
    now = estimate_wait_seconds(depth, durations, workers)
    later = estimate_wait_seconds(depth + 1, durations, workers)
    assert 0 <= now <= later
