"""Request and response bodies (pydantic v2). Requests forbid unknown fields."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from jobpipe.domain.artifacts import Artifact
from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.projects import MAX_PROJECT_NAME_LENGTH, Project, Stage
from jobpipe.domain.usage_policy import Plan
from jobpipe.service_layer.dashboard import Dashboard


class ProjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=MAX_PROJECT_NAME_LENGTH, pattern=r"^[\w][\w .-]*$")


class ProjectOut(BaseModel):
    id: uuid.UUID
    name: str
    stage: Stage
    progress_percent: int
    created_at: datetime

    @classmethod
    def of(cls, project: Project) -> ProjectOut:
        return cls(
            id=project.id,
            name=project.name,
            stage=project.stage,
            progress_percent=project.progress_percent,
            created_at=project.created_at,
        )


class AdvanceOut(BaseModel):
    project: ProjectOut
    entered: Stage


class JobOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    state: JobState
    priority: int
    attempts: int
    failure_reason: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            id=job.id,
            project_id=job.project_id,
            state=job.state,
            priority=job.priority,
            attempts=job.attempts,
            failure_reason=job.failure_reason,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


class ArtifactOut(BaseModel):
    id: uuid.UUID
    job_id: uuid.UUID
    project_id: uuid.UUID
    name: str
    media_type: str
    content: str
    created_at: datetime

    @classmethod
    def of(cls, artifact: Artifact) -> ArtifactOut:
        return cls(
            id=artifact.id,
            job_id=artifact.job_id,
            project_id=artifact.project_id,
            name=artifact.name,
            media_type=artifact.media_type,
            content=artifact.content,
            created_at=artifact.created_at,
        )


class DashboardOut(BaseModel):
    plan: Plan
    daily_job_quota: int
    jobs_today: int
    concurrency_limit: int
    active_jobs: int
    quota_resets_at: datetime
    projects: int
    jobs_by_state: dict[JobState, int]
    queue_depth: int
    wait_estimate_seconds: float | None

    @classmethod
    def of(cls, plan: Plan, dashboard: Dashboard) -> DashboardOut:
        return cls(
            plan=plan,
            daily_job_quota=dashboard.plan_limits.daily_jobs,
            jobs_today=dashboard.jobs_today,
            concurrency_limit=dashboard.plan_limits.concurrent_jobs,
            active_jobs=dashboard.active_jobs,
            quota_resets_at=dashboard.quota_resets_at,
            projects=dashboard.projects,
            jobs_by_state=dashboard.jobs_by_state,
            queue_depth=dashboard.queue_depth,
            wait_estimate_seconds=dashboard.wait_estimate_seconds,
        )
