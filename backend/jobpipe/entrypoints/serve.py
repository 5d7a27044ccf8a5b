"""Local development: the API and one worker in a single process.

`python -m jobpipe.entrypoints.serve` (or `./pants run backend/jobpipe/entrypoints/serve.py`).
The worker starts and stops with the app's lifespan, so Ctrl-C shuts both down cleanly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn

from jobpipe.entrypoints.api.app import create_app
from jobpipe.entrypoints.composition import build_worker, configure_logging, production_services
from jobpipe.service_layer.services import Services
from jobpipe.settings import Settings


def main() -> None:
    configure_logging()
    settings = Settings()

    @asynccontextmanager
    async def services_with_worker() -> AsyncIterator[Services]:
        async with production_services(settings) as services:
            stop = asyncio.Event()
            worker = asyncio.create_task(build_worker(services, settings).run(stop))
            try:
                yield services
            finally:
                stop.set()
                await worker

    uvicorn.run(create_app(services_with_worker), host=settings.api_host, port=settings.api_port)


if __name__ == "__main__":
    main()
