"""Builds the FastAPI app around ports supplied from outside.

The app never builds adapters itself: the composition root passes a provider that opens the
real adapters at startup, and tests pass one that yields fakes. Nothing connects at import.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from jobpipe.entrypoints.api.correlation import CorrelationIdMiddleware
from jobpipe.entrypoints.api.errors import install_error_handlers
from jobpipe.entrypoints.api.routers import artifacts, dashboard, health, jobs, projects
from jobpipe.service_layer.ports import Ports

PortsProvider = Callable[[], AbstractAsyncContextManager[Ports]]


def create_app(ports_provider: PortsProvider) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with ports_provider() as ports:
            app.state.ports = ports
            yield

    app = FastAPI(title="jobpipe", lifespan=lifespan)
    app.add_middleware(CorrelationIdMiddleware)
    install_error_handlers(app)
    for module in (health, projects, jobs, artifacts, dashboard):
        app.include_router(module.router)
    return app
