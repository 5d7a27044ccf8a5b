import pytest

from tiers.violations import Code, Violation, render_report

pytestmark = pytest.mark.unit


def test_report_is_sorted_by_location_then_line_and_deduplicated() -> None:
    a = Violation(Code.NO_PYTESTMARK, "b/test_x.py:10", "p", "f")
    b = Violation(Code.UNTAGGED, "a:t", "p", "f")
    c = Violation(Code.PYTESTMARK_DISAGREES, "b/test_x.py:9", "p", "f")
    report = render_report([a, b, c, a])
    assert [
        line.split(":")[0] + ":" + line.split(":")[1]
        for line in report.splitlines()
        if line.startswith(("a", "b"))
    ] == [
        "a:t",
        "b/test_x.py:9",
        "b/test_x.py:10",
    ]
    assert report.rstrip().endswith("3 tier violation(s).")
    assert render_report([]) == ""


def test_a_violation_renders_in_the_projects_one_message_shape() -> None:
    violation = Violation(Code.NO_PYTESTMARK, "t/test_x.py:3", "module-level x.", "add y.")
    assert violation.render() == "t/test_x.py:3: TIER101 module-level x.\n    fix: add y."
