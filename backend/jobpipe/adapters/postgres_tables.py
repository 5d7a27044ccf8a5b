"""SQLAlchemy table definitions (imperative mapping keeps the domain free of the ORM)."""

from __future__ import annotations

from sqlalchemy import Column, Enum, Integer, MetaData, String, Table, Uuid

from jobpipe.domain.jobs import JobState

metadata = MetaData()

jobs = Table(
    "jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, nullable=False, index=True),
    Column("owner_id", Uuid, nullable=False, index=True),
    Column("priority", Integer, nullable=False),
    Column(
        "state",
        Enum(JobState, name="job_state", values_callable=lambda e: [m.value for m in e]),
        nullable=False,
    ),
    Column("attempts", Integer, nullable=False, default=0),
    Column("failure_reason", String, nullable=True),
)
