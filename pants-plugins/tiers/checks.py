"""The tier rules as pure functions over plain data, so they are testable without Pants."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from tiers.markers import FileMarks, extract_marks
from tiers.pytest_config import PytestConfig
from tiers.violations import Code, Violation


@dataclass(frozen=True)
class TierVocabulary:
    """The configured tiers, and the words that would denote a tier if someone used them."""

    tiers: tuple[str, ...]
    tier_like_words: tuple[str, ...] = ()

    def misspelling_of(self, word: str) -> str | None:
        """The tier `word` most likely means, if it is not a tier itself."""
        if word in self.tiers:
            return None
        normalised = word.strip().lower().replace("-", "_")
        for tier in self.tiers:
            if normalised in (tier, f"{tier}s", f"{tier}_test", f"{tier}_tests"):
                return tier
        close = difflib.get_close_matches(normalised, self.tiers, n=1, cutoff=0.75)
        return close[0] if close else None

    def looks_like_tier(self, word: str) -> bool:
        return word not in self.tiers and (
            self.misspelling_of(word) is not None or word.lower() in self.tier_like_words
        )

    def mark(self, tier: str) -> str:
        return f"pytestmark = pytest.mark.{tier}"


def check_tags(
    address: str, tags: Sequence[str], vocabulary: TierVocabulary
) -> tuple[str | None, list[Violation]]:
    """The target's tier (None unless exactly one) and what is wrong with its tags."""
    tiers = sorted({t for t in tags if t in vocabulary.tiers})
    violations = []
    for tag in sorted(set(tags)):
        meant = vocabulary.misspelling_of(tag)
        if meant is not None:
            violations.append(
                Violation(
                    Code.MISSPELT_TIER_TAG,
                    address,
                    f"tag {tag!r} looks like a misspelling of tier {meant!r}.",
                    f"replace {tag!r} with {meant!r} in the `tags` of this target or its "
                    "directory's `__defaults__`.",
                )
            )
    choices = " or ".join(repr(t) for t in vocabulary.tiers)
    if not tiers:
        violations.append(
            Violation(
                Code.UNTAGGED,
                address,
                f"test target has no tier tag (one of {choices}).",
                "add exactly one tier, e.g. `__defaults__({(python_test, python_tests): "
                f'dict(tags=["{vocabulary.tiers[0]}"])}})` in the directory\'s BUILD file.',
            )
        )
    elif len(tiers) > 1:
        violations.append(
            Violation(
                Code.SEVERAL_TIERS,
                address,
                f"test target has {len(tiers)} tier tags ({', '.join(map(repr, tiers))}); "
                "a test belongs to exactly one tier.",
                "keep one tier tag; move tests that need another tier to a directory of that tier.",
            )
        )
        return None, violations
    return (tiers[0] if tiers else None), violations


def check_file_marks(
    path: str, source: bytes, tier: str | None, vocabulary: TierVocabulary
) -> list[Violation]:
    """Compare the file's tier markers with its BUILD tier (`None`: the target has no tier)."""
    marks: FileMarks = extract_marks(source)
    if marks.error is not None:
        return [
            Violation(
                Code.UNREADABLE_SOURCE,
                f"{path}:{marks.error.line}",
                f"cannot read the file's markers: it is {marks.error.reason}.",
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


def check_config(
    config: PytestConfig | None,
    test_path: str,
    vocabulary: TierVocabulary,
    *,
    require_strict_markers: bool,
    require_asyncio_loop_scope: bool,
) -> list[Violation]:
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


def matches_address(spec: str, address: str, generator: str | None, spec_path: str) -> bool:
    """Whether an `[tiers].integration_only` entry covers a target.

    `dir:name` covers the target and everything it generates; `dir::` covers every target at or
    below `dir`; `dir:` or `dir` every target in `dir`; anything else must equal the address.
    """
    if spec.endswith("::"):
        root = spec[:-2].rstrip("/")
        return not root or spec_path == root or spec_path.startswith(root + "/")
    if spec.endswith(":") or (":" not in spec and "." not in spec.rsplit("/", 1)[-1]):
        return spec_path == spec.rstrip(":")
    return spec in (address, generator)


def check_unit_dependencies(
    address: str,
    tier: str | None,
    reached: Sequence[str],
    unit_tier: str,
) -> list[Violation]:
    """`reached`: the integration-only addresses in the target's transitive dependencies."""
    if tier != unit_tier or not reached:
        return []
    return [
        Violation(
            Code.UNIT_REACHES_INTEGRATION_ONLY,
            address,
            f"{unit_tier!r} test depends (transitively) on integration-only {dependency}.",
            "test against a fake or a port instead, or move the test to the integration tier.",
        )
        for dependency in sorted(set(reached))
    ]


def check_batches(configs_by_tag: dict[str, dict[str, str]]) -> list[Violation]:
    """Tests that share a `batch_compatibility_tag` run in one pytest process, and pytest then
    reads one configuration for all of them (the first file's), so the others silently lose
    their markers and options.

    `configs_by_tag`: tag -> {target address: path of the pytest configuration it uses}.
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
