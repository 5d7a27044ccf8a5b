"""Runtime settings, read from `JOBPIPE_*` environment variables (pydantic-settings).

Defaults point at a local PostgreSQL and Redis; nothing connects until an adapter is built.
`database_schema` and `redis_key_prefix` let several deployments (or test processes) share one
server without seeing each other's data.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JOBPIPE_")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    database_schema: str | None = Field(default=None, pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_key_prefix: str = "jobpipe"

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    run_migrations_on_startup: bool = True

    worker_id: str | None = None  # default: hostname and pid
    worker_lease_seconds: float = Field(default=30.0, gt=0)
    worker_poll_seconds: float = Field(default=1.0, gt=0)
