"""Read queries for the board, the CLI and the log: status of every area, levels in force, history.

Efficient by construction: a fixed number of queries whatever the number of areas (no N+1). Records
are read in a window back from ``at`` (first 35 days); only areas whose current run (or first level)
reaches past the window are read further back, in doubling windows, all such areas in one query per
step, and only as far as each area's first record.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable

import sqlalchemy as sa
from sqlmodel import Session

from scc_tui.domain.clock import LONDON, ensure_aware, london_date
from scc_tui.domain.kinds import KIND_ORDER
from scc_tui.domain.records import AreaRecords, AssessmentFacts, DeclarationFacts
from scc_tui.domain.status import AreaStatus, StatusRecord
from scc_tui.store.history import hierarchy_order, load_history
from scc_tui.store.history import due_by as _due
from scc_tui.store.history import status_of as _status_of
from scc_tui.store.models import Area, Assessment, Declaration

__all__ = [
    "AreaStatus",
    "KIND_ORDER",
    "area_statuses",
    "area_status",
    "levels_in_force",
    "area_history",
    "area_score_history",
    "area_records",
    "hierarchy_order",
    "find_area",
    "HistoryRecord",
    "role_in_force",
    "area_detail",
]

_A = Assessment.__table__
_D = Declaration.__table__
_AREA = Area.__table__


def _records(session: Session, area_ids: Iterable[int] | None, since: datetime | None, before: datetime,
             *, inclusive: bool = True) -> dict[int, list[StatusRecord]]:
    """Assessments and declarations with event time in [since, before] (or [since, before) when not
    inclusive), for the given areas (None: all)."""
    out: dict[int, list[StatusRecord]] = defaultdict(list)
    ids = list(area_ids) if area_ids is not None else None
    if ids is not None and not ids:
        return out
    for table, tcol, kind, with_score in ((_A, "assessed_at", "assessment", True), (_D, "declared_at", "declaration", False)):
        t = table.c[tcol]
        cols = [table.c.id, table.c.area_id, t, table.c.level, table.c.author]
        if with_score:
            cols += [table.c.score, table.c.max_score]
        q = sa.select(*cols).where(t <= before if inclusive else t < before)
        if since is not None:
            q = q.where(t >= since)
        if ids is not None:
            q = q.where(table.c.area_id.in_(ids))
        for row in session.execute(q):
            out[row.area_id].append(
                StatusRecord(
                    at=row[2], kind=kind, level=row.level, id=row.id, author=row.author,
                    score=row.score if with_score else None, max_score=row.max_score if with_score else None,
                )
            )
    return out


def _first_times(session: Session, area_ids: Iterable[int] | None = None) -> dict[int, datetime]:
    """Each area's earliest record event time (two grouped index scans)."""
    out: dict[int, datetime] = {}
    ids = list(area_ids) if area_ids is not None else None
    for table, tcol in ((_A, "assessed_at"), (_D, "declared_at")):
        q = sa.select(table.c.area_id, sa.func.min(table.c[tcol]).label("first")).group_by(table.c.area_id)
        if ids is not None:
            q = q.where(table.c.area_id.in_(ids))
        for area_id, first in session.execute(q):
            if first is not None and (area_id not in out or first < out[area_id]):
                out[area_id] = first
    return out


def _load_history(session: Session, area_ids: list[int] | None, at: datetime, *,
                  min_level: int | None = None) -> dict[int, list[StatusRecord]]:
    """Enough records per area to compute its status at ``at`` exactly (see ``history.load_history``)."""
    return load_history(lambda ids, since, before, inclusive: _records(session, ids, since, before, inclusive=inclusive),
                        lambda ids: _first_times(session, ids), area_ids, at, min_level=min_level)


def area_statuses(session: Session, at: datetime) -> list[AreaStatus]:
    """Every area's status at ``at``, in hierarchy order (see :func:`hierarchy_order`)."""
    ensure_aware(at)
    areas = session.execute(sa.select(_AREA)).all()
    recs = _load_history(session, None, at)
    due = _due(areas)
    return [_status_of(a, recs.get(a.id, []), at, due[a.id]) for a in hierarchy_order(areas)]


def area_status(session: Session, area_id: int, at: datetime) -> AreaStatus | None:
    """One area's status at ``at`` (None if no such area)."""
    area = session.execute(sa.select(_AREA).where(_AREA.c.id == area_id)).first()
    if area is None:
        return None
    children = session.execute(sa.select(_AREA).where(_AREA.c.parent_id == area_id)).all()
    recs = _load_history(session, [area_id], at)
    return _status_of(area, recs.get(area_id, []), at, _due([area, *children])[area.id])


def find_area(session: Session, name: str):
    """The Area row named ``name`` (case-insensitive), or None."""
    from sqlmodel import select

    return session.exec(select(Area).where(Area.key == name.strip().casefold())).first()


def levels_in_force(session: Session, area_names: list[str], at: datetime) -> dict[str, int | None]:
    """``{name as given: level in force at at}``; names match case-insensitively; unknown -> None."""
    ensure_aware(at)
    keys = {n: n.strip().casefold() for n in area_names}
    if not keys:
        return {}
    rows = session.execute(sa.select(_AREA.c.id, _AREA.c.key).where(_AREA.c.key.in_(set(keys.values())))).all()
    id_by_key = {r.key: r.id for r in rows}
    out: dict[str, int | None] = {n: None for n in area_names}
    if not id_by_key:
        return out
    ids = list(id_by_key.values())
    level: dict[int, int | None] = {}
    for table, tcol, rank in ((_A, "assessed_at", 0), (_D, "declared_at", 1)):
        t = table.c[tcol]
        # The latest levelled record per area at or before ``at`` (window function: one query).
        rn = sa.func.row_number().over(partition_by=table.c.area_id, order_by=(t.desc(), table.c.id.desc())).label("rn")
        sub = (
            sa.select(table.c.area_id, t.label("event_at"), table.c.id, table.c.level, rn)
            .where(table.c.area_id.in_(ids), t <= at, table.c.level.is_not(None))
            .subquery()
        )
        for row in session.execute(sa.select(sub.c.area_id, sub.c.event_at, sub.c.id, sub.c.level).where(sub.c.rn == 1)):
            best = level.get(row.area_id)
            cand = ((row.event_at, rank, row.id), row.level)
            if best is None or cand[0] > best[0]:
                level[row.area_id] = cand
    for n, k in keys.items():
        aid = id_by_key.get(k)
        if aid is not None and aid in level:
            out[n] = level[aid][1]
    return out


@dataclass(frozen=True)
class HistoryRecord:
    """One assessment or declaration for the detail view."""

    kind: str  # assessment | declaration
    id: int
    at: datetime  # event time
    recorded_at: datetime
    level: int | None
    computed_level: int | None  # declarations: the computed level when declared
    score: float | None
    max_score: float | None
    author: str
    source: str
    reason: str | None
    method: str | None


def area_records(session: Session, area_id: int, since: datetime, at: datetime) -> list[HistoryRecord]:
    """The area's assessments and declarations with event time in [since, at], newest first."""
    out: list[HistoryRecord] = []
    a = session.execute(
        sa.select(_A).where(_A.c.area_id == area_id, _A.c.assessed_at >= since, _A.c.assessed_at <= at)
    ).all()
    for r in a:
        out.append(HistoryRecord("assessment", r.id, r.assessed_at, r.recorded_at, r.level, r.level, r.score,
                                 r.max_score, r.author, r.source, None, r.method))
    d = session.execute(
        sa.select(_D).where(_D.c.area_id == area_id, _D.c.declared_at >= since, _D.c.declared_at <= at)
    ).all()
    for r in d:
        out.append(HistoryRecord("declaration", r.id, r.declared_at, r.recorded_at, r.level, r.computed_level, None,
                                 None, r.author, r.source, r.reason, None))
    out.sort(key=lambda h: (h.at, h.kind == "declaration", h.id), reverse=True)
    return out


def area_history(session: Session, area_id: int, at: datetime, *, days: int = 14) -> list[tuple[date, int | None]]:
    """Level in force at the end of each of the last ``days`` London days, oldest first (today: at ``at``).

    For the detail view's strip; :func:`area_records` gives the records themselves.
    """
    ensure_aware(at)
    today = london_date(at)
    first_day = today - timedelta(days=days - 1)
    window_start = datetime.combine(first_day, time(0), tzinfo=LONDON)
    recs = _records(session, [area_id], window_start, at).get(area_id, [])
    # The level in force when the window opens.
    before = levels_in_force_by_id(session, [area_id], window_start - timedelta(microseconds=1)).get(area_id)
    recs.sort(key=lambda r: r.order)
    out: list[tuple[date, int | None]] = []
    level = before
    i = 0
    for n in range(days):
        d = first_day + timedelta(days=n)
        end = at if d == today else datetime.combine(d + timedelta(days=1), time(0), tzinfo=LONDON) - timedelta(microseconds=1)
        while i < len(recs) and recs[i].at <= end:
            if recs[i].level is not None:
                level = recs[i].level
            i += 1
        out.append((d, level))
    return out


def area_score_history(session: Session, area_id: int, at: datetime, *,
                       days: int = 14) -> list[tuple[date, float | None, float | None]]:
    """``(day, score, max_score)`` of the assessment in force at the end of each of the last ``days``
    London days, oldest first (today: at ``at``); ``(day, None, None)`` before the area's first
    assessment, or when the assessment in force has no score (a method of indicator bands).

    Declarations carry no score and do not end an assessment's score: the detail's history plot shows
    the level in force (:func:`area_history`) beside the score of the last assessment. Two queries.
    """
    ensure_aware(at)
    today = london_date(at)
    first_day = today - timedelta(days=days - 1)
    window_start = datetime.combine(first_day, time(0), tzinfo=LONDON)
    t = _A.c.assessed_at
    cols = (t, _A.c.id, _A.c.score, _A.c.max_score)
    before = session.execute(
        sa.select(*cols).where(_A.c.area_id == area_id, t < window_start).order_by(t.desc(), _A.c.id.desc()).limit(1)
    ).first()
    rows = session.execute(
        sa.select(*cols).where(_A.c.area_id == area_id, t >= window_start, t <= at).order_by(t, _A.c.id)
    ).all()
    score, max_score = (before.score, before.max_score) if before is not None else (None, None)
    out: list[tuple[date, float | None, float | None]] = []
    i = 0
    for n in range(days):
        d = first_day + timedelta(days=n)
        if d == today:
            while i < len(rows) and rows[i].assessed_at <= at:
                score, max_score = rows[i].score, rows[i].max_score
                i += 1
        else:
            end = datetime.combine(d + timedelta(days=1), time(0), tzinfo=LONDON)  # the next London midnight
            while i < len(rows) and rows[i].assessed_at < end:
                score, max_score = rows[i].score, rows[i].max_score
                i += 1
        out.append((d, score, max_score))
    return out


def area_detail(session: Session, area_id: int, at: datetime, *, days: int = 14) -> AreaRecords:
    """What the detail screen shows of one area at ``at``: the latest assessment and declaration at or
    before it, and the level and score at the end of each of the last ``days`` London days (no
    escalations: ``store.escalations`` evaluates those, over the whole store)."""
    ensure_aware(at)
    area = session.execute(sa.select(_AREA).where(_AREA.c.id == area_id)).first()
    if area is None:
        return AreaRecords(area_id=area_id, name=None)
    latest = session.execute(
        sa.select(_A)
        .where(_A.c.area_id == area_id, _A.c.assessed_at <= at)
        .order_by(_A.c.assessed_at.desc(), _A.c.id.desc())
        .limit(1)
    ).first()
    declared = session.execute(
        sa.select(_D)
        .where(_D.c.area_id == area_id, _D.c.declared_at <= at)
        .order_by(_D.c.declared_at.desc(), _D.c.id.desc())
        .limit(1)
    ).first()
    return AreaRecords(
        area_id=area_id,
        name=area.name,
        plan_area=area.plan_area or None,
        assessment=None if latest is None else AssessmentFacts(
            method=latest.method, values=json.loads(latest.values_json or "{}"), assessed_at=latest.assessed_at,
            author=latest.author, source=latest.source, plan_version=latest.plan_version,
        ),
        declaration=None if declared is None else DeclarationFacts(
            level=declared.level, declared_at=declared.declared_at, author=declared.author,
            computed_level=declared.computed_level, reason=declared.reason,
        ),
        history=area_history(session, area_id, at, days=days),
        scores=area_score_history(session, area_id, at, days=days),
    )


def levels_in_force_by_id(session: Session, area_ids: list[int], at: datetime) -> dict[int, int | None]:
    rows = session.execute(sa.select(_AREA.c.id, _AREA.c.name).where(_AREA.c.id.in_(area_ids))).all()
    names = {r.id: r.name for r in rows}
    by_name = levels_in_force(session, list(names.values()), at)
    return {aid: by_name.get(name) for aid, name in names.items()}


def role_in_force(session: Session, username: str, at: datetime | None = None) -> str | None:
    """The role of ``username`` at ``at`` (default: the latest), or None if never set (``store.roles``
    writes roles; the log reads them here, so neither module imports the other both ways)."""
    from sqlmodel import select

    from scc_tui.store.models import RoleAssignment

    q = select(RoleAssignment).where(RoleAssignment.username == username)
    if at is not None:
        q = q.where(RoleAssignment.set_at <= at)
    row = session.exec(q.order_by(RoleAssignment.set_at.desc(), RoleAssignment.id.desc()).limit(1)).first()
    return row.role if row else None
