"""SQLAlchemy table definitions (imperative mapping keeps the domain free of the ORM).

The Alembic migrations in `migrations/versions` create exactly this schema; an integration
test compares the two, so a change here without a migration fails the suite.
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from jobpipe.domain.jobs import JobState
from jobpipe.domain.projects import Stage
from jobpipe.domain.usage_policy import Plan

metadata = MetaData()


def _values_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """Store enum values ('queued'), not member names ('QUEUED')."""
    return Enum(enum_class, name=name, values_callable=lambda e: [m.value for m in e])


users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("plan", _values_enum(Plan, "plan"), nullable=False),
    Column("api_key_hash", String(64), nullable=False, unique=True),
    Column("beta", Boolean, nullable=False),
)

projects = Table(
    "projects",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("stage", _values_enum(Stage, "project_stage"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("owner_id", "name", name="uq_projects_owner_id_name"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "project_id",
        Uuid,
        ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "owner_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("priority", Integer, nullable=False),
    Column("state", _values_enum(JobState, "job_state"), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("failure_reason", String, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)

artifacts = Table(
    "artifacts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("job_id", Uuid, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "project_id",
        Uuid,
        ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("owner_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("content", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # A job's artifacts are written once: a redelivered job cannot duplicate them.
    UniqueConstraint("job_id", "name", name="uq_artifacts_job_id_name"),
)
