"""The selection as Markdown for the GitHub job summary: why CI ran what it ran.

A reviewer sees each scope line (escalated, scoped, no effect) and each selected file with its
reason, as affected_tests.py printed them; a whole-tier list is folded (it can be long).
"""

from __future__ import annotations

from collections.abc import Sequence


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(
    tier: str,
    header: str,
    scope_lines: Sequence[str],
    files: Sequence[str],
    reasons: Sequence[tuple[str, str]],
    whole_tier: bool,
) -> str:
    lines = [f"### {tier}: what this change runs", "", header, ""]
    lines += [f"- {_cell(line)}" for line in scope_lines]
    if scope_lines:
        lines.append("")
    if whole_tier:
        lines += [
            f"<details><summary>all {len(files)} {tier} test file(s)</summary>",
            "",
            *(f"- {_code(path)}" for path in files),
            "",
            "</details>",
        ]
    elif not files:
        lines.append(f"Nothing affected: no {tier} test depends on a changed file.")
    else:
        lines += [
            f"{len(files)} affected {tier} test file(s):",
            "",
            "| test file | why |",
            "| --- | --- |",
            *(f"| {_cell(_code(path))} | {_cell(reason)} |" for path, reason in reasons),
        ]
    return "\n".join(lines) + "\n"
