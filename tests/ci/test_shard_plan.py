import pytest
from hypothesis import given
from hypothesis import strategies as st
from shard_plan import ShardSpecError, loads, parse_shard, partition, weights

pytestmark = pytest.mark.unit

durations_st = st.lists(st.floats(min_value=0, max_value=500), max_size=40).map(
    lambda seconds: {f"tests/test_{i}.py": s for i, s in enumerate(seconds)}
)


@given(durations_st, st.integers(min_value=1, max_value=9))
def test_shards_are_disjoint_and_together_hold_every_file(
    weighted: dict[str, float], count: int
) -> None:
    shards = partition(weighted, count)
    assert len(shards) == count
    every = [path for shard in shards for path in shard]
    assert len(every) == len(set(every))
    assert set(every) == set(weighted)


@given(durations_st, st.integers(min_value=1, max_value=9))
def test_longest_shard_is_within_the_greedy_bound(weighted: dict[str, float], count: int) -> None:
    longest = max(loads(weighted, partition(weighted, count)))
    ideal = sum(weighted.values()) / count
    assert longest <= ideal + max(weighted.values(), default=0) + 1e-6


def test_longest_first_onto_the_lightest_shard() -> None:
    weighted = {"a.py": 7, "b.py": 5, "c.py": 4, "d.py": 3, "e.py": 1}
    assert partition(weighted, 2) == [["a.py", "d.py"], ["b.py", "c.py", "e.py"]]
    assert loads(weighted, partition(weighted, 2)) == [10, 10]


def test_the_plan_does_not_depend_on_the_order_files_come_in() -> None:
    weighted = {"a.py": 1.0, "b.py": 1.0, "c.py": 1.0}
    reversed_order = dict(reversed(list(weighted.items())))
    assert partition(weighted, 2) == partition(reversed_order, 2) == [["a.py", "c.py"], ["b.py"]]


def test_files_the_record_lacks_weigh_its_median() -> None:
    record = {"a.py": 1.0, "b.py": 3.0, "c.py": 10.0, "gone.py": 2.0}
    assert weights(["a.py", "c.py", "new.py"], record) == {"a.py": 1.0, "c.py": 10.0, "new.py": 2.5}


@pytest.mark.parametrize("spec", ["2/2", "-1/2", "1", "a/b", "0/0", "1/2/3"])
def test_a_bad_shard_is_an_error_in_the_message_shape(spec: str) -> None:
    with pytest.raises(ShardSpecError, match=r"^--shard: .* is not a shard") as raised:
        parse_shard(spec)
    assert "    fix: pass e.g. --shard 0/2" in str(raised.value)


def test_shards_number_from_zero_as_pants_does() -> None:
    assert str(parse_shard("1/4")) == "1/4"
    assert (parse_shard("0/1").index, parse_shard("0/1").count) == (0, 1)
