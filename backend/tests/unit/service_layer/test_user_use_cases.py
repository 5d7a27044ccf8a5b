import pytest

from jobpipe.domain.usage_policy import Plan
from jobpipe.service_layer.errors import Conflict
from jobpipe.service_layer.users import authenticate, register_user
from tests.unit.fakes import FakeWorld

pytestmark = pytest.mark.unit


async def test_registered_key_authenticates_its_user(world: FakeWorld) -> None:
    user, api_key = await register_user(world.uow(), name="ann", plan=Plan.PRO, beta=True)
    found = await authenticate(world.uow(), api_key)
    assert found is not None and found.id == user.id
    assert (found.plan, found.beta) == (Plan.PRO, True)


async def test_the_plain_key_is_never_stored(world: FakeWorld) -> None:
    _, api_key = await register_user(world.uow(), name="ann", plan=Plan.FREE)
    stored = next(iter(world.store.users.values()))
    assert api_key not in repr(stored)


@pytest.mark.parametrize("presented", ["", "jp_wrong", "Bearer x"])
async def test_unknown_keys_authenticate_nobody(world: FakeWorld, presented: str) -> None:
    await register_user(world.uow(), name="ann", plan=Plan.FREE)
    assert await authenticate(world.uow(), presented) is None


async def test_duplicate_names_are_a_conflict(world: FakeWorld) -> None:
    await register_user(world.uow(), name="ann", plan=Plan.FREE)
    with pytest.raises(Conflict, match="ann"):
        await register_user(world.uow(), name="ann", plan=Plan.TEAM)
    assert len(world.store.users) == 1
