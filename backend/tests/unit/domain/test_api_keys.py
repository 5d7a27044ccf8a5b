import pytest

from jobpipe.domain.users import API_KEY_PREFIX, api_key_matches, generate_api_key, hash_api_key

pytestmark = pytest.mark.unit


def test_generated_keys_are_prefixed_and_unique() -> None:
    keys = {generate_api_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(key.startswith(API_KEY_PREFIX) and len(key) > 40 for key in keys)


def test_the_stored_digest_is_not_the_key() -> None:
    key = generate_api_key()
    digest = hash_api_key(key)
    assert key not in digest
    assert len(digest) == 64


def test_only_the_right_key_matches_its_digest() -> None:
    key = generate_api_key()
    digest = hash_api_key(key)
    assert api_key_matches(key, digest)
    assert not api_key_matches(key + "x", digest)
    assert not api_key_matches(generate_api_key(), digest)
