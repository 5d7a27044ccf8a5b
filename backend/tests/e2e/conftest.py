"""Integration fixtures (a database per process, a Redis key prefix per test): see service_fixtures."""

from tests.service_fixtures import (  # noqa: F401
    base_settings,
    empty_schema,
    isolated_settings,
    keys,
    pg_engine,
    pg_schema,
    pg_session,
    process_database_url,
    redis_client,
    session_factory,
    uow_factory,
)
