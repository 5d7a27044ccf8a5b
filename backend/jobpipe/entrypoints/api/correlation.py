"""Correlation ids: every request gets one (the caller's, if well-formed), echoed in the
response and attached to log records, so a user's report can be matched to server logs."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

# Starlette ships with FastAPI (it is not a requirement of its own, so Pants cannot map it).
from starlette.datastructures import MutableHeaders  # pants: no-infer-dep
from starlette.types import ASGIApp, Message, Receive, Scope, Send  # pants: no-infer-dep

CORRELATION_HEADER = "X-Correlation-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

correlation_id: ContextVar[str] = ContextVar("correlation_id", default="-")


class CorrelationIdMiddleware:
    """Pure ASGI middleware (no BaseHTTPMiddleware), so streaming and lifespan are untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = (
            dict(scope["headers"]).get(CORRELATION_HEADER.lower().encode(), b"").decode("latin-1")
        )
        value = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        token = correlation_id.set(value)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[CORRELATION_HEADER] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            correlation_id.reset(token)


class CorrelationIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        return True
