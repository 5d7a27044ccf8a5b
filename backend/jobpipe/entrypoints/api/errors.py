"""Maps use-case errors to HTTP responses, one status per error, each with a clear message."""

from __future__ import annotations

import math

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from jobpipe.domain.jobs import IllegalTransition
from jobpipe.domain.usage_policy import LimitExceeded
from jobpipe.service_layer.errors import Conflict, GateBlocked, NotFound
from jobpipe.service_layer.ports import Ports


def _describe(error: dict) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{location}: {error['msg']}" if location else str(error["msg"])


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={
            "detail": "invalid request: " + "; ".join(_describe(e) for e in errors),
            "errors": [
                {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e["msg"]}
                for e in errors
            ],
        },
    )


async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
    return JSONResponse(status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(exc)})


async def _conflict(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=status.HTTP_409_CONFLICT, content={"detail": str(exc)})


async def _gate_blocked(request: Request, exc: GateBlocked) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_409_CONFLICT,
        content={"detail": str(exc), "reasons": list(exc.decision.reasons)},
    )


async def _limit_exceeded(request: Request, exc: LimitExceeded) -> JSONResponse:
    headers = {}
    if exc.resets_at is not None:
        ports: Ports = request.app.state.ports
        wait = (exc.resets_at - ports.clock()).total_seconds()
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return JSONResponse(
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        headers=headers,
        content={
            "detail": exc.message,
            "limit": exc.kind.value,
            "max": exc.limit,
            "resets_at": exc.resets_at.isoformat() if exc.resets_at else None,
        },
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(NotFound, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(Conflict, _conflict)
    app.add_exception_handler(IllegalTransition, _conflict)
    app.add_exception_handler(GateBlocked, _gate_blocked)  # type: ignore[arg-type]
    app.add_exception_handler(LimitExceeded, _limit_exceeded)  # type: ignore[arg-type]
