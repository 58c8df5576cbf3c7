"""Copies that cannot drift silently: a service that keeps a copy of another service's records
compares it with the source, district by district and kind by kind.

Each side sums up what it holds as a tally per district: how many records, and a checksum of
their keys and versions (order-free: a sum of 64-bit digests). A copy is in line when its tally
equals the source's. A copy always trails its source by what is in flight, so a difference only
counts as divergence when two checks at least the settling time apart saw the same source tally
(the source stood still, and what it announced had time to arrive) and the copy still differed.
Under a steady stream of changes nothing is judged until the district goes quiet, and a lost
message is caught as soon as it does.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from prometheus_client import Gauge
from pydantic import BaseModel, Field

from shared import utcnow
from shared.messaging import every

logger = logging.getLogger("sbe.copies")

COPIES_DIVERGED = Gauge(
    "sbe_copies_diverged",
    "Districts whose copy of a source's records has differed from the source for longer than "
    "the settling time, by service, source and kind (0: in line).",
    ["service", "source", "kind"],
)
COPIES_CHECKED = Gauge(
    "sbe_copies_checked_timestamp_seconds",
    "When the service last compared its copies with their sources.",
    ["service"],
)

_MOD = 2**64


class Tally(BaseModel):
    """What one side holds of one kind in one district."""

    count: int = Field(description="Records.")
    checksum: str = Field(description="Sum of the records' key-and-version digests (hex).")


# kind → district → tally
Tallies = dict[str, dict[str, Tally]]


def _version(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


def tally(rows: Iterable[tuple[str | None, str, object]]) -> dict[str, Tally]:
    """(district, key, version) rows → a tally per district (`-` for records of no district).
    Datetimes count by their instant, whatever zone they come in."""
    counts: dict[str, int] = {}
    sums: dict[str, int] = {}
    for district, key, version in rows:
        where = district or "-"
        digest = hashlib.blake2b(f"{key}\x1f{_version(version)}".encode(), digest_size=8)
        counts[where] = counts.get(where, 0) + 1
        sums[where] = (sums.get(where, 0) + int.from_bytes(digest.digest(), "big")) % _MOD
    return {d: Tally(count=counts[d], checksum=f"{sums[d]:016x}") for d in counts}


def movement_version(version: int, withdrawn: bool) -> str:
    """A movement record's version as its source and its copies tally it."""
    return f"{version}-withdrawn" if withdrawn else str(version)


def tally_building_years(
    rows: Iterable[tuple[str | None, str, int, int, str | None]],
) -> dict[str, Tally]:
    """(district, building, year, tax cents, occupancy month) rows → a tally per district, as the
    source of building-years (monitoring) and every copy of them tally them: a building-year is
    keyed `building|year` and its version is its tax and the month its occupancy is read from."""
    return tally(
        (district, f"{building}|{year}", f"{tax_cents}@{occupancy_period or '-'}")
        for district, building, year, tax_cents, occupancy_period in rows
    )


class SourceTallies(BaseModel):
    """A source service's tallies of what it announces, as its fingerprints endpoint answers."""

    service: str = Field(description="The source service.")
    kinds: Tallies = Field(description="kind → district → tally.")


class CopyLine(BaseModel):
    """One kind in one district: the source's tally beside the copy's."""

    source: str = Field(description="The service the records come from.")
    kind: str = Field(description="What is copied (buildings, movements, events, building-years).")
    district_id: str = Field(description="District (`-`: records of no district).")
    source_count: int = Field(description="Records the source holds.")
    copy_count: int = Field(description="Records the copy holds.")
    state: Literal["in_line", "settling", "diverged"] = Field(
        description="in_line: equal; settling: different, still within the settling time or "
        "while the source changes; diverged: different for longer than the settling time."
    )
    since: datetime | None = Field(description="When the difference was first seen.")


class CopyReport(BaseModel):
    """A service's last comparison of its copies with their sources."""

    service: str = Field(description="The service keeping the copies.")
    checked_at: datetime | None = Field(description="When; null before the first check.")
    settle_seconds: float = Field(description="The settling time.")
    diverged: int = Field(description="Lines diverged.")
    unreachable: list[str] = Field(description="Sources that could not be asked this time.")
    lines: list[CopyLine] = Field(description="Every kind and district either side holds.")


@dataclass(frozen=True)
class Source:
    """A service whose records this one copies: how to ask for its tallies, and which kinds."""

    name: str
    kinds: tuple[str, ...]
    fetch: Callable[[], Awaitable[Tallies]]


@dataclass
class _Seen:
    source: Tally | None
    since: datetime


class CopyWatch:
    """Compares a service's copies with their sources now and then; keeps the last report and
    the `sbe_copies_diverged` gauge."""

    def __init__(
        self,
        service: str,
        sources: list[Source],
        own: Callable[[], Awaitable[Tallies]],
        *,
        settle_seconds: float,
        interval_seconds: float,
    ) -> None:
        self.service = service
        self.sources = sources
        self.own = own
        self.settle = settle_seconds
        self.interval = interval_seconds
        self._seen: dict[tuple[str, str, str], _Seen] = {}
        self._lock = asyncio.Lock()
        self.report = CopyReport(
            service=service,
            checked_at=None,
            settle_seconds=settle_seconds,
            diverged=0,
            unreachable=[],
            lines=[],
        )
        for source in sources:
            for kind in source.kinds:
                COPIES_DIVERGED.labels(service, source.name, kind).set(0)

    def running(self) -> AbstractAsyncContextManager[None]:
        """A check every interval for the span of the block; a failed one is logged and tried
        again the next time."""
        return every(self.interval, self.check, name=f"{self.service}-copies")

    async def check(self) -> CopyReport:
        """Compare every copied kind with its source now."""
        async with self._lock:
            ours = await self.own()
            lines: list[CopyLine] = []
            unreachable: list[str] = []
            now = utcnow()
            for source in self.sources:
                try:
                    theirs = await source.fetch()
                except Exception as exc:
                    logger.warning("%s: cannot ask %s: %s", self.service, source.name, exc)
                    unreachable.append(source.name)
                    continue
                for kind in source.kinds:
                    found = self._compare(source.name, kind, theirs.get(kind, {}), ours, now)
                    lines.extend(found)
                    COPIES_DIVERGED.labels(self.service, source.name, kind).set(
                        sum(line.state == "diverged" for line in found)
                    )
            COPIES_CHECKED.labels(self.service).set(now.timestamp())
            self.report = CopyReport(
                service=self.service,
                checked_at=now,
                settle_seconds=self.settle,
                diverged=sum(line.state == "diverged" for line in lines),
                unreachable=unreachable,
                lines=lines,
            )
            return self.report

    def _compare(
        self, source: str, kind: str, theirs: dict[str, Tally], ours: Tallies, now: datetime
    ) -> list[CopyLine]:
        copy = ours.get(kind, {})
        lines = []
        for district in sorted(set(theirs) | set(copy)):
            key = (source, kind, district)
            them, us = theirs.get(district), copy.get(district)
            state: Literal["in_line", "settling", "diverged"] = "in_line"
            since = None
            if them != us:
                seen = self._seen.get(key)
                if seen is None or seen.source != them:
                    seen = self._seen[key] = _Seen(them, now)
                settled = (now - seen.since).total_seconds() >= self.settle
                state = "diverged" if settled and seen.since < now else "settling"
                since = seen.since
            else:
                self._seen.pop(key, None)
            lines.append(
                CopyLine(
                    source=source,
                    kind=kind,
                    district_id=district,
                    source_count=them.count if them else 0,
                    copy_count=us.count if us else 0,
                    state=state,
                    since=since,
                )
            )
        return lines
