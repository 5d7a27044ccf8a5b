"""The BUILD edit for Pants repositories: defaults per directory, overrides for exceptions."""

from __future__ import annotations

import pytest

from pytest_tiers.adopt.build_edit import TierFields, edit_build

pytestmark = pytest.mark.unit

TIERS = ("unit", "integration")
UNIT = TierFields("unit")
PG = TierFields("integration", ("postgres",), ("APP_DB_URL",))


def edit(text: str, files: dict[str, TierFields]) -> str:
    result = edit_build(text, TIERS, files)
    assert result.problems == ()
    again = edit_build(result.text, TIERS, files)
    assert again.text == result.text, "a second edit changes nothing"
    return result.text


def test_a_new_build_file_gets_defaults_and_a_target() -> None:
    assert edit("", {"test_a.py": UNIT}) == (
        '__defaults__({(python_test, python_tests): dict(tags=["unit"])})\npython_tests()\n'
    )


def test_the_majority_tier_is_the_default_and_the_others_are_overrides() -> None:
    before = '# keep me\npython_tests(name="t")  # and me\n'
    assert edit(before, {"test_a.py": UNIT, "test_b.py": UNIT, "test_c.py": PG}) == (
        "# keep me\n"
        '__defaults__({(python_test, python_tests): dict(tags=["unit"])})\n\n'
        'python_tests(name="t", overrides={"test_c.py": {"tags": ["integration"], '
        '"uses": ["postgres"], "extra_env_vars": ["APP_DB_URL"]}})  # and me\n'
    )


def test_existing_defaults_keep_their_other_tags_and_fields() -> None:
    before = (
        '__defaults__({(python_test, python_tests): dict(tags=["slow", "unit"], timeout=3)})\n'
        'python_tests(overrides={"test_z.py": {"timeout": 1}})\n'
    )
    assert edit(before, {"test_a.py": PG}) == (
        '__defaults__({(python_test, python_tests): dict(tags=["slow", "integration"], '
        'uses=["postgres"], extra_env_vars=["APP_DB_URL"], timeout=3)})\n'
        'python_tests(overrides={"test_z.py": {"timeout": 1}})\n'
    )


def test_a_form_it_cannot_read_is_reported_not_rewritten() -> None:
    before = "__defaults__(MY_DEFAULTS)\npython_tests()\n"
    result = edit_build(before, TIERS, {"test_a.py": UNIT})
    assert result.text == before
    assert result.problems == ("`__defaults__` is not a dict literal; left alone",)
