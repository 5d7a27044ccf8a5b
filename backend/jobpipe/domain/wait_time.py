"""Estimating how long a newly queued job will wait before a worker starts it.

A deliberately simple model: the jobs ahead of it are drained by `workers` in parallel, each
taking the median of recent durations (the median ignores the odd runaway job).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

# Used until any job has finished, so the first estimate is not zero.
DEFAULT_JOB_SECONDS = 30.0


def estimate_wait_seconds(
    queue_depth: int, recent_durations: Sequence[float], workers: int = 1
) -> float:
    if queue_depth < 0:
        raise ValueError("queue depth cannot be negative")
    if workers < 1:
        raise ValueError("at least one worker is needed to estimate a wait")
    if queue_depth == 0:
        return 0.0
    typical = statistics.median(recent_durations) if recent_durations else DEFAULT_JOB_SECONDS
    rounds = math.ceil(queue_depth / workers)
    return rounds * typical
