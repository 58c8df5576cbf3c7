"""`batched`, as Python 3.12's itertools has it (the platform runs on 3.11): one helper for
every multi-row statement instead of hand-made chunk loops; and `newest_by`, the newest item of
each key in a batch."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def batched(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Successive tuples of `size` items (the last may be shorter)."""
    if size < 1:
        raise ValueError("size must be at least one")
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


def newest_by(items: Iterable[T], key: Callable[[T], K], stamp: Callable[[T], Any]) -> dict[K, T]:
    """Each key's item of the greatest stamp; of two equally new, the later one."""
    newest: dict[K, T] = {}
    for item in items:
        k = key(item)
        kept = newest.get(k)
        if kept is None or stamp(kept) <= stamp(item):
            newest[k] = item
    return newest
