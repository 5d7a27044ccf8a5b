"""A real worker process whose runner waits at a gate, so a test can kill it mid-job.

Run as `python -m tests.integration.entrypoints.gated_worker` with `GATE_DIR` set: the runner
writes `started-<attempt>` there, then waits until a `release` file appears before producing
the deterministic runner's artifacts.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from jobpipe.adapters.deterministic_runner import DeterministicRunner
from jobpipe.domain.artifacts import ArtifactDraft
from jobpipe.domain.jobs import Job
from jobpipe.domain.projects import Project
from jobpipe.entrypoints.composition import worker_main


class GatedRunner:
    def __init__(self, gate_dir: Path) -> None:
        self._gate_dir = gate_dir

    async def run(self, job: Job, project: Project) -> list[ArtifactDraft]:
        (self._gate_dir / f"started-{job.attempts}").write_text(str(os.getpid()))
        while not (self._gate_dir / "release").exists():
            await asyncio.sleep(0.02)
        return await DeterministicRunner().run(job, project)


if __name__ == "__main__":
    worker_main(runner=GatedRunner(Path(os.environ["GATE_DIR"])))
