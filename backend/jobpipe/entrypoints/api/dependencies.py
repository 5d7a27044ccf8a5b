"""Request dependencies: the ports the app was started with, and the calling user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from jobpipe.domain.users import User
from jobpipe.service_layer.ports import Ports
from jobpipe.service_layer.users import authenticate

_bearer = HTTPBearer(auto_error=False)


def get_ports(request: Request) -> Ports:
    return request.app.state.ports


async def current_user(
    ports: Annotated[Ports, Depends(get_ports)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """401 for a missing, malformed or unknown key; never says which."""
    user = None
    if credentials is not None and credentials.scheme.lower() == "bearer":
        user = await authenticate(ports.uow_factory(), credentials.credentials)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or invalid API key; send 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


PortsDep = Annotated[Ports, Depends(get_ports)]
UserDep = Annotated[User, Depends(current_user)]
