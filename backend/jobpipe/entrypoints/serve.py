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
from jobpipe.entrypoints.composition import build_worker, configure_logging, production_ports
from jobpipe.service_layer.ports import Ports
from jobpipe.settings import Settings


def main() -> None:
    configure_logging()
    settings = Settings()

    @asynccontextmanager
    async def ports_with_worker() -> AsyncIterator[Ports]:
        async with production_ports(settings) as ports:
            stop = asyncio.Event()
            worker = asyncio.create_task(build_worker(ports, settings).run(stop))
            try:
                yield ports
            finally:
                stop.set()
                await worker

    uvicorn.run(create_app(ports_with_worker), host=settings.api_host, port=settings.api_port)


if __name__ == "__main__":
    main()
