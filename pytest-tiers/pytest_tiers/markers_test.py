import ast
import warnings

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_tiers.markers import FileMarks, extract_marks, module_pytestmark

pytestmark = pytest.mark.unit


def names(marks: FileMarks) -> list[str]:
    return [m.name for m in marks.module_marks]


@pytest.mark.parametrize(
    "source",
    [
        "import pytest\npytestmark = pytest.mark.unit\n",
        "import pytest as pt\npytestmark = pt.mark.unit\n",
        "from pytest import mark\npytestmark = mark.unit\n",
        "from pytest import mark as m\npytestmark = m.unit\n",
        "import pytest\npytestmark = pytest.mark.unit(reason='fast')\n",
        "import pytest\npytestmark = [pytest.mark.unit]\n",
        "import pytest\npytestmark = (pytest.mark.unit,)\n",
        "import pytest\npytestmark: list = [pytest.mark.unit]\n",
        "import pytest\npytestmark = []\npytestmark += [pytest.mark.unit]\n",
    ],
)
def test_module_level_spellings(source: str) -> None:
    marks = extract_marks(source.encode())
    assert names(marks) == ["unit"]
    assert module_pytestmark(ast.parse(source)) is not None
    assert not marks.undetermined and marks.error is None


def test_lists_keep_every_mark_in_order_with_lines() -> None:
    marks = extract_marks(
        b"import pytest\npytestmark = [\n    pytest.mark.slow,\n    pytest.mark.integration,\n]\n"
    )
    assert [(m.name, m.line) for m in marks.module_marks] == [("slow", 3), ("integration", 4)]


def test_later_assignment_replaces_earlier_one() -> None:
    marks = extract_marks(
        b"import pytest\npytestmark = pytest.mark.unit\npytestmark = pytest.mark.integration\n"
    )
    assert names(marks) == ["integration"]


def test_commented_out_and_string_marks_are_ignored() -> None:
    source = b'import pytest\n# pytestmark = pytest.mark.integration\nx = "pytestmark = pytest.mark.unit"\n'
    marks = extract_marks(source)
    assert marks.module_marks == () and module_pytestmark(ast.parse(source)) is None


def test_marks_need_pytest_imported_under_that_name() -> None:
    assert names(extract_marks(b"import other as pytest2\npytestmark = pytest.mark.unit\n")) == []


def test_class_and_function_decorators_and_class_pytestmark() -> None:
    source = b"""import pytest
from pytest import mark

@pytest.mark.integration
def test_a(): ...

class TestB:
    pytestmark = [mark.unit]

    @mark.integration(reason="x")
    async def test_c(self): ...

@pytest.fixture
def not_a_mark(): ...
"""
    scoped = {(m.name, m.line, m.scope) for m in extract_marks(source).scoped_marks}
    assert scoped == {
        ("integration", 4, "function test_a"),
        ("unit", 8, "class TestB"),
        ("integration", 10, "function TestB.test_c"),
    }


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "import pytest\npytestmark = make_marks()\n",
            "`make_marks()` is not a literal pytest mark",
        ),
        (
            "import pytest\nCOMMON = []\npytestmark = [*COMMON]\n",
            "`*COMMON` is not a literal pytest mark",
        ),
        (
            "import pytest\nif True:\n    pytestmark = pytest.mark.unit\n",
            "assigned conditionally or indirectly",
        ),
    ],
)
def test_what_cannot_be_resolved_is_reported_not_guessed(source: str, reason: str) -> None:
    marks = extract_marks(source.encode())
    assert marks.undetermined, marks
    assert reason in marks.undetermined[0].reason


def test_syntax_error_is_reported_with_its_line() -> None:
    marks = extract_marks(b"import pytest\n\ndef broken(:\n")
    assert marks.error is not None and marks.error.line == 3
    assert "does not parse" in marks.error.reason


def test_non_utf8_is_reported_with_its_line() -> None:
    marks = extract_marks(b"import pytest\nx = '\xff'\n")
    assert marks.error is not None and marks.error.line == 2
    assert "not valid UTF-8" in marks.error.reason


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_random_valid_python_never_crashes(source: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # e.g. `1()`: valid, but warned about
        ast.parse(source)  # the strategy yields valid Python
        result = extract_marks(source.encode("utf-8", "surrogatepass"))
    assert isinstance(result, FileMarks)


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    assert isinstance(extract_marks(data), FileMarks)


MARK_EXPR = st.sampled_from(
    ["pytest.mark.unit", "pytest.mark.integration", "pytest.mark.slow", "pytest.mark.unit()"]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(MARK_EXPR, max_size=4), st.booleans())
def test_generated_pytestmark_lists_are_read_exactly(exprs: list[str], as_tuple: bool) -> None:
    body = ", ".join(exprs) + ("," if as_tuple and len(exprs) == 1 else "")
    value = f"({body})" if as_tuple else f"[{body}]"
    marks = extract_marks(f"import pytest\npytestmark = {value}\n".encode())
    assert names(marks) == [e.split(".")[-1].rstrip("()") for e in exprs]
