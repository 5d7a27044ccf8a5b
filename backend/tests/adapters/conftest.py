"""Integration fixtures (per-test PostgreSQL schema and Redis key prefix): see service_fixtures."""

from tests.service_fixtures import (  # noqa: F401
    base_settings,
    empty_schema,
    isolated_settings,
    keys,
    pg_engine,
    pg_schema,
    pg_session,
    redis_client,
    session_factory,
    uow_factory,
)
