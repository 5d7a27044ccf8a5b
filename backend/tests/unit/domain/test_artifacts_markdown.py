import uuid

import pytest

from jobpipe.domain.artifacts import Artifact, ArtifactDraft, export_markdown

pytestmark = pytest.mark.unit

JOB, PROJECT, OWNER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def artifact(name: str, content: str, media_type: str = "text/plain") -> Artifact:
    return Artifact.from_draft(
        ArtifactDraft(name, media_type, content), job_id=JOB, project_id=PROJECT, owner_id=OWNER
    )


def test_from_draft_ties_content_to_its_job() -> None:
    made = artifact("a.txt", "hello")
    assert (made.job_id, made.project_id, made.owner_id) == (JOB, PROJECT, OWNER)
    assert (made.name, made.content) == ("a.txt", "hello")


def test_export_has_a_heading_per_artifact_sorted_by_name() -> None:
    doc = export_markdown("site", [artifact("b.log", "two"), artifact("a.json", "{}")])
    assert doc.startswith("# Artifacts for site\n")
    assert doc.index("## a.json") < doc.index("## b.log")
    assert f"- job: `{JOB}`" in doc


def test_content_is_fenced_verbatim() -> None:
    doc = export_markdown("site", [artifact("a.txt", "line 1\nline 2\n")])
    assert "```\nline 1\nline 2\n```" in doc


def test_backticks_in_content_cannot_close_the_fence() -> None:
    nasty = "before\n```\n# not a heading\n````"
    doc = export_markdown("site", [artifact("evil.md", nasty)])
    assert "`````\n" + nasty + "\n`````" in doc


def test_empty_export_says_so() -> None:
    assert "_No artifacts yet._" in export_markdown("site", [])
