"""`batched`, as Python 3.12's itertools has it (the platform runs on 3.11): one helper for
every multi-row statement instead of hand-made chunk loops."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Successive tuples of `size` items (the last may be shorter)."""
    if size < 1:
        raise ValueError("size must be at least one")
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk
