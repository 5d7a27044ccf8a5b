"""TIER101-TIER105: a test file's pytest markers carry its BUILD tier."""

from __future__ import annotations

from pytest_tiers.markers import extract_marks
from tiers.violations import Code, Violation
from tiers.vocabulary import TierVocabulary


def check_file_marks(
    path: str, source: bytes, tier: str | None, vocabulary: TierVocabulary
) -> list[Violation]:
    """Compare the file's tier markers with its BUILD tier (`None`: the target has no tier)."""
    marks = extract_marks(source)
    if marks.error is not None:
        return [
            Violation(
                Code.UNREADABLE_SOURCE,
                f"{path}:{marks.error.line}",
                f"cannot read the file's markers: it {marks.error.reason}.",
                "make the file valid UTF-8 Python.",
            )
        ]
    violations = [
        Violation(
            Code.UNDETERMINED_MARKS,
            f"{path}:{u.line}",
            f"tier markers cannot be determined statically: {u.reason}.",
            "assign `pytestmark` a literal mark or list of marks at module level, "
            f"e.g. `{vocabulary.mark(tier or vocabulary.tiers[0])}`.",
        )
        for u in marks.undetermined
    ]
    module_tiers = sorted({m.name for m in marks.module_marks if m.name in vocabulary.tiers})
    if tier is not None and not marks.undetermined:
        if not module_tiers:
            violations.append(
                Violation(
                    Code.NO_PYTESTMARK,
                    f"{path}:1",
                    f"module-level `pytestmark` does not carry the BUILD tier {tier!r}, so "
                    f"`pytest -m {tier}` would not select this file.",
                    f"add `{vocabulary.mark(tier)}` after the imports, or run `pants fix {path}`.",
                )
            )
        elif module_tiers != [tier]:
            line = min(m.line for m in marks.module_marks if m.name in vocabulary.tiers)
            violations.append(
                Violation(
                    Code.PYTESTMARK_DISAGREES,
                    f"{path}:{line}",
                    f"module-level `pytestmark` names tier(s) {', '.join(map(repr, module_tiers))} "
                    f"but BUILD says {tier!r}.",
                    f"make it `{vocabulary.mark(tier)}` (BUILD is the source of truth), or run "
                    f"`pants fix {path}`.",
                )
            )
    for scoped in marks.scoped_marks:
        if scoped.name not in vocabulary.tiers or scoped.name == tier:
            continue
        file_tier = tier or (module_tiers[0] if len(module_tiers) == 1 else None)
        if file_tier is None or scoped.name == file_tier:
            continue
        violations.append(
            Violation(
                Code.SCOPED_MARK_CONTRADICTS,
                f"{path}:{scoped.line}",
                f"{scoped.scope} is marked {scoped.name!r} but the file's tier is {file_tier!r}.",
                f"move {scoped.scope} to a test file of the {scoped.name!r} tier, or drop the mark.",
            )
        )
    return violations
