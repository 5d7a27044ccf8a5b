from __future__ import annotations

import pytest
from pants.core.goals.lint import LintResult
from pants.core.util_rules.partitions import Partitions
from pants.engine.addresses import Address
from pants.testutil.rule_runner import RuleRunner

from tiers import lint
from tiers.lint import TiersLintRequest
from tiers.rules_test_support import (
    GOOD_PYPROJECT,
    LOCKFILE_WITH_ASYNCIO,
    new_rule_runner,
    record_calls,
    set_options,
    start_new_run,
)
from tiers.subsystem import TierFieldSet

pytestmark = pytest.mark.unit

UNIT_DEFAULTS = '__defaults__({(python_test, python_tests): dict(tags=["unit"])})\n'


@pytest.fixture
def rule_runner() -> RuleRunner:
    return new_rule_runner()


def clean_repo() -> dict[str, str]:
    return {
        "default.lock": LOCKFILE_WITH_ASYNCIO,
        "pyproject.toml": GOOD_PYPROJECT,
        "3rdparty/BUILD": 'python_requirement(name="asyncpg", requirements=["asyncpg"])\n',
        "app/BUILD": "python_sources()\n",
        "app/domain.py": "X = 1\n",
        "app/adapters/BUILD": "python_sources()\n",
        "app/adapters/db.py": "import asyncpg\n",
        "tests/unit/BUILD": UNIT_DEFAULTS + "python_tests()\n",
        "tests/unit/test_domain.py": "import pytest\nfrom app.domain import X\n\npytestmark = pytest.mark.unit\n\ndef test(): assert X\n",
        "tests/integration/BUILD": '__defaults__({(python_test, python_tests): dict(tags=["integration"])})\npython_tests()\n',
        "tests/integration/test_db.py": "import pytest\nfrom app.adapters import db\n\npytestmark = pytest.mark.integration\n",
    }


def run_lint(
    rule_runner: RuleRunner, files: dict[str, str], *extra_options: str, under: str = "tests/"
) -> LintResult | None:
    """Lints the test files `under` a directory (all of them by default)."""
    rule_runner.write_files(files)  # type: ignore[arg-type]
    if extra_options:
        set_options(rule_runner, *extra_options)
    targets = [
        rule_runner.get_target(Address(d, relative_file_path=f))
        for path in sorted(files)
        if path.startswith(under) and path.endswith(".py")
        for d, f in [path.rsplit("/", 1)]
    ]
    field_sets = tuple(TierFieldSet.create(t) for t in targets)
    partitions = rule_runner.request(Partitions, [TiersLintRequest.PartitionRequest(field_sets)])
    if not partitions:
        return None
    (partition,) = partitions
    return rule_runner.request(
        LintResult, [TiersLintRequest.Batch("tiers", partition.elements, partition.metadata)]
    )


def test_clean_repo_passes(rule_runner: RuleRunner) -> None:
    result = run_lint(rule_runner, clean_repo())
    assert result is not None
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_new_run_reuses_the_checks_until_a_file_changes(
    rule_runner: RuleRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pantsd starts a session per run and never memoizes a `LintResult`; the checks must be."""
    checked = record_calls(monkeypatch, lint, "check_file_marks")
    files = clean_repo()
    first = run_lint(rule_runner, files)
    assert first is not None and first.exit_code == 0
    assert sorted(checked) == ["tests/integration/test_db.py", "tests/unit/test_domain.py"]

    start_new_run(rule_runner)
    second = run_lint(rule_runner, files)
    assert second is not None and second.exit_code == 0
    assert len(checked) == 2

    start_new_run(rule_runner)
    edited = run_lint(rule_runner, {**files, "tests/unit/test_domain.py": "def test(): pass\n"})
    assert edited is not None and "TIER101" in edited.stdout
    assert len(checked) == 4


def test_skip_option(rule_runner: RuleRunner) -> None:
    files = clean_repo()
    files["tests/unit/BUILD"] = "python_tests()\n"
    assert run_lint(rule_runner, files, "--tiers-skip") is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"tests/unit/BUILD": "python_tests()\n"},
            "tests/unit/test_domain.py: TIER001 test target has no tier tag",
        ),
        (
            {"tests/unit/BUILD": 'python_tests(tags=["unit", "integration"])\n'},
            "tests/unit/test_domain.py: TIER002 test target has 2 tier tags ('integration', 'unit')",
        ),
        (
            {"tests/unit/BUILD": 'python_tests(tags=["unti"])\n'},
            "tests/unit/test_domain.py: TIER003 tag 'unti' looks like a misspelling of tier 'unit'",
        ),
        (
            {"tests/unit/test_domain.py": "import pytest\npytestmark = pytest.mark.integration\n"},
            "tests/unit/test_domain.py:2: TIER102 module-level `pytestmark` names tier(s) 'integration' but BUILD says 'unit'",
        ),
        (
            {"tests/unit/test_domain.py": "def test(): pass\n"},
            "tests/unit/test_domain.py:1: TIER101 module-level `pytestmark` does not carry the BUILD tier 'unit'",
        ),
        (
            {
                "tests/unit/test_domain.py": "import pytest\npytestmark = pytest.mark.unit\n@pytest.mark.integration\ndef test(): pass\n"
            },
            "tests/unit/test_domain.py:3: TIER103 function test is marked 'integration' but the file's tier is 'unit'",
        ),
        (
            {"tests/unit/test_domain.py": "import pytest\npytestmark = marks()\n"},
            "tests/unit/test_domain.py:2: TIER104 tier markers cannot be determined statically",
        ),
        (
            {"tests/unit/test_domain.py": "def broken(:\n"},
            "tests/unit/test_domain.py:1: TIER105 cannot read the file's markers: it does not parse",
        ),
        (
            {"pyproject.toml": GOOD_PYPROJECT.replace('"integration: slow"', "")},
            "pyproject.toml:1: TIER202 [tool.pytest.ini_options] does not register the tier marker 'integration'",
        ),
        (
            {
                "pyproject.toml": GOOD_PYPROJECT.replace(
                    '"unit: fast", ', '"unit: fast", "e2e: x", '
                )
            },
            "pyproject.toml:1: TIER203 [tool.pytest.ini_options] registers 'e2e', which looks like a tier",
        ),
        (
            {"pyproject.toml": GOOD_PYPROJECT.replace('addopts = "--strict-markers"', "")},
            "pyproject.toml:1: TIER204 [tool.pytest.ini_options] does not enable strict markers",
        ),
        (
            {
                "pyproject.toml": GOOD_PYPROJECT.replace(
                    'asyncio_default_fixture_loop_scope = "function"', ""
                )
            },
            "pyproject.toml:1: TIER205 [tool.pytest.ini_options] leaves `asyncio_default_fixture_loop_scope` unset",
        ),
        (
            {
                "tests/unit/BUILD": 'python_tests(tags=["unit"], batch_compatibility_tag="b")\n',
                "tests/integration/BUILD": 'python_tests(tags=["integration"], batch_compatibility_tag="b")\n',
                "tests/integration/pytest.ini": "[pytest]\nmarkers =\n  unit: u\n  integration: i\naddopts = --strict-markers\nasyncio_default_fixture_loop_scope = function\n",
            },
            "tests/integration/test_db.py: TIER207 batch_compatibility_tag 'b' puts tests with different pytest configurations in one pytest process",
        ),
        (
            {"pyproject.toml": GOOD_PYPROJECT.replace('tiers = ["unit", "integration"]', "")},
            'pyproject.toml:1: TIER208 [tool.pytest.ini_options] does not set `tiers`, so the pytest-tiers plugin does not know the tiers that `[tiers].names` declares ([\'unit\', \'integration\']).\n    fix: add `tiers = ["unit", "integration"]` to [tool.pytest.ini_options].',
        ),
        (
            {"pyproject.toml": "[tool.pytest.ini_options\n"},
            "pyproject.toml:1: TIER206 the pytest configuration cannot be read: not valid TOML",
        ),
        (
            {
                "tests/unit/test_domain.py": "import pytest\nfrom app.adapters.db import x\npytestmark = pytest.mark.unit\n"
            },
            "tests/unit/test_domain.py: TIER301 'unit' test depends (transitively) on integration-only 3rdparty:asyncpg.",
        ),
    ],
)
def test_each_violation(rule_runner: RuleRunner, change: dict[str, str], expected: str) -> None:
    result = run_lint(rule_runner, {**clean_repo(), **change})
    assert result is not None
    assert result.exit_code == 1
    assert expected in result.stdout, result.stdout
    assert "fix:" in result.stdout


def test_no_pytest_config(rule_runner: RuleRunner) -> None:
    files = clean_repo()
    del files["pyproject.toml"]
    result = run_lint(rule_runner, files)
    assert result is not None and "TIER201" in result.stdout


def test_asyncio_scope_not_required_without_pytest_asyncio(rule_runner: RuleRunner) -> None:
    files = {**clean_repo(), "default.lock": '{"locked_resolves": []}'}
    files["pyproject.toml"] = GOOD_PYPROJECT.replace(
        'asyncio_default_fixture_loop_scope = "function"', ""
    )
    result = run_lint(rule_runner, files)
    assert result is not None and result.exit_code == 0, result.stdout


def test_several_targets_at_once_are_sorted_and_deterministic(rule_runner: RuleRunner) -> None:
    files = {
        **clean_repo(),
        "tests/unit/BUILD": "python_tests()\n",
        "tests/unit/test_b.py": "def test(): pass\n",
        "tests/integration/test_db.py": "import pytest\npytestmark = pytest.mark.unit\n",
    }
    first = run_lint(rule_runner, files)
    assert first is not None
    locations = [
        line.split(": ")[0] for line in first.stdout.splitlines() if line.startswith("tests/")
    ]
    assert locations == [
        "tests/integration/test_db.py:2",
        "tests/unit/test_b.py",
        "tests/unit/test_domain.py",
    ]
    assert first.stdout.rstrip().endswith("3 tier violation(s).")
    second = run_lint(rule_runner, files)
    assert second is not None and second.stdout == first.stdout


def test_batch_tag_is_compared_with_tests_outside_the_lint_batch(rule_runner: RuleRunner) -> None:
    """TIER207 sees every test that shares the tag, not only those linted together."""
    files = {
        **clean_repo(),
        "tests/unit/BUILD": 'python_tests(tags=["unit"], batch_compatibility_tag="b")\n',
        "tests/integration/BUILD": 'python_tests(tags=["integration"], batch_compatibility_tag="b")\n',
        "tests/integration/pytest.ini": "[pytest]\nmarkers =\n  unit: u\n  integration: i\naddopts = --strict-markers\nasyncio_default_fixture_loop_scope = function\ntiers = unit integration\n",
    }
    result = run_lint(rule_runner, files, under="tests/unit/")
    assert result is not None and result.exit_code == 1
    assert result.stdout.startswith(
        "tests/unit/test_domain.py: TIER207 batch_compatibility_tag 'b' puts tests with different "
        "pytest configurations in one pytest process (pyproject.toml (1 target(s)); "
        "tests/integration/pytest.ini (1 target(s)))"
    ), result.stdout
    assert result.stdout.rstrip().endswith("1 tier violation(s).")


def test_pytest_plugin_keys_are_checked_against_tiers_and_services(
    rule_runner: RuleRunner,
) -> None:
    services = "--services-env-vars={'postgres': 'DB_URL', 'redis': 'REDIS_URL'}"
    result = run_lint(rule_runner, clean_repo(), services)
    assert result is not None and result.exit_code == 1
    assert result.stdout == (
        "pyproject.toml:1: TIER208 `tiers_service_env_vars` in [tool.pytest.ini_options] is not "
        "set but the service variables of `[services].env_vars` in pants.toml are "
        "['DB_URL', 'REDIS_URL'] (the pytest-tiers plugin strips them from hermetic-tier tests).\n"
        '    fix: set `tiers_service_env_vars = ["DB_URL", "REDIS_URL"]` in '
        "[tool.pytest.ini_options].\n"
        "\n1 tier violation(s).\n"
    )
    agreeing = GOOD_PYPROJECT + 'tiers_service_env_vars = ["REDIS_URL", "DB_URL"]\n'
    result = run_lint(rule_runner, {**clean_repo(), "pyproject.toml": agreeing}, services)
    assert result is not None and (result.exit_code, result.stdout) == (0, "")


def test_pytest_plugin_keys_may_be_left_out_when_not_required(rule_runner: RuleRunner) -> None:
    files = {
        **clean_repo(),
        "pyproject.toml": GOOD_PYPROJECT.replace('tiers = ["unit", "integration"]', ""),
    }
    result = run_lint(rule_runner, files, "--no-tiers-require-pytest-plugin")
    assert result is not None and (result.exit_code, result.stdout) == (0, "")


QUARANTINED_TEST = (
    "import pytest\n\npytestmark = pytest.mark.unit\n\n\n"
    '@pytest.mark.quarantine(reason="races the clock", until="2026-11-30")\n'
    "def test(): pass\n"
)


def test_an_expired_quarantine_fails_the_lint_with_tier402_once_its_date_has_passed(
    rule_runner: RuleRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The date is an input of the memoized checks: the same files are checked again on a new
    day (pantsd keeps the checks between runs), and not again on the same day."""
    checked = record_calls(monkeypatch, lint, "check_quarantines")
    files = {**clean_repo(), "tests/unit/test_domain.py": QUARANTINED_TEST}
    on_the_day = run_lint(rule_runner, files, "--tiers-today=2026-11-30")
    assert on_the_day is not None and (on_the_day.exit_code, on_the_day.stdout) == (0, "")
    assert len(checked) == 2

    start_new_run(rule_runner)
    again = run_lint(rule_runner, files)
    assert again is not None and again.exit_code == 0
    assert len(checked) == 2

    start_new_run(rule_runner)
    next_day = run_lint(rule_runner, files, "--tiers-today=2026-12-01")
    assert next_day is not None and next_day.exit_code == 1
    assert next_day.stdout == (
        "tests/unit/test_domain.py:6: TIER402 the quarantine expired: its date 2026-11-30 has "
        "passed (today is 2026-12-01), so the test runs again (reason: races the clock).\n"
        "    fix: fix the test and drop the mark; if the reason still holds, set a later `until` "
        "and say why where the quarantine is tracked.\n"
        "\n1 tier violation(s).\n"
    )
    assert len(checked) == 4


def test_a_quarantine_without_a_date_is_tier401(rule_runner: RuleRunner) -> None:
    files = {
        **clean_repo(),
        "tests/unit/test_domain.py": QUARANTINED_TEST.replace(', until="2026-11-30"', ""),
    }
    result = run_lint(rule_runner, files, "--tiers-today=2026-12-01")
    assert result is not None and result.exit_code == 1
    assert result.stdout == (
        "tests/unit/test_domain.py:6: TIER401 the quarantine mark lacks `until`, which must be an "
        "ISO date string YYYY-MM-DD.\n"
        '    fix: spell it `@pytest.mark.quarantine(reason="why", until="YYYY-MM-DD", '
        'issue="URL or id")` (issue optional).\n'
        "\n1 tier violation(s).\n"
    )


def test_tiers_attempts_are_checked_against_the_pytest_configuration(
    rule_runner: RuleRunner,
) -> None:
    retried = "--tiers-attempts={'integration': 3}"
    result = run_lint(rule_runner, clean_repo(), retried)
    assert result is not None and result.exit_code == 1
    assert result.stdout == (
        "pyproject.toml:1: TIER208 `tiers_attempts` in [tool.pytest.ini_options] is not set but "
        "`[tiers].attempts` in pants.toml gives ['integration=3'] (the pytest-tiers plugin "
        "retries failing tests with it).\n"
        '    fix: set `tiers_attempts = ["integration=3"]` in [tool.pytest.ini_options].\n'
        "\n1 tier violation(s).\n"
    )
    agreeing = GOOD_PYPROJECT + 'tiers_attempts = ["integration=3"]\n'
    result = run_lint(rule_runner, {**clean_repo(), "pyproject.toml": agreeing}, retried)
    assert result is not None and (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(
    ("option", "problem"),
    [
        (
            "--tiers-attempts={'unit': 2}",
            "[tiers].attempts: gives the hermetic tier 'unit' 2 attempts, but it is never retried",
        ),
        ("--tiers-today=tomorrow", "[tiers].today: 'tomorrow' is not a date of the form YYYY-MM-DD."),
    ],
)
def test_bad_tiers_options_are_errors_in_the_message_shape(
    rule_runner: RuleRunner, option: str, problem: str
) -> None:
    with pytest.raises(Exception) as raised:
        run_lint(rule_runner, clean_repo(), option)
    assert problem in str(raised.value)
