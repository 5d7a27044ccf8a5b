import pytest

from tiers.config_checks import (
    check_batches,
    check_config,
    check_plugin_keys,
    unreadable_config,
)
from tiers.pytest_config import ConfigError, PytestConfig, parse_config
from tiers.violations import Code, Violation
from tiers.vocabulary import TierVocabulary

pytestmark = pytest.mark.unit

VOCAB = TierVocabulary(("unit", "integration"), ("e2e", "functional"))


def codes(violations: list[Violation]) -> list[str]:
    return sorted(v.code.value for v in violations)


def config(**kwargs: object) -> PytestConfig:
    defaults: dict = dict(
        path="pyproject.toml",
        section="[tool.pytest.ini_options]",
        line=3,
        markers=("unit", "integration"),
        addopts=("--strict-markers",),
        options={"asyncio_default_fixture_loop_scope": "function"},
    )
    defaults.update(kwargs)
    return PytestConfig(**defaults)


def config_codes(cfg: PytestConfig | None, asyncio: bool = True) -> list[str]:
    return codes(
        check_config(
            cfg,
            "t/test_x.py",
            VOCAB,
            require_strict_markers=True,
            require_asyncio_loop_scope=asyncio,
        )
    )


def test_good_config() -> None:
    assert config_codes(config()) == []


def test_config_problems() -> None:
    assert config_codes(None) == ["TIER201"]
    assert config_codes(config(markers=("unit",))) == ["TIER202"]
    assert config_codes(config(markers=("unit", "integration", "integ_ration", "e2e"))) == [
        "TIER203",
        "TIER203",
    ]
    assert config_codes(config(addopts=())) == ["TIER204"]
    assert config_codes(config(options={})) == ["TIER205"]
    assert config_codes(config(options={}), asyncio=False) == []


def test_config_violation_points_at_the_section() -> None:
    (violation,) = check_config(
        config(markers=("unit",)),
        "t/test_x.py",
        VOCAB,
        require_strict_markers=True,
        require_asyncio_loop_scope=True,
    )
    assert violation.location == "pyproject.toml:3"
    assert "'integration'" in violation.problem


def test_unreadable_config_points_at_the_file() -> None:
    violation = unreadable_config(ConfigError("a/pytest.ini", "not a valid INI file (x)"))
    assert (violation.code, violation.location) == (Code.UNREADABLE_CONFIG, "a/pytest.ini:1")
    assert violation.problem == "the pytest configuration cannot be read: not a valid INI file (x)."


def test_batches_that_mix_configurations_are_reported_once_per_configuration() -> None:
    violations = check_batches(
        {
            "unit": {"a:t": "a/pyproject.toml", "b:t": "b/pytest.ini", "a:u": "a/pyproject.toml"},
            "same": {"c:t": "c/pytest.ini", "c:u": "c/pytest.ini"},
        }
    )
    assert [(v.code, v.location) for v in violations] == [
        (Code.BATCH_MIXES_CONFIGS, "a:t"),
        (Code.BATCH_MIXES_CONFIGS, "b:t"),
    ]
    assert "a/pyproject.toml (2 target(s)); b/pytest.ini (1 target(s))" in violations[0].problem


# TIER208: the pytest-tiers plugin's ini keys against `[tiers].names` and `[services].env_vars`.

ENV_VARS = ("JOBPIPE_REDIS_URL", "JOBPIPE_DATABASE_URL")

GOOD_PYPROJECT = b"""[tool.pytest.ini_options]
markers = ["unit: u", "integration: i"]
tiers = ["unit", "integration"]
tiers_service_env_vars = ["JOBPIPE_DATABASE_URL", "JOBPIPE_REDIS_URL"]
"""

GOOD_INI = b"""[pytest]
tiers =
    unit
    integration
tiers_service_env_vars = JOBPIPE_REDIS_URL JOBPIPE_DATABASE_URL
"""


def plugin_keys(
    path: str,
    content: bytes,
    *,
    require: bool = True,
    env_vars: tuple[str, ...] = ENV_VARS,
    attempts: dict[str, int] | None = None,
) -> list[Violation]:
    parsed = parse_config(path, content)
    assert parsed is not None
    return check_plugin_keys(parsed, VOCAB, env_vars, attempts, require_pytest_plugin=require)


@pytest.mark.parametrize(("path", "content"), [("pyproject.toml", GOOD_PYPROJECT), ("pytest.ini", GOOD_INI)])
def test_plugin_keys_that_agree_are_clean(path: str, content: bytes) -> None:
    assert plugin_keys(path, content) == []


def test_missing_tiers_key_gives_the_line_to_write() -> None:
    content = b'[tool.pytest.ini_options]\ntiers_service_env_vars = ["JOBPIPE_DATABASE_URL", "JOBPIPE_REDIS_URL"]\n'
    (violation,) = plugin_keys("a/pyproject.toml", content)
    assert (violation.code, violation.location) == (Code.PYTEST_PLUGIN_KEYS_DISAGREE, "a/pyproject.toml:1")
    assert violation.problem == (
        "[tool.pytest.ini_options] does not set `tiers`, so the pytest-tiers plugin does not "
        "know the tiers that `[tiers].names` declares (['unit', 'integration'])."
    )
    assert violation.fix == 'add `tiers = ["unit", "integration"]` to [tool.pytest.ini_options].'


def test_missing_keys_are_allowed_when_the_plugin_is_not_required() -> None:
    assert plugin_keys("pytest.ini", b"[pytest]\n", require=False) == []
    # Once a key is there, it must agree.
    assert codes(plugin_keys("pytest.ini", b"[pytest]\ntiers = unit\n", require=False)) == [
        "TIER208",
        "TIER208",
    ]


def test_tiers_in_another_order_disagree_and_name_both_values() -> None:
    (violation,) = plugin_keys("pytest.ini", GOOD_INI.replace(b"    unit\n    integration\n", b"    integration\n    unit\n"))
    assert violation.location == "pytest.ini:1"
    assert "sets `tiers` to ['integration', 'unit']" in violation.problem
    assert "`[tiers].names` in pants.toml is ['unit', 'integration']" in violation.problem
    assert violation.fix == "set `tiers = unit integration` in [pytest]."


def test_service_env_vars_compare_as_a_set_and_name_both_values() -> None:
    content = GOOD_PYPROJECT.replace(b'["JOBPIPE_DATABASE_URL", "JOBPIPE_REDIS_URL"]', b'["JOBPIPE_REDIS_URL"]')
    (violation,) = plugin_keys("pyproject.toml", content)
    assert violation.problem == (
        "`tiers_service_env_vars` in [tool.pytest.ini_options] is ['JOBPIPE_REDIS_URL'] but the "
        "service variables of `[services].env_vars` in pants.toml are "
        "['JOBPIPE_DATABASE_URL', 'JOBPIPE_REDIS_URL'] (the pytest-tiers plugin strips them "
        "from hermetic-tier tests)."
    )
    assert violation.fix == (
        'set `tiers_service_env_vars = ["JOBPIPE_DATABASE_URL", "JOBPIPE_REDIS_URL"]` in '
        "[tool.pytest.ini_options]."
    )


def test_missing_service_env_vars_key() -> None:
    (violation,) = plugin_keys("tox.ini", b"[pytest]\ntiers = unit integration\n")
    assert "`tiers_service_env_vars` in [pytest] is not set" in violation.problem
    assert violation.fix == (
        "set `tiers_service_env_vars = JOBPIPE_DATABASE_URL JOBPIPE_REDIS_URL` in [pytest]."
    )
    # With no services declared, an absent key agrees.
    assert plugin_keys("tox.ini", b"[pytest]\ntiers = unit integration\n", env_vars=()) == []


def test_tiers_attempts_agree_with_tiers_attempts_in_pants_toml() -> None:
    retried = {"integration": 3}
    assert plugin_keys("pytest.ini", GOOD_INI + b"tiers_attempts = integration=3\n", attempts=retried) == []
    toml = GOOD_PYPROJECT + b'tiers_attempts = ["integration=3", "unit=1"]\n'
    assert plugin_keys("pyproject.toml", toml, attempts=retried) == []
    # A tier with one attempt is the default, on either side.
    assert plugin_keys("pytest.ini", GOOD_INI, attempts={"integration": 1}) == []


def test_missing_or_different_tiers_attempts_give_the_line_to_write() -> None:
    (missing,) = plugin_keys("pyproject.toml", GOOD_PYPROJECT, attempts={"integration": 3})
    assert missing.render() == (
        "pyproject.toml:1: TIER208 `tiers_attempts` in [tool.pytest.ini_options] is not set but "
        "`[tiers].attempts` in pants.toml gives ['integration=3'] (the pytest-tiers plugin "
        "retries failing tests with it).\n"
        '    fix: set `tiers_attempts = ["integration=3"]` in [tool.pytest.ini_options].'
    )
    (different,) = plugin_keys("pytest.ini", GOOD_INI + b"tiers_attempts = integration=2\n")
    assert different.render() == (
        "pytest.ini:1: TIER208 `tiers_attempts` in [pytest] is ['integration=2'] but "
        "`[tiers].attempts` in pants.toml gives no tier more than one attempt (the pytest-tiers "
        "plugin retries failing tests with it).\n"
        "    fix: remove `tiers_attempts` from [pytest]."
    )


def test_a_tiers_attempts_that_pytest_tiers_would_refuse_is_tier208() -> None:
    (violation,) = plugin_keys("pytest.ini", GOOD_INI + b"tiers_attempts = unit=2\n")
    assert violation.problem == (
        "`tiers_attempts` in [pytest] cannot be used: gives the hermetic tier 'unit' 2 attempts, "
        "but it is never retried (a hermetic test that fails and then passes is a bug)."
    )

