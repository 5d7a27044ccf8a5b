"""The runner protocol: what a worker calls to turn a job into artifacts.

Runners must be deterministic in their inputs, since a redelivered job is run again and must
produce the same result.
"""

from __future__ import annotations

from typing import Protocol

from jobpipe.domain.artifacts import ArtifactDraft
from jobpipe.domain.jobs import Job
from jobpipe.domain.projects import Project


class JobFailed(Exception):
    """Raised by a runner when the job itself failed (as opposed to the worker crashing)."""


class JobRunner(Protocol):
    async def run(self, job: Job, project: Project) -> list[ArtifactDraft]: ...
