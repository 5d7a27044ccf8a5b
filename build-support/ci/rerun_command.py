"""The command that re-runs one test through Pants: `./pants test FILE -- -k EXPRESSION`.

Pants passes what follows `--` to pytest, and runs FILE alone. pytest's `-k` matches words
(case-insensitive substrings) of a test's name and its parents' names; a word may contain
letters, digits, `_ : + - . [ ] \\ /` (pytest's `-k` grammar), so `test_p[c[d]]` is one word.
A parametrized id with other characters (`test_p[a b-c=d]`) is spelled as its words joined by
`and` (`test_p[a and b-c and d]`): still that test, and only tests whose names contain all of
them. Class names come first (`TestRetry and test_backoff`).
"""

from __future__ import annotations

import re
import shlex

from junit_report import TestResult

_WORD = re.compile(r"(?:\w|:|\+|-|\.|\[|\]|\\|/)+")
_KEYWORDS = frozenset({"and", "or", "not", "True", "False", "None"})


def keyword_expression(result: TestResult) -> str:
    words = [*result.class_names, *_WORD.findall(result.name)]
    return " and ".join(w for w in words if w not in _KEYWORDS)


def rerun_command(result: TestResult, tier: str) -> str:
    """The launcher command that re-runs just this test (the whole tier's files when the
    report named no repository file)."""
    expression = shlex.quote(keyword_expression(result))
    if result.file:
        return f"./pants test {shlex.quote(result.file)} -- -k {expression}"
    return f"./pants --tag={shlex.quote(tier)} test :: -- -k {expression}"
