"""The ports an entrypoint needs, bundled: built once by the composition root (or by tests
from fakes) and handed to the API and the worker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from jobpipe.domain.feature_flags import FeatureFlags
from jobpipe.service_layer.ports import (
    Clock,
    ConcurrencyLimiter,
    JobRunner,
    UnitOfWorkFactory,
    UsageCounter,
    WorkQueue,
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Services:
    uow_factory: UnitOfWorkFactory
    queue: WorkQueue
    limiter: ConcurrencyLimiter
    usage: UsageCounter
    runner: JobRunner
    flags: FeatureFlags = field(default_factory=FeatureFlags)
    clock: Clock = utc_now
    workers: int = 1
    # Readiness probes by name (e.g. "postgres", "redis"); each raises if its service is down.
    health_checks: Mapping[str, Callable[[], Awaitable[object]]] = field(default_factory=dict)
