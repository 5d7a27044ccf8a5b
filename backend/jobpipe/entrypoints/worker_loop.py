"""The worker loop: takes leased jobs off the queue, runs them, acknowledges them.

While a job runs, a heartbeat extends its lease; if the process dies the heartbeat stops, the
lease expires, and any worker's next `reap_expired` redelivers the job. The loop only sees
ports (`Ports`), so unit tests drive it on fakes; the process around it is `worker.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid

from jobpipe.service_layer.ports import Ports
from jobpipe.service_layer.run_job import RunResult, run_job

log = logging.getLogger(__name__)


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Worker:
    def __init__(
        self,
        ports: Ports,
        *,
        worker_id: str,
        lease_seconds: float = 30.0,
        poll_seconds: float = 1.0,
    ) -> None:
        self._ports = ports
        self.worker_id = worker_id
        self._lease_seconds = lease_seconds
        self._poll_seconds = poll_seconds

    async def _heartbeat(self, job_id: uuid.UUID) -> None:
        while True:
            await asyncio.sleep(self._lease_seconds / 3)
            held = await self._ports.queue.extend_lease(
                job_id, self.worker_id, self._lease_seconds
            )
            if not held:
                log.warning("worker %s lost the lease on job %s", self.worker_id, job_id)
                return

    async def run_once(self) -> RunResult | None:
        """Redeliver expired leases, then take and run at most one job."""
        queue = self._ports.queue
        redelivered = await queue.reap_expired()
        if redelivered:
            log.warning("redelivering jobs whose workers were lost: %s", redelivered)
        message = await queue.pop(
            self.worker_id, lease_seconds=self._lease_seconds, timeout=self._poll_seconds
        )
        if message is None:
            return None
        log.info("worker %s took job %s", self.worker_id, message.job_id)
        heartbeat = asyncio.create_task(self._heartbeat(message.job_id))
        try:
            result = await run_job(
                uow_factory=self._ports.uow_factory,
                runner=self._ports.runner,
                job_id=message.job_id,
                clock=self._ports.clock,
            )
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        await queue.ack(message.job_id, self.worker_id)
        if result.job is not None and result.job.state.is_terminal:
            await self._ports.limiter.release(result.job.owner_id, str(message.job_id))
        log.info("job %s: %s", message.job_id, result.outcome.value)
        return result

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set; the current job always finishes first."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:  # a lost connection must not end the worker; retry shortly
                log.exception("worker %s: iteration failed", self.worker_id)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self._poll_seconds)
