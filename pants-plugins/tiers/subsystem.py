"""`[tiers]` in pants.toml: the one place the tier vocabulary and its requirements live, and the
field set of the test targets that the linter, the fixer and the report look at.

The same scope is the `tiers` goal (the report), the `tiers` linter (`--tiers-skip`) and fixer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from pants.backend.python.target_types import (
    PythonResolveField,
    PythonTestsBatchCompatibilityTagField,
    PythonTestSourceField,
)
from pants.engine.goal import GoalSubsystem
from pants.engine.target import FieldSet, Tags
from pants.option.option_types import (
    BoolOption,
    DictOption,
    EnumOption,
    SkipOption,
    StrListOption,
    StrOption,
)
from pants.util.strutil import softwrap

from pytest_tiers import attempts
from pytest_tiers.messages import ProblemError
from pytest_tiers.quarantine_mark import iso_date
from tiers.vocabulary import TierVocabulary


class ReportFormat(Enum):
    text = "text"
    json = "json"


class TiersSubsystem(GoalSubsystem):
    name = "tiers"
    help = softwrap(
        """
        Test tiers: every test target carries exactly one tier tag, and its pytest markers and
        configuration agree. `pants tiers ::` reports targets and files per tier; `pants lint`
        enforces the rules; `pants fix` writes each file's module-level `pytestmark`.
        """
    )

    names = StrListOption(
        default=["unit", "integration"],
        help="The tiers, in order. The first is the hermetic one (see `integration_only`).",
    )
    tier_like_markers = StrListOption(
        default=["e2e", "end_to_end", "functional", "system", "acceptance", "component"],
        help=softwrap(
            """
            Marker names that denote a tier. A pytest configuration that registers one that is
            not in `names` is reported, as is one that looks like a misspelt tier.
            """
        ),
    )
    integration_only = StrListOption(
        default=[],
        help=softwrap(
            """
            Targets that tests of the first tier must not reach through their transitive
            dependencies: addresses (`3rdparty/python:default#asyncpg`,
            `src/app/db.py`), generators (`src/app:lib`), directories (`src/app/adapters`) or
            recursive specs (`src/app/adapters::`).
            """
        ),
    )
    require_strict_markers = BoolOption(
        default=True, help="Require --strict-markers in the pytest configuration."
    )
    require_asyncio_loop_scope = BoolOption(
        default=True,
        help=softwrap(
            """
            Require `asyncio_default_fixture_loop_scope` in the pytest configuration of tests
            whose resolve contains pytest-asyncio.
            """
        ),
    )
    require_pytest_plugin = BoolOption(
        default=True,
        help=softwrap(
            """
            Require the pytest-tiers plugin's `tiers` key in the pytest configuration of
            tier-tagged tests (TIER208). Where the keys are set, they must agree with
            `[tiers].names` and `[services].env_vars` either way.
            """
        ),
    )
    allow_empty_selection = BoolOption(
        default=False,
        help=softwrap(
            """
            Let a `test` run whose `--tag` names a tier select no test target. Off by default:
            `pants --tag=unit test some/path` that tests nothing fails (the `tier-selection`
            goal, which ./pants runs before `test`), so a wrong path or tag cannot pass
            silently. A `--changed-since` run that selects nothing always succeeds.
            """
        ),
    )
    attempts = DictOption[int](
        default={},
        help=softwrap(
            """
            How many attempts a failing test of a tier gets, e.g. `{integration = 3}`
            (pytest-rerunfailures, through pytest-tiers). A tier not named gets one; the first
            (hermetic) tier is never retried. The pytest configuration mirrors it in
            `tiers_attempts` (TIER208).
            """
        ),
    )
    today = StrOption(
        default=None,
        help=softwrap(
            """
            The date (YYYY-MM-DD) quarantine marks are checked against (TIER402); by default
            the machine's date on each run. Set it to reproduce a run of another day.
            """
        ),
    )
    format = EnumOption(default=ReportFormat.text, help="Output format of the `tiers` report.")
    skip = SkipOption("lint", "fix")

    @property
    def vocabulary(self) -> TierVocabulary:
        return TierVocabulary(tuple(self.names), tuple(w.lower() for w in self.tier_like_markers))

    @property
    def attempts_per_tier(self) -> dict[str, int]:
        """`[tiers].attempts`, validated (the tiers that retry, each with more than one)."""
        return attempts.validate(dict(self.attempts), tuple(self.names), "[tiers].attempts")

    def quarantine_date(self) -> date:
        """`[tiers].today`, or the date now: read by the uncacheable lint rule on every run, and
        passed on as an input of the memoized checks, so that an expiry is seen the next day."""
        if self.today is None:
            return date.today()
        parsed = iso_date(self.today)
        if parsed is None:
            raise ProblemError(
                "[tiers].today",
                f"{self.today!r} is not a date of the form YYYY-MM-DD.",
                "set it to a date such as 2026-12-31, or unset it to use today's date.",
            )
        return parsed


@dataclass(frozen=True)
class TierFieldSet(FieldSet):
    """A test file: its tier tags, resolve and batch tag."""

    required_fields = (PythonTestSourceField,)

    source: PythonTestSourceField
    tags: Tags
    resolve: PythonResolveField
    batch_tag: PythonTestsBatchCompatibilityTagField

    @property
    def tag_values(self) -> tuple[str, ...]:
        return tuple(self.tags.value or ())
