"""Which area a name typed by a user means: one rule for the log filter (TUI ``area:`` and
``scc log list --area``) and for naming areas on an entry (the decision form, ``scc log add --area``).

Pure: it works over a list of :class:`AreaRef` that the store reads (``store.areas.area_refs``).

A name matches, ignoring case and runs of spaces, in this order; the first rule that finds anything
decides, and if it finds more than one area the name is ambiguous (an error naming the candidates):

1. the area's full name (``QEQM Hospital``, ``East Kent``);
2. its short name (``QEQM``, ``K&M ICS``);
3. its plan area, the name the KCC ASC plan uses for it (``Swale`` is ``KCC Swale``);
4. the start of its full or short name (``qeqm h``, ``william``).

A filter by area also includes every area under it (:func:`area_and_below`: East Kent → QEQM).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

__all__ = ["AreaRef", "AreaMatchError", "match_area", "begins_a_name", "area_and_below", "filter_names"]


@dataclass(frozen=True)
class AreaRef:
    """What matching needs to know of an area (names only; ``parent`` is the parent's name)."""

    name: str
    short_name: str | None = None
    parent: str | None = None
    plan_area: str | None = None


class AreaMatchError(ValueError):
    """A name that is no area, or could be several; the message is one line."""


def _norm(s: str | None) -> str:
    return " ".join((s or "").split()).casefold()


def match_area(query: str, areas: Sequence[AreaRef]) -> AreaRef:
    """The one area ``query`` names (rules in the module docstring); :class:`AreaMatchError` if none
    or several."""
    q = _norm(query)
    if not q:
        raise AreaMatchError("give an area name")
    rules: tuple[Callable[[AreaRef], bool], ...] = (
        lambda a: _norm(a.name) == q,
        lambda a: bool(a.short_name) and _norm(a.short_name) == q,
        lambda a: bool(a.plan_area) and _norm(a.plan_area) == q,
        lambda a: _norm(a.name).startswith(q) or (bool(a.short_name) and _norm(a.short_name).startswith(q)),
    )
    for rule in rules:
        hits = [a for a in areas if rule(a)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            names = [a.name for a in hits]
            shown = ", ".join(names[:5]) + (f" (+{len(names) - 5} more)" if len(names) > 5 else "")
            raise AreaMatchError(f"area {query.strip()!r} could be {shown}; type more of the name")
    raise AreaMatchError(f"unknown area {query.strip()!r} (see `scc areas list`)")


def begins_a_name(text: str, areas: Sequence[AreaRef]) -> bool:
    """True when ``text`` is the start of some area's full, short or plan-area name (ignoring case
    and runs of spaces): how the log filter reads ``area:east kent`` typed without quotes."""
    t = _norm(text)
    return bool(t) and any(_norm(n).startswith(t) for a in areas for n in (a.name, a.short_name, a.plan_area) if n)


def area_and_below(name: str, areas: Sequence[AreaRef]) -> tuple[str, ...]:
    """``name`` and every area under it (children, their children, ...), in the list's order after
    ``name``. Safe against a parent cycle."""
    children: dict[str, list[str]] = {}
    for a in areas:
        if a.parent is not None:
            children.setdefault(_norm(a.parent), []).append(a.name)
    out: list[str] = [name]
    seen = {_norm(name)}
    i = 0
    while i < len(out):
        for child in children.get(_norm(out[i]), ()):
            if _norm(child) not in seen:
                seen.add(_norm(child))
                out.append(child)
        i += 1
    return tuple(out)


def filter_names(queries: Iterable[str], areas: Sequence[AreaRef]) -> tuple[str, ...]:
    """The area names a filter by ``queries`` selects: each query's area and every area under it
    (values ORed, no repeats). Raises :class:`AreaMatchError` for the first name that is no area."""
    out: dict[str, None] = {}
    for q in queries:
        for n in area_and_below(match_area(q, areas).name, areas):
            out.setdefault(n, None)
    return tuple(out)
