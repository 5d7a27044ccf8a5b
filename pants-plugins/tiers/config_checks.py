"""TIER201-TIER208: the pytest configuration that tier-tagged tests use agrees with `[tiers]`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from pytest_tiers.attempts import parse_words, to_words
from pytest_tiers.config_files import ATTEMPTS_KEY, SERVICE_ENV_VARS_KEY, TIERS_KEY
from pytest_tiers.messages import ProblemError
from tiers.pytest_config import ConfigError, PytestConfig
from tiers.violations import Code, Violation
from tiers.vocabulary import TierVocabulary


def check_config(
    config: PytestConfig | None,
    test_path: str,
    vocabulary: TierVocabulary,
    *,
    require_strict_markers: bool,
    require_asyncio_loop_scope: bool,
) -> list[Violation]:
    """TIER201-TIER205 for the configuration `config` that pytest uses for `test_path`."""
    if config is None:
        return [
            Violation(
                Code.NO_PYTEST_CONFIG,
                f"{test_path}:1",
                "no pytest configuration applies to this file, so its tier markers are "
                "unregistered.",
                "add a pytest.ini (or pyproject.toml with [tool.pytest.ini_options]) in an "
                "ancestor directory that registers "
                + ", ".join(repr(t) for t in vocabulary.tiers)
                + " and sets --strict-markers.",
            )
        ]
    where = f"{config.path}:{config.line}"
    violations = []
    for tier in vocabulary.tiers:
        if tier not in config.markers:
            violations.append(
                Violation(
                    Code.MARKER_NOT_REGISTERED,
                    where,
                    f"{config.section} does not register the tier marker {tier!r}.",
                    f'add "{tier}: <what the tier guarantees>" to `markers`.',
                )
            )
    for marker in config.markers:
        if vocabulary.looks_like_tier(marker):
            meant = vocabulary.misspelling_of(marker)
            hint = f" (did you mean {meant!r}?)" if meant else ""
            violations.append(
                Violation(
                    Code.UNKNOWN_TIER_MARKER,
                    where,
                    f"{config.section} registers {marker!r}, which looks like a tier but is not "
                    f"one of the configured tiers{hint}.",
                    "remove or rename the marker, or add the tier to `[tiers].names` in "
                    "pants.toml.",
                )
            )
    if require_strict_markers and not config.strict_markers:
        violations.append(
            Violation(
                Code.NOT_STRICT,
                where,
                f"{config.section} does not enable strict markers, so a misspelt tier marker "
                "silently selects nothing.",
                'add "--strict-markers" to `addopts`.',
            )
        )
    if require_asyncio_loop_scope and "asyncio_default_fixture_loop_scope" not in config.options:
        violations.append(
            Violation(
                Code.ASYNCIO_LOOP_SCOPE_UNSET,
                where,
                f"{config.section} leaves `asyncio_default_fixture_loop_scope` unset while "
                "pytest-asyncio is in the resolve.",
                'set asyncio_default_fixture_loop_scope = "function".',
            )
        )
    return violations


def unreadable_config(error: ConfigError) -> Violation:
    """TIER206: a configuration file pytest would use cannot be read."""
    return Violation(
        Code.UNREADABLE_CONFIG,
        f"{error.path}:1",
        f"the pytest configuration cannot be read: {error.problem}.",
        "fix the file's syntax; pytest would fail on it too.",
    )


def check_batches(configs_by_tag: Mapping[str, Mapping[str, str]]) -> list[Violation]:
    """TIER207. Tests that share a `batch_compatibility_tag` run in one pytest process, and
    pytest then reads one configuration for all of them (the first file's), so the others
    silently lose their markers and options.

    `configs_by_tag`: tag -> {target address: path of the pytest configuration it uses}, for
    every test target in the repository that carries the tag (not only those of one lint batch).
    One violation per configuration, at its first target.
    """
    violations = []
    for tag, configs in sorted(configs_by_tag.items()):
        by_config: dict[str, list[str]] = {}
        for address, config in sorted(configs.items()):
            by_config.setdefault(config, []).append(address)
        if len(by_config) < 2:
            continue
        listing = "; ".join(f"{c} ({len(a)} target(s))" for c, a in sorted(by_config.items()))
        for config, addresses in sorted(by_config.items()):
            violations.append(
                Violation(
                    Code.BATCH_MIXES_CONFIGS,
                    addresses[0],
                    f"batch_compatibility_tag {tag!r} puts tests with different pytest "
                    f"configurations in one pytest process ({listing}); pytest reads only one "
                    "of them, so the other tests run without their markers and options.",
                    f"use a batch_compatibility_tag unique to {config}.",
                )
            )
    return violations


def _setting(config: PytestConfig, key: str, values: Sequence[str]) -> str:
    """The line that sets `key` to `values` in `config`'s format."""
    if config.is_toml:
        return f"{key} = [{', '.join(map(_toml_string, values))}]"
    return f"{key} = {' '.join(values)}".rstrip()


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_plugin_keys(
    config: PytestConfig,
    vocabulary: TierVocabulary,
    service_env_vars: Collection[str],
    attempts: Mapping[str, int] | None = None,
    *,
    require_pytest_plugin: bool,
) -> list[Violation]:
    """TIER208: the ini keys of the pytest-tiers plugin (`tiers`, `tiers_service_env_vars`,
    `tiers_attempts`) agree with `[tiers].names` (in order), with the variables of
    `[services].env_vars` (as a set) and with `[tiers].attempts` (`attempts`, validated; tiers
    with one attempt count as absent). Without `tiers`, the configuration is reported only if
    `require_pytest_plugin`."""
    where = f"{config.path}:{config.line}"
    tiers = config.linelist(TIERS_KEY)
    env_vars = config.linelist(SERVICE_ENV_VARS_KEY)
    if tiers is None and env_vars is None and not require_pytest_plugin:
        return []
    names = list(vocabulary.tiers)
    expected_env_vars = sorted(set(service_env_vars))
    violations = []
    if tiers is None:
        violations.append(
            Violation(
                Code.PYTEST_PLUGIN_KEYS_DISAGREE,
                where,
                f"{config.section} does not set `{TIERS_KEY}`, so the pytest-tiers plugin does "
                f"not know the tiers that `[tiers].names` declares ({names}).",
                f"add `{_setting(config, TIERS_KEY, names)}` to {config.section}.",
            )
        )
    elif list(tiers) != names:
        violations.append(
            Violation(
                Code.PYTEST_PLUGIN_KEYS_DISAGREE,
                where,
                f"{config.section} sets `{TIERS_KEY}` to {list(tiers)} but `[tiers].names` in "
                f"pants.toml is {names} (order matters: the first is the hermetic tier).",
                f"set `{_setting(config, TIERS_KEY, names)}` in {config.section}.",
            )
        )
    if set(env_vars or ()) != set(expected_env_vars):
        have = (
            "is not set"
            if env_vars is None
            else f"is {sorted(set(env_vars))}"
        )
        violations.append(
            Violation(
                Code.PYTEST_PLUGIN_KEYS_DISAGREE,
                where,
                f"`{SERVICE_ENV_VARS_KEY}` in {config.section} {have} but the service "
                f"variables of `[services].env_vars` in pants.toml are {expected_env_vars} "
                "(the pytest-tiers plugin strips them from hermetic-tier tests).",
                f"set `{_setting(config, SERVICE_ENV_VARS_KEY, expected_env_vars)}` in "
                f"{config.section}.",
            )
        )
    expected_attempts = {tier: n for tier, n in (attempts or {}).items() if n > 1}
    attempts_violation = _check_attempts(config, vocabulary, expected_attempts)
    if attempts_violation is not None:
        violations.append(attempts_violation)
    return violations


def _check_attempts(
    config: PytestConfig, vocabulary: TierVocabulary, expected: dict[str, int]
) -> Violation | None:
    """`tiers_attempts` gives each tier the attempts `[tiers].attempts` gives it."""
    where = f"{config.path}:{config.line}"
    words = config.linelist(ATTEMPTS_KEY)
    expected_words = to_words(expected)
    fix = (
        f"set `{_setting(config, ATTEMPTS_KEY, expected_words)}` in {config.section}."
        if expected_words
        else f"remove `{ATTEMPTS_KEY}` from {config.section}."
    )
    try:
        found = parse_words(words or (), vocabulary.tiers, ATTEMPTS_KEY)
    except ProblemError as error:
        return Violation(
            Code.PYTEST_PLUGIN_KEYS_DISAGREE,
            where,
            f"`{ATTEMPTS_KEY}` in {config.section} cannot be used: {error.problem.problem}",
            fix,
        )
    if found == expected:
        return None
    have = "is not set" if words is None else f"is {to_words(found)}"
    return Violation(
        Code.PYTEST_PLUGIN_KEYS_DISAGREE,
        where,
        f"`{ATTEMPTS_KEY}` in {config.section} {have} but `[tiers].attempts` in pants.toml "
        f"gives {expected_words or 'no tier more than one attempt'} (the pytest-tiers plugin "
        "retries failing tests with it).",
        fix,
    )
