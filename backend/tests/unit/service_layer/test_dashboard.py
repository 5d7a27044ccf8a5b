from datetime import timedelta

import pytest

from jobpipe.domain.feature_flags import FeatureFlags
from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.usage_policy import Plan, limits_for
from jobpipe.service_layer.dashboard import build_dashboard
from jobpipe.service_layer.jobs import submit_job
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


async def dashboard_for(world: FakeWorld, user, workers: int = 1):
    s = world.ports
    return await build_dashboard(
        uow=world.uow(),
        queue=s.queue,
        limiter=s.limiter,
        usage=s.usage,
        flags=FeatureFlags(),
        user=user,
        now=world.clock(),
        workers=workers,
    )


async def test_counts_usage_against_the_plan(world: FakeWorld) -> None:
    user, _ = world.add_user("ann", Plan.PRO)
    project = world.add_project(user)
    s = world.ports
    for _ in range(2):
        await submit_job(
            uow=world.uow(),
            queue=s.queue,
            limiter=s.limiter,
            usage=s.usage,
            user=user,
            project_id=project.id,
            now=world.clock(),
        )
    board = await dashboard_for(world, user)
    assert board.plan_limits == limits_for(Plan.PRO)
    assert (board.jobs_today, board.active_jobs, board.queue_depth) == (2, 2, 2)
    assert board.jobs_by_state[JobState.QUEUED] == 2
    assert board.jobs_by_state[JobState.SUCCEEDED] == 0
    assert board.projects == 1
    assert board.quota_resets_at > world.clock()


async def test_wait_estimate_only_for_beta_users(world: FakeWorld) -> None:
    plain, _ = world.add_user("plain")
    beta, _ = world.add_user("beta", beta=True)
    assert (await dashboard_for(world, plain)).wait_estimate_seconds is None
    assert (await dashboard_for(world, beta)).wait_estimate_seconds == 0.0


async def test_wait_estimate_uses_recent_durations_and_workers(world: FakeWorld) -> None:
    user, _ = world.add_user("beta", Plan.TEAM, beta=True)
    project = world.add_project(user)
    done = Job(project_id=project.id, owner_id=user.id, priority=1)
    done.start(world.clock())
    done.succeed(world.clock() + timedelta(seconds=20))
    world.store.jobs[done.id] = done
    s = world.ports
    for _ in range(4):
        await submit_job(
            uow=world.uow(),
            queue=s.queue,
            limiter=s.limiter,
            usage=s.usage,
            user=user,
            project_id=project.id,
            now=world.clock(),
        )
    board = await dashboard_for(world, user, workers=2)
    assert board.wait_estimate_seconds == 40.0  # 4 queued, 2 workers, 20 s each
