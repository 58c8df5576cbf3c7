"""`newest_by`: the newest item of each key in a batch, whatever order the batch holds them in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared import newest_by

Item = tuple[str, int, int]  # key, stamp, position in the batch

batches = st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 3)), max_size=30).map(
    lambda pairs: [(key, stamp, position) for position, (key, stamp) in enumerate(pairs)]
)


@given(batches)
def test_each_key_keeps_its_newest_item_and_the_later_of_equals(batch: list[Item]) -> None:
    newest = newest_by(batch, lambda item: item[0], lambda item: item[1])
    assert set(newest) == {key for key, _, _ in batch}
    for key, (_, stamp, position) in newest.items():
        rivals = [item for item in batch if item[0] == key]
        assert stamp == max(s for _, s, _ in rivals)
        assert position == max(p for _, s, p in rivals if s == stamp)
