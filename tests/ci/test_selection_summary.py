"""The selection as Markdown for the job summary."""

from __future__ import annotations

import pytest
from selection_summary import markdown

pytestmark = pytest.mark.unit

HEADER = "affected_tests: unit tier, 2 file(s) changed since origin/main (merge base 0123456789ab)"


def test_a_scoped_selection_lists_each_file_with_its_reason() -> None:
    text = markdown(
        "unit",
        HEADER,
        ["scoped: tests/unit/** because tests/unit/conftest.py is a pytest conftest (...)"],
        ["tests/unit/test_a.py", "tests/unit/test_b|c.py"],
        [
            ("tests/unit/test_a.py", "changed; in scope of tests/unit/conftest.py"),
            ("tests/unit/test_b|c.py", "depends on `src/x.py`"),
        ],
        whole_tier=False,
    )
    assert text == (
        "### unit: what this change runs\n\n"
        f"{HEADER}\n\n"
        "- scoped: tests/unit/** because tests/unit/conftest.py is a pytest conftest (...)\n\n"
        "2 affected unit test file(s):\n\n"
        "| test file | why |\n"
        "| --- | --- |\n"
        "| `tests/unit/test_a.py` | changed; in scope of tests/unit/conftest.py |\n"
        "| `tests/unit/test_b\\|c.py` | depends on `src/x.py` |\n"
    )


def test_whole_tier_is_folded_and_nothing_is_said() -> None:
    whole = markdown(
        "integration",
        HEADER,
        ["escalated: whole integration tier because pants is the Pants launcher (...)"],
        ["tests/it/test_a.py"],
        [],
        whole_tier=True,
    )
    assert "- escalated: whole integration tier because pants is the Pants launcher" in whole
    assert "<details><summary>all 1 integration test file(s)</summary>" in whole
    assert "- `tests/it/test_a.py`" in whole
    nothing = markdown("unit", HEADER, [], [], [], whole_tier=False)
    assert nothing.endswith("Nothing affected: no unit test depends on a changed file.\n")
