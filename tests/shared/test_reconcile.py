"""The tally of a copy against its source, and when a difference counts as divergence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from policy import CopyWatch, Source, Tallies, tally

rows = st.lists(
    st.tuples(st.sampled_from(["gusu", "sip", None]), st.text(max_size=8), st.integers(0, 5)),
    max_size=30,
    unique_by=lambda row: row[1],
)


class TestTally:
    @given(rows=rows, seed=st.randoms())
    def test_does_not_depend_on_the_order_of_the_records(self, rows: list, seed) -> None:
        shuffled = list(rows)
        seed.shuffle(shuffled)
        assert tally(shuffled) == tally(rows)

    def test_counts_per_district_and_tells_versions_apart(self) -> None:
        one = tally([("gusu", "b1", 1), ("gusu", "b2", 1), (None, "e1", 1)])
        assert {d: t.count for d, t in one.items()} == {"gusu": 2, "-": 1}
        assert tally([("gusu", "b1", 2), ("gusu", "b2", 1)])["gusu"] != one["gusu"]

    def test_an_instant_counts_the_same_in_any_zone(self) -> None:
        at = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
        beijing = at.astimezone(timezone(timedelta(hours=8)))
        assert tally([("gusu", "b1", at)]) == tally([("gusu", "b1", beijing)])


class Sides:
    """A source and a copy whose tallies a test sets."""

    def __init__(self) -> None:
        self.source: Tallies = {"movements": {}}
        self.copy: Tallies = {"movements": {}}

    async def theirs(self) -> Tallies:
        return self.source

    async def ours(self) -> Tallies:
        return self.copy


def watch(sides: Sides, settle: float) -> CopyWatch:
    source = Source("registry", ("movements",), sides.theirs)
    return CopyWatch("evaluation", [source], sides.ours, settle_seconds=settle, interval_seconds=60)


class TestCopyWatch:
    async def test_a_difference_that_stays_while_the_source_stands_still_is_divergence(
        self,
    ) -> None:
        sides = Sides()
        sides.source["movements"] = tally([("gusu", "m1", 1), ("gusu", "m2", 1)])
        sides.copy["movements"] = tally([("gusu", "m1", 1)])
        checker = watch(sides, settle=0)
        first = await checker.check()
        assert [(line.district_id, line.state) for line in first.lines] == [("gusu", "settling")]
        second = await checker.check()
        assert [(line.state, line.source_count, line.copy_count) for line in second.lines] == [
            ("diverged", 2, 1)
        ]
        assert second.diverged == 1

    async def test_a_source_that_keeps_changing_is_not_judged(self) -> None:
        sides = Sides()
        checker = watch(sides, settle=0)
        for n in range(1, 5):
            sides.source["movements"] = tally([("sip", f"m{i}", 1) for i in range(n + 1)])
            sides.copy["movements"] = tally([("sip", f"m{i}", 1) for i in range(n)])
            report = await checker.check()
            assert [line.state for line in report.lines] == ["settling"]

    async def test_a_copy_that_catches_up_is_in_line(self) -> None:
        sides = Sides()
        sides.source["movements"] = tally([("gusu", "m1", 1)])
        checker = watch(sides, settle=0)
        await checker.check()
        sides.copy["movements"] = tally([("gusu", "m1", 1)])
        report = await checker.check()
        assert [(line.state, line.since) for line in report.lines] == [("in_line", None)]

    async def test_within_the_settling_time_a_difference_is_only_settling(self) -> None:
        sides = Sides()
        sides.source["movements"] = tally([("gusu", "m1", 1)])
        checker = watch(sides, settle=3600)
        await checker.check()
        report = await checker.check()
        assert [line.state for line in report.lines] == ["settling"]

    async def test_an_unreachable_source_is_named_not_judged(self) -> None:
        async def away() -> Tallies:
            raise OSError("connection refused")

        sides = Sides()
        source = Source("registry", ("movements",), away)
        checker = CopyWatch(
            "evaluation", [source], sides.ours, settle_seconds=0, interval_seconds=60
        )
        report = await checker.check()
        assert (report.unreachable, report.lines) == (["registry"], [])
