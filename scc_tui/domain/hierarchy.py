"""The area hierarchy's depth limit, and a bounded view of any parent map.

The deepest real hierarchy is region > ICS > system > council or provider > local-authority area (five
levels); :data:`MAX_DEPTH` leaves room to spare. An areas file nested deeper is refused on import. A
database may still hold a deeper chain (or a cycle) written by hand or by an older version: every view
walks :func:`bounded_parents` instead of the raw parent ids, so nothing recurses without bound and no area
is hidden (an area past the limit, or in a cycle, is shown from the top level).
"""

from __future__ import annotations

from typing import Hashable, Mapping, TypeVar

__all__ = ["MAX_DEPTH", "bounded_parents", "depths"]

MAX_DEPTH = 8

K = TypeVar("K", bound=Hashable)


def _climb(start: K, parent_of: Mapping[K, K | None], done: Mapping[K, int]) -> tuple[list[K], K | None]:
    """The keys from ``start`` upwards until a root, a missing parent, a key already in ``done`` or a
    cycle closes; and where the climb stopped (None at a root or missing parent)."""
    path: list[K] = []
    on_path: set[K] = set()
    n: K | None = start
    while n is not None and n in parent_of and n not in done and n not in on_path:
        path.append(n)
        on_path.add(n)
        n = parent_of[n]
    return path, n


def bounded_parents(parent_of: Mapping[K, K | None], max_depth: int = MAX_DEPTH) -> dict[K, K | None]:
    """Each key's parent as a view should use it: a missing parent becomes None (a root), a cycle is cut
    (one of its members becomes a root), and an area that would sit deeper than ``max_depth`` levels is
    lifted to the top level. Iterative; O(n)."""
    depth: dict[K, int] = {}
    out: dict[K, K | None] = {}
    for start in parent_of:
        if start in depth:
            continue
        path, n = _climb(start, parent_of, depth)
        above: K | None = n if (n is not None and n in depth) else None  # None: a root, missing parent, or cycle
        for node in reversed(path):
            if above is None or depth[above] + 1 >= max_depth:
                out[node], depth[node] = None, 0
            else:
                out[node], depth[node] = above, depth[above] + 1
            above = node
    return out


def depths(parent_of: Mapping[K, K | None]) -> dict[K, int]:
    """Depth of each key (0 for a root) in the raw map, without recursion; a key in a cycle or below one
    gets the length of the chain up to where the cycle closes."""
    depth: dict[K, int] = {}
    for start in parent_of:
        if start in depth:
            continue
        path, n = _climb(start, parent_of, depth)
        d = depth[n] if (n is not None and n in depth) else -1
        for node in reversed(path):
            d += 1
            depth[node] = d
    return depth
