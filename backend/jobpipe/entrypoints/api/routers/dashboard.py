"""The caller's dashboard: usage against plan limits, jobs by state, expected wait."""

from __future__ import annotations

from fastapi import APIRouter

from jobpipe.entrypoints.api.dependencies import PortsDep, UserDep
from jobpipe.entrypoints.api.schemas import DashboardOut
from jobpipe.service_layer.dashboard import build_dashboard

router = APIRouter(prefix="/dashboard", tags=["dashboard"])


@router.get("")
async def dashboard(user: UserDep, ports: PortsDep) -> DashboardOut:
    summary = await build_dashboard(
        uow=ports.uow_factory(),
        queue=ports.queue,
        limiter=ports.limiter,
        usage=ports.usage,
        flags=ports.flags,
        user=user,
        now=ports.clock(),
        workers=ports.workers,
    )
    return DashboardOut.of(user.plan, summary)
