"""The composition root: the only place that builds adapters and wires them together.

Everything here runs when called, never at import: the API builds its ports in its
lifespan, the worker in `run_worker`. The web framework is imported only by `build_app`, so a
worker process (which imports this module) does not pay for importing FastAPI.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from sqlalchemy import text

from jobpipe.adapters.deterministic_runner import DeterministicRunner
from jobpipe.adapters.migrations import run_migrations
from jobpipe.adapters.postgres_engine import create_postgres_engine, create_session_factory
from jobpipe.adapters.postgres_unit_of_work import PostgresUnitOfWork
from jobpipe.adapters.redis_client import create_redis_client
from jobpipe.adapters.redis_concurrency_limiter import RedisConcurrencyLimiter
from jobpipe.adapters.redis_job_queue import RedisJobQueue
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.adapters.redis_usage_counter import RedisUsageCounter
from jobpipe.entrypoints.api.correlation import CorrelationIdLogFilter
from jobpipe.entrypoints.worker_loop import Worker, default_worker_id
from jobpipe.service_layer.ports import JobRunner, Ports
from jobpipe.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI


@asynccontextmanager
async def production_ports(
    settings: Settings, *, runner: JobRunner | None = None
) -> AsyncIterator[Ports]:
    """Open PostgreSQL and Redis (migrating first if configured), close them on exit."""
    if settings.run_migrations_on_startup:
        await run_migrations(settings.database_url, schema=settings.database_schema)
    engine = create_postgres_engine(settings.database_url, search_path=settings.database_schema)
    redis = create_redis_client(settings.redis_url)
    keys = KeySpace(prefix=settings.redis_key_prefix)
    session_factory = create_session_factory(engine)

    async def ping_postgres() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def ping_redis() -> None:
        await redis.ping()

    try:
        yield Ports(
            uow_factory=lambda: PostgresUnitOfWork(session_factory),
            queue=RedisJobQueue(redis, keys),
            limiter=RedisConcurrencyLimiter(redis, keys),
            usage=RedisUsageCounter(redis, keys),
            runner=runner or DeterministicRunner(),
            health_checks={"postgres": ping_postgres, "redis": ping_redis},
        )
    finally:
        await redis.aclose()
        await engine.dispose()


def build_app(settings: Settings | None = None) -> FastAPI:
    """The production app; `uvicorn --factory jobpipe.entrypoints.composition:build_app`."""
    from jobpipe.entrypoints.api.app import create_app

    resolved = settings or Settings()
    return create_app(lambda: production_ports(resolved))


log = logging.getLogger(__name__)


def build_worker(ports: Ports, settings: Settings) -> Worker:
    return Worker(
        ports,
        worker_id=settings.worker_id or default_worker_id(),
        lease_seconds=settings.worker_lease_seconds,
        poll_seconds=settings.worker_poll_seconds,
    )


async def run_worker(settings: Settings, *, runner: JobRunner | None = None) -> None:
    """Run one worker until SIGTERM or SIGINT, then finish the current job and exit."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with production_ports(settings, runner=runner) as ports:
        worker = build_worker(ports, settings)
        # Operators and tests wait for this line: from here on, SIGTERM is a graceful stop.
        log.info("worker %s ready", worker.worker_id)
        await worker.run(stop)


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(CorrelationIdLogFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s")
    )
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def worker_main(runner: JobRunner | None = None) -> None:
    configure_logging()
    asyncio.run(run_worker(Settings(), runner=runner))
