"""The caller's dashboard: usage against plan limits, jobs by state, expected wait."""

from __future__ import annotations

from fastapi import APIRouter

from jobpipe.entrypoints.api.dependencies import ServicesDep, UserDep
from jobpipe.entrypoints.api.schemas import DashboardOut
from jobpipe.service_layer.dashboard import build_dashboard

router = APIRouter(prefix="/dashboard", tags=["dashboard"])


@router.get("")
async def dashboard(user: UserDep, services: ServicesDep) -> DashboardOut:
    summary = await build_dashboard(
        uow=services.uow_factory(),
        queue=services.queue,
        limiter=services.limiter,
        usage=services.usage,
        flags=services.flags,
        user=user,
        now=services.clock(),
        workers=services.workers,
    )
    return DashboardOut.of(user.plan, summary)
