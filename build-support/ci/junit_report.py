"""Every test in a tier's JUnit reports, once, with its file, duration and outcome.

Pants writes one JUnit XML per pytest process (`--test-report-dir`), cached results included.
A test's outcome is read from the standard elements plus pytest-tiers' properties:

- `failed`: the last attempt has a `<failure>` or `<error>`;
- `quarantined`: property `tiers.outcome` = `quarantined` (skipped in pull-request jobs, run
  in the nightly job), unless it failed;
- `skipped`: a `<skipped>` element (pytest's skips and xfails);
- `flaky`: it passed after failing: property `tiers.outcome` = `flaky`, or more than one attempt
  recorded (pytest-rerunfailures makes junitxml write one `<testcase>` per attempt; Surefire-style
  `<rerunFailure>`/`<flakyFailure>` children count as earlier attempts too);
- `passed`: otherwise.

pytest names a test by its module relative to pytest's rootdir (`tests.unit.test_x` for
`backend/tests/unit/test_x.py` when `backend/pyproject.toml` is the configuration), so the file is
found among the repository's Python files: the rootdir that explains most of a report's tests.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pytest_tiers import report_properties
from pytest_tiers.messages import ProblemError

OUTCOMES = ("passed", "failed", "flaky", "skipped", "quarantined")
OUTCOME_PROPERTY = report_properties.OUTCOME
ATTEMPTS_PROPERTY = report_properties.ATTEMPTS
_PROPERTY_OUTCOMES = (report_properties.FLAKY, report_properties.QUARANTINED)
_EARLIER_ATTEMPTS = ("rerunFailure", "rerunError", "flakyFailure", "flakyError")
_REWRITE = "re-run the tests that wrote it (Pants: `--test-report-dir`), or delete the file."


class ReportError(ProblemError):
    """A report exists but cannot be read: never silently counted as zero."""


@dataclass(frozen=True)
class TestResult:
    """One test: every attempt of it in one report, folded into one outcome."""

    __test__ = False  # not a pytest test class

    file: str  # repository-relative path; "" when no repository file explains its classname
    classname: str
    name: str
    outcome: str
    seconds: float
    attempts: int
    properties: tuple[tuple[str, str], ...]
    element: ET.Element = field(compare=False, repr=False)  # the last attempt's <testcase>

    @property
    def test_id(self) -> str:
        """`file::Class::name` as pytest spells node ids (the classname when the file is unknown)."""
        classes = self.class_names
        head = self.file or self.classname
        return "::".join([head, *classes, self.name]) if self.file else f"{head}::{self.name}"

    @property
    def class_names(self) -> tuple[str, ...]:
        """The test classes around the test (`TestX` of `tests.unit.test_x.TestX`)."""
        if not self.file:
            return ()
        parts = self.classname.split(".")
        # The classname ends with the module's dotted path relative to rootdir, then classes.
        for depth in range(len(parts), 0, -1):
            if self.file.endswith("/".join(parts[:depth]) + ".py"):
                return tuple(parts[depth:])
        return ()

    def property(self, name: str) -> str | None:
        return dict(self.properties).get(name)


def python_files(repo: Path) -> list[str]:
    """The repository's Python files (git's view: tracked and untracked, not ignored)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.py"],
            cwd=repo,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return sorted({p for p in out.split("\0") if p})
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", "dist", "node_modules"}
        return sorted(
            str(p.relative_to(repo))
            for p in repo.rglob("*.py")
            if not skip.intersection(p.relative_to(repo).parts)
            and not any(part.startswith(".venv") for part in p.relative_to(repo).parts)
        )


class FileIndex:
    """Finds the file a pytest classname names, given the repository's Python files."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files = frozenset(files)
        self._by_suffix: dict[str, set[str]] = defaultdict(set)
        for path in self.files:
            parts = path.split("/")
            for start in range(len(parts)):
                self._by_suffix["/".join(parts[start:])].add(path)

    def candidates(self, classname: str) -> tuple[str, set[str]]:
        """The module path (relative to rootdir) and the files that end with it."""
        parts = [p for p in classname.split(".") if p]
        for depth in range(len(parts), 0, -1):
            module = "/".join(parts[:depth]) + ".py"
            if module in self._by_suffix:
                return module, self._by_suffix[module]
        return "", set()


def _rootdir(report: Path, modules: Sequence[tuple[str, set[str]]]) -> str | None:
    """The rootdir (a repository prefix such as `backend/`) explaining most of one report's
    tests; ties go to the one the report's name starts with (Pants names a report after the
    address of its first file)."""
    votes: Counter[str] = Counter()
    for module, files in modules:
        for path in files:
            votes[path[: len(path) - len(module)]] += 1
    if not votes:
        return None
    best = max(votes.values())
    tied = sorted(r for r, n in votes.items() if n == best)
    stem = report.name.removeprefix("batch-of-")
    named = [r for r in tied if stem.startswith(r.replace("/", "."))]
    return max(named, key=len) if named else tied[0]


def _properties(testcase: ET.Element) -> list[tuple[str, str]]:
    return [
        (p.get("name", ""), p.get("value", "")) for p in testcase.findall("properties/property")
    ]


def _attempt_count(attempts: Sequence[ET.Element], properties: dict[str, str]) -> int:
    earlier = sum(len(attempts[-1].findall(tag)) for tag in _EARLIER_ATTEMPTS)
    recorded = properties.get(ATTEMPTS_PROPERTY, "1")
    return max(len(attempts) + earlier, int(recorded) if recorded.isdigit() else 1)


def classify(report: Path, attempts: Sequence[ET.Element]) -> tuple[str, int, dict[str, str]]:
    """Outcome, attempts and properties of one test from its `<testcase>` elements, in order."""
    properties: dict[str, str] = {}
    for attempt in attempts:
        properties.update(_properties(attempt))
    final = attempts[-1]
    # The last attempt is the result; earlier ones may say `rerun` (pytest-tiers marks each
    # attempt that failed and was retried), which the count of attempts already reflects.
    declared = dict(_properties(final)).get(OUTCOME_PROPERTY)
    # `passed`, `failed` and `skipped` are accepted and add nothing: the elements decide those.
    if declared is not None and declared not in OUTCOMES:
        raise ReportError(
            str(report),
            f"test {final.get('classname')}::{final.get('name')} has {OUTCOME_PROPERTY}="
            f"{declared!r}; the outcomes are: {', '.join(OUTCOMES)}.",
            f"write one of them (pytest-tiers writes {' or '.join(_PROPERTY_OUTCOMES)}), or none.",
        )
    count = _attempt_count(attempts, properties)
    if final.find("failure") is not None or final.find("error") is not None:
        return "failed", count, properties
    if declared == "quarantined":
        return "quarantined", count, properties
    if final.find("skipped") is not None:
        return "skipped", count, properties
    if declared == "flaky" or count > 1:
        return "flaky", count, properties
    return "passed", count, properties


def _seconds(report: Path, testcase: ET.Element) -> float:
    try:
        return float(testcase.get("time", "0") or 0)
    except ValueError as e:
        raise ReportError(str(report), f"non-numeric time in <testcase> ({e}).", _REWRITE) from e


def read_report(path: Path, index: FileIndex) -> list[TestResult]:
    """The tests of one Pants JUnit report (one pytest process)."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        raise ReportError(str(path), f"not a readable JUnit XML report ({e}).", _REWRITE) from e
    if root.tag not in ("testsuites", "testsuite"):
        raise ReportError(
            str(path),
            f"root element is <{root.tag}>, expected <testsuites> or <testsuite>.",
            _REWRITE,
        )
    grouped: dict[tuple[str, str, str], list[ET.Element]] = {}
    for testcase in root.iter("testcase"):
        key = (testcase.get("file", ""), testcase.get("classname", ""), testcase.get("name", ""))
        grouped.setdefault(key, []).append(testcase)
    modules = {key: index.candidates(key[0][:-3].replace("/", ".") or key[1]) for key in grouped}
    rootdir = _rootdir(path, list(modules.values()))
    results = []
    for key, attempts in grouped.items():
        module, files = modules[key]
        resolved = f"{rootdir}{module}" if rootdir is not None else ""
        if resolved not in index.files:
            resolved = next(iter(files)) if len(files) == 1 else ""
        outcome, count, properties = classify(path, attempts)
        results.append(
            TestResult(
                file=resolved,
                classname=key[1],
                name=key[2],
                outcome=outcome,
                seconds=sum(_seconds(path, a) for a in attempts),
                attempts=count,
                properties=tuple(properties.items()),
                element=attempts[-1],
            )
        )
    return results


def read_directory(directory: Path, index: FileIndex) -> list[TestResult]:
    """Every test under a report directory, in a stable order (file, then test id)."""
    results: list[TestResult] = []
    if directory.is_dir():
        for report in sorted(directory.rglob("*.xml")):
            results.extend(read_report(report, index))
    return sorted(results, key=lambda r: (r.file, r.test_id))


def outcome_counts(results: Iterable[TestResult]) -> Counter[str]:
    counts: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
    counts.update(r.outcome for r in results)
    return counts
