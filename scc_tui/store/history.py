"""The store's reading rules that need no SQL: the hierarchy order, how far back to read records, an area's
status from its rows. Shared by ``queries`` (SQLAlchemy) and ``first_read`` (the board's first frame,
read with the DB-API before SQLAlchemy is imported), so both compute the same statuses.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Callable, Iterable, Sequence

from scc_tui.domain.escalation import DEFAULT_HOLD, level_points, run_resolved
from scc_tui.domain.kinds import KIND_ORDER
from scc_tui.domain.status import AreaStatus, StatusRecord, compute_status

FIRST_WINDOW = timedelta(days=35)

RecordsFn = Callable[[Iterable[int] | None, datetime | None, datetime, bool], dict[int, list[StatusRecord]]]
FirstTimesFn = Callable[[Iterable[int] | None], dict[int, datetime]]


def hierarchy_order(areas: Sequence) -> list:
    """Areas in tree order: each area followed by its descendants; siblings by kind (region, ICS,
    system, provider, council, la-area), then ``sort_order``, then name. Areas whose parent is missing are roots."""
    from scc_tui.domain.hierarchy import bounded_parents

    # Bounded: a chain deeper than MAX_DEPTH (refused on import; possible in an old or hand-edited
    # database) continues from the top level, so the walk below never recurses more than MAX_DEPTH.
    parent = bounded_parents({a.id: a.parent_id for a in areas})
    children: dict[int | None, list] = defaultdict(list)
    for a in areas:
        children[parent[a.id]].append(a)

    def key(a):
        return (KIND_ORDER.get(a.kind, 9), a.sort_order or 0, a.name.casefold(), a.id)

    out: list = []
    seen: set[int] = set()

    def walk(parent: int | None) -> None:
        for a in sorted(children.get(parent, ()), key=key):
            if a.id in seen:  # a cycle (refused on import; defensive)
                continue
            seen.add(a.id)
            out.append(a)
            walk(a.id)

    walk(None)
    # Anything in a cycle with no root: append, so no area is ever hidden.
    out.extend(sorted((a for a in areas if a.id not in seen), key=key))
    return out


def resolved(recs: list[StatusRecord], at: datetime, min_level: int | None = None,
              hold: timedelta = DEFAULT_HOLD) -> bool:
    """True if the records already contain the start of the current run (at the level in force, or at
    ``min_level`` if lower: the escalation rules' lowest level) and the level before it."""
    points = level_points(recs)
    if not points:
        return False
    level = points[-1].level if min_level is None else min(points[-1].level, min_level)
    if level <= 1:
        return any(p.level != points[-1].level for p in points)
    return run_resolved(points, level, at, hold)


def load_history(records: RecordsFn, first_times: FirstTimesFn, area_ids: list[int] | None, at: datetime, *,
                 min_level: int | None = None) -> dict[int, list[StatusRecord]]:
    """Enough records per area to compute its status at ``at`` exactly (and, with ``min_level``, every
    run at ``min_level`` or above live at ``at``).

    ``records(ids or None, since or None, before, inclusive)`` and ``first_times(ids or None)`` are the
    two reads (SQLAlchemy in ``queries``; the DB-API in ``first_read``): the windows are decided here, once."""
    start = at - FIRST_WINDOW
    recs = records(area_ids, start, at, True)
    firsts = first_times(area_ids)
    window = FIRST_WINDOW
    while True:
        pending = [aid for aid, first in firsts.items() if first < start and not resolved(recs.get(aid, []), at, min_level)]
        if not pending:
            return recs
        window *= 2
        older = start - window
        earliest = min(firsts[aid] for aid in pending)
        if older < earliest:
            older = None  # read everything that is left for these areas
        more = records(pending, older, start, False)
        for aid, rs in more.items():
            recs[aid].extend(rs)
        if older is None:
            return recs
        start = older


def status_of(area, recs: list[StatusRecord], at: datetime, due: time | None) -> AreaStatus:
    st = compute_status(
        area_id=area.id, name=area.name, kind=area.kind, parent_id=area.parent_id, method=area.method,
        records=recs, at=at, due=due,
    )
    st.short_name = area.short_name
    if area.plan_area:  # the scoring plan's label for the area (the form asks by it)
        st.extra["plan_area"] = area.plan_area
    return st


def due_by(areas: Sequence) -> dict[int, time | None]:
    """When each area owes its daily submission (``data/submissions.toml``; None: never stale)."""
    from scc_tui.datafiles.submissions import default_due_rules, method_family
    from scc_tui.domain.due import due_times

    return due_times(areas, default_due_rules(), method_family)
