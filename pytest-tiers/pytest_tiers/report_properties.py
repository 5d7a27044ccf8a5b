"""The JUnit testcase properties pytest-tiers writes (through `item.user_properties`, as
`record_property` does), declared once: the reports read them to tell a flaky or quarantined
test from a plain pass or skip.

pytest's junitxml writes one `<testcase>` per attempt when pytest-rerunfailures retries a test;
an attempt that was retried has no `<failure>` element, so it carries OUTCOME = RERUN, and the
last `<testcase>` of the test is its result.
"""

from __future__ import annotations

OUTCOME = "tiers.outcome"
# Values of OUTCOME. A plain pass, failure or skip carries none.
FLAKY = "flaky"  # passed after failing: not a pass
RERUN = "rerun"  # an attempt that failed and was retried; a later testcase is the result
FAILED = "failed"  # failed on every attempt it was given (only where it had several)
QUARANTINED = "quarantined"

# How many attempts the test took (on FLAKY, and on FAILED after several attempts), and which
# attempt a RERUN testcase was.
ATTEMPTS = "tiers.attempts"
ATTEMPT = "tiers.attempt"

QUARANTINE_REASON = "tiers.quarantine.reason"
QUARANTINE_UNTIL = "tiers.quarantine.until"  # YYYY-MM-DD
QUARANTINE_ISSUE = "tiers.quarantine.issue"  # only when the mark names one
# With --tiers-quarantine=run: what the quarantined test did ("passed" or "failed"), which does
# not fail the session.
QUARANTINE_RESULT = "tiers.quarantine.result"
