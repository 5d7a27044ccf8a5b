"""Use cases on users: register (returning the only copy of the API key), authenticate."""

from __future__ import annotations

from jobpipe.domain.usage_policy import Plan
from jobpipe.domain.users import User, api_key_matches, generate_api_key, hash_api_key
from jobpipe.service_layer.errors import Conflict
from jobpipe.service_layer.ports import UnitOfWork


async def register_user(
    uow: UnitOfWork, *, name: str, plan: Plan, beta: bool = False
) -> tuple[User, str]:
    """Create a user; the plain API key is returned once and never stored."""
    api_key = generate_api_key()
    user = User(name=name, plan=plan, api_key_hash=hash_api_key(api_key), beta=beta)
    async with uow:
        try:
            await uow.users.add(user)
            await uow.commit()
        except Exception as exc:  # unique violation on the name, whatever the adapter's type
            raise Conflict(f"could not register user {name!r}: {exc}") from exc
    return user, api_key


async def authenticate(uow: UnitOfWork, api_key: str) -> User | None:
    """The user owning `api_key`, or None. The lookup is by digest; the final check is
    constant-time, so timing reveals nothing about stored digests."""
    digest = hash_api_key(api_key)
    async with uow:
        user = await uow.users.get_by_api_key_hash(digest)
    if user is None or not api_key_matches(api_key, user.api_key_hash):
        return None
    return user
