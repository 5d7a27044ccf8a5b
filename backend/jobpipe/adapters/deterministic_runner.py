"""The real runner, an adapter of the `JobRunner` port: deterministic, so a redelivered job
produces identical artifacts.

It "builds" a project into a manifest whose checksum depends only on the project and the job,
plus a short build log. It stands in for a real build system behind the same protocol.
"""

from __future__ import annotations

import hashlib
import json

from jobpipe.domain.artifacts import ArtifactDraft
from jobpipe.domain.jobs import Job
from jobpipe.domain.projects import Project


class DeterministicRunner:
    async def run(self, job: Job, project: Project) -> list[ArtifactDraft]:
        inputs = f"{project.id}:{project.name}:{project.stage.value}:{job.id}"
        checksum = hashlib.sha256(inputs.encode()).hexdigest()
        manifest = {
            "project": project.name,
            "stage": project.stage.value,
            "job": str(job.id),
            "checksum": checksum,
        }
        log = "\n".join(
            [
                f"building {project.name} at stage {project.stage.value}",
                f"inputs sha256 {checksum}",
                "build finished",
            ]
        )
        return [
            ArtifactDraft(
                name="manifest.json",
                media_type="application/json",
                content=json.dumps(manifest, indent=2, sort_keys=True),
            ),
            ArtifactDraft(name="build.log", media_type="text/plain", content=log),
        ]
