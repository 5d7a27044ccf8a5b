"""Artifacts a job produced, and their export as one Markdown document."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone


@dataclass(frozen=True)
class ArtifactDraft:
    """What a runner returns: content not yet tied to a job or stored."""

    name: str
    media_type: str
    content: str


@dataclass(frozen=True)
class Artifact:
    job_id: uuid.UUID
    project_id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    media_type: str
    content: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @classmethod
    def from_draft(
        cls, draft: ArtifactDraft, *, job_id: uuid.UUID, project_id: uuid.UUID, owner_id: uuid.UUID
    ) -> Artifact:
        return cls(
            job_id=job_id,
            project_id=project_id,
            owner_id=owner_id,
            name=draft.name,
            media_type=draft.media_type,
            content=draft.content,
        )


def _fence_for(content: str) -> str:
    """A code fence longer than any backtick run in the content, so nothing can close it."""
    longest = run = 0
    for char in content:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def export_markdown(project_name: str, artifacts: Sequence[Artifact]) -> str:
    """One Markdown document: a heading per artifact (sorted by name), content fenced."""
    lines = [f"# Artifacts for {project_name}", ""]
    if not artifacts:
        lines += ["_No artifacts yet._", ""]
    for artifact in sorted(artifacts, key=lambda a: (a.name, str(a.id))):
        fence = _fence_for(artifact.content)
        lines += [
            f"## {artifact.name}",
            "",
            f"- job: `{artifact.job_id}`",
            f"- type: `{artifact.media_type}`",
            "",
            fence,
            artifact.content.rstrip("\n"),
            fence,
            "",
        ]
    return "\n".join(lines)
