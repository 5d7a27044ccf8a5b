"""Runtime settings, read from `JOBPIPE_*` environment variables (pydantic-settings).

Defaults point at a local PostgreSQL and Redis; nothing connects until an adapter is built.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JOBPIPE_")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    redis_url: str = "redis://127.0.0.1:6379/0"
