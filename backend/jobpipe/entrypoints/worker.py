"""The worker process: `python -m jobpipe.entrypoints.worker`.

Settings come from `JOBPIPE_*` variables; SIGTERM or SIGINT stops it after the current job.
The loop itself lives in `worker_loop.py`, free of any adapter.
"""

from __future__ import annotations

from jobpipe.entrypoints.composition import worker_main

if __name__ == "__main__":
    worker_main()
