"""A small per-process LRU cache with a time limit, for derived data only.

Keys carry everything the value depends on (round id, creation time, answers
version, closing and publication state), so a change in the database makes a
new key; the time limit bounds how stale slowly-changing context (the opt-in
benchmark) can get. Each gunicorn worker keeps its own copy.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

T = TypeVar("T")
# Every cache made in this process, so clear_all() reaches them without the
# services importing the views that own some of them.
_ALL: weakref.WeakSet[TimedLRU] = weakref.WeakSet()


class TimedLRU(Generic[T]):
    def __init__(self, size: int, ttl_seconds: float) -> None:
        self._size = size
        self._ttl = ttl_seconds
        self._items: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()
        _ALL.add(self)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self._ttl:
                self._items.move_to_end(key)
                return hit[1]
        value = compute()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def clear_all() -> None:
    """Empty every cache of the plugin (results and rendered pages alike)."""
    for cache in list(_ALL):
        cache.clear()
