"""Merge a tier's JUnit reports (one per pytest process, as Pants writes them) into one file.

The merged report has one `<testsuite>` per test file (name = the file's repository path) and one
`<testcase>` per test, with its `file`, its `time` (all attempts together) and its last attempt's
children (`<failure>`, `<skipped>`, output). Besides the standard counts (`tests`, `failures`,
`errors`, `skipped`: testcases with that element) every suite and the root carry `passed`,
`failed` (failures and errors), `flaky` and `quarantined` (junit_report.py says how each is read;
a quarantined test that was skipped counts in `skipped` too). Properties are kept; a test found flaky from repeated `<testcase>` records (pytest-
rerunfailures) gets `tiers.outcome=flaky` and `tiers.attempts=N`, as pytest-tiers writes them.

Usage: junit_merge.py --tier TIER --reports DIR [--output FILE] [--repo DIR]
  default output: DIR + ".xml" (dist/test/reports/unit -> dist/test/reports/unit.xml)
"""

from __future__ import annotations

import argparse
import copy
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

import pytest_tiers_on_path  # noqa: F401  (before the modules that import pytest_tiers)
from junit_report import (
    ATTEMPTS_PROPERTY,
    OUTCOME_PROPERTY,
    OUTCOMES,
    FileIndex,
    ReportError,
    TestResult,
    outcome_counts,
    python_files,
    read_directory,
)

from pytest_tiers.messages import render


def default_output(reports: Path) -> Path:
    return reports.with_name(reports.name + ".xml")


def _set_counts(element: ET.Element, results: list[TestResult]) -> None:
    counts = outcome_counts(results)
    element.set("tests", str(len(results)))
    element.set("failures", str(sum(r.element.find("failure") is not None for r in results)))
    element.set(
        "errors",
        str(
            sum(
                r.element.find("failure") is None and r.element.find("error") is not None
                for r in results
            )
        ),
    )
    element.set("skipped", str(sum(r.element.find("skipped") is not None for r in results)))
    element.set("time", f"{sum(r.seconds for r in results):.3f}")
    # `skipped` stays the standard count (a <skipped> element, quarantined tests included).
    for outcome in OUTCOMES:
        if outcome != "skipped":
            element.set(outcome, str(counts[outcome]))


def _testcase(result: TestResult) -> ET.Element:
    testcase = ET.Element("testcase")
    testcase.set("classname", result.classname)
    testcase.set("name", result.name)
    if result.file:
        testcase.set("file", result.file)
    testcase.set("time", f"{result.seconds:.3f}")
    properties = dict(result.properties)
    if result.outcome == "flaky" and OUTCOME_PROPERTY not in properties:
        properties[OUTCOME_PROPERTY] = "flaky"
    if result.attempts > 1:
        properties[ATTEMPTS_PROPERTY] = str(result.attempts)
    if properties:
        holder = ET.SubElement(testcase, "properties")
        for name, value in properties.items():
            ET.SubElement(holder, "property", name=name, value=value)
    for child in result.element:
        if child.tag != "properties":
            testcase.append(copy.deepcopy(child))
    return testcase


def merged_tree(tier: str, results: Iterable[TestResult]) -> ET.ElementTree:
    """One `<testsuites name=TIER>` holding a `<testsuite>` per file, in path order."""
    ordered = sorted(results, key=lambda r: (r.file or r.classname, r.test_id))
    root = ET.Element("testsuites", name=tier)
    _set_counts(root, ordered)
    for file, group in groupby(ordered, key=lambda r: r.file or r.classname):
        members = list(group)
        suite = ET.SubElement(root, "testsuite", name=file)
        _set_counts(suite, members)
        suite.extend(_testcase(r) for r in members)
    ET.indent(root)
    return ET.ElementTree(root)


def write_merged(tier: str, results: Iterable[TestResult], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    merged_tree(tier, results).write(output, encoding="utf-8", xml_declaration=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", required=True, help="the tier, the merged report's name")
    parser.add_argument("--reports", type=Path, required=True, help="Pants' report directory")
    parser.add_argument("--output", type=Path, help="merged report (default: DIR.xml)")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="repository (default: .)")
    args = parser.parse_args(argv)
    output = args.output or default_output(args.reports)
    try:
        results = read_directory(args.reports, FileIndex(python_files(args.repo)))
    except ReportError as e:
        print(e, file=sys.stderr)
        return 2
    write_merged(args.tier, results, output)
    unresolved = sorted({r.classname for r in results if not r.file})
    if unresolved:
        print(
            render(
                str(output),
                f"no repository file matches the pytest classname(s) {', '.join(unresolved)}; "
                "those tests are listed under their classname.",
                f"run this from the repository root that ran the tests (--repo {args.repo}).",
            ),
            file=sys.stderr,
        )
    print(f"{args.tier}: merged {len(results)} test(s) into {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
