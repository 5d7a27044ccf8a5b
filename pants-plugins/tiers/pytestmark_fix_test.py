import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_tiers.pytestmark_fix import fix_pytestmark
from tiers.mark_checks import check_file_marks
from tiers.vocabulary import TierVocabulary

pytestmark = pytest.mark.unit

TIERS = ("unit", "integration")


def fix(source: str, tier: str = "unit") -> str:
    return fix_pytestmark(source.encode(), tier, TIERS).decode()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Inserted after the imports, keeping everything else.
        (
            '"""Doc."""\nimport pytest\n\n\ndef test(): ...\n',
            '"""Doc."""\nimport pytest\n\npytestmark = pytest.mark.unit\n\n\ndef test(): ...\n',
        ),
        # `import pytest` added only when the file has no way to spell a mark.
        (
            "import os\n\ndef test(): ...\n",
            "import os\nimport pytest\n\npytestmark = pytest.mark.unit\n\ndef test(): ...\n",
        ),
        (
            "def test(): ...\n",
            "import pytest\n\npytestmark = pytest.mark.unit\n\ndef test(): ...\n",
        ),
        ("import pytest as pt\n", "import pytest as pt\n\npytestmark = pt.mark.unit\n"),
        ("from pytest import mark\n", "from pytest import mark\n\npytestmark = mark.unit\n"),
        # Wrong tier: only the tier's name changes, arguments kept.
        (
            "import pytest\npytestmark = pytest.mark.integration\n",
            "import pytest\npytestmark = pytest.mark.unit\n",
        ),
        (
            "import pytest\npytestmark = [pytest.mark.slow, pytest.mark.integration(reason='x')]\n",
            "import pytest\npytestmark = [pytest.mark.slow, pytest.mark.unit(reason='x')]\n",
        ),
        # No tier among other marks: appended.
        (
            "import pytest\npytestmark = [pytest.mark.slow]\n",
            "import pytest\npytestmark = [pytest.mark.slow, pytest.mark.unit]\n",
        ),
        (
            "import pytest\npytestmark = pytest.mark.slow\n",
            "import pytest\npytestmark = [pytest.mark.slow, pytest.mark.unit]\n",
        ),
        # Both tiers: collapsed to the BUILD tier.
        (
            "import pytest\npytestmark = (pytest.mark.unit, pytest.mark.slow, pytest.mark.integration)\n",
            "import pytest\npytestmark = (pytest.mark.slow, pytest.mark.unit)\n",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    assert fix(before) == after
    assert fix(after) == after  # idempotent


def test_already_correct_is_byte_identical() -> None:
    source = b"# -*- coding: utf-8 -*-\nimport pytest\r\npytestmark = pytest.mark.unit\r\n"
    assert fix_pytestmark(source, "unit", TIERS) is source


def test_non_ascii_before_the_mark_keeps_offsets_right() -> None:
    source = 'import pytest\nNAME = "héllo"; pytestmark = pytest.mark.integration\n'
    assert fix(source) == 'import pytest\nNAME = "héllo"; pytestmark = pytest.mark.unit\n'


def test_crlf_files_get_crlf_lines() -> None:
    assert fix("import pytest\r\n\r\ndef test(): ...\r\n") == (
        "import pytest\r\n\r\npytestmark = pytest.mark.unit\r\n\r\ndef test(): ...\r\n"
    )


@pytest.mark.parametrize(
    "source", [b"import pytest\npytestmark = make()\n", b"def (:\n", b"x = '\xff'\n"]
)
def test_leaves_what_it_cannot_fix_safely(source: bytes) -> None:
    assert fix_pytestmark(source, "unit", TIERS) == source


BODIES = st.sampled_from(
    [
        "",
        "import os\n",
        '"""Doc."""\n',
        "import pytest\n",
        "from pytest import mark\n",
        "import pytest\npytestmark = pytest.mark.integration\n",
        "import pytest\npytestmark = [pytest.mark.slow]\n",
        "import pytest\npytestmark = (pytest.mark.unit, pytest.mark.integration)\n",
    ]
)


@settings(max_examples=100, deadline=None)
@given(
    BODIES,
    st.sampled_from(
        ["", "\n\ndef test_a():\n    assert 1\n", "\nclass TestB:\n    def test(self): ...\n"]
    ),
    st.sampled_from(TIERS),
)
def test_fixed_files_pass_the_linter_and_keep_their_tests(head: str, tail: str, tier: str) -> None:
    source = (head + tail).encode()
    fixed = fix_pytestmark(source, tier, TIERS)
    assert check_file_marks("t/test_x.py", fixed, tier, TierVocabulary(TIERS)) == []
    assert fixed.endswith(tail.encode())
    assert fix_pytestmark(fixed, tier, TIERS) == fixed
