"""Recording assessments (parameter values, scored) and declarations (a level set by a person).

Both are new rows, never updates: an amendment is a later record. Every write calls
:func:`scc_tui.store.feed.notify` inside its transaction. Errors are :class:`RecordError` /
:class:`~scc_tui.domain.scoring.ScoringError` (one line, no traceback); nothing is written then.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Mapping

import sqlalchemy as sa
from sqlmodel import Session, select

from scc_tui.domain.clock import ensure_aware
from scc_tui.domain.errors import SccError
from scc_tui.domain.levels import Opel, declaration_needs_reason
from scc_tui.domain.text import check_text
from scc_tui.store import feed
from scc_tui.store.access import require
from scc_tui.store.models import Area, Assessment, Declaration

__all__ = [
    "RecordError",
    "UnknownAreaError",
    "record_assessment",
    "record_declaration",
    "score_for_area",
    "get_area",
    "insert_assessment",
    "insert_declaration",
    "latest_assessment",
    "dedupe_key",
]

SOURCES = ("tui", "cli", "import", "demo", "test", "exercise")


class RecordError(SccError):
    """An assessment or declaration that cannot be recorded as given."""


class UnknownAreaError(RecordError):
    pass


def dedupe_key(*parts: Any) -> str:
    """sha256 hex of the JSON of ``parts`` (normalised by the caller)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def get_area(session: Session, name: str) -> Area:
    area = session.exec(select(Area).where(Area.key == str(name).strip().casefold())).first()
    if area is None:
        raise UnknownAreaError(f"unknown area {name!r} (see `scc areas list`)")
    return area


def score_for_area(area: Area, values: Mapping[str, Any], at: datetime, method: str | None = None):
    """Score ``values`` by the area's method (or ``method``) and plan area, at ``at``'s London date."""
    from scc_tui.datafiles.methods import default_registry
    from scc_tui.domain.scoring import score

    m = method or area.method
    if not m:
        raise RecordError(f"{area.name} has no scoring method: declare a level instead (or set `method` in the areas file)")
    return score(m, values, area=area.plan_area, at=at, registry=default_registry())


def latest_assessment(session: Session, area_id: int, at: datetime | None = None) -> Assessment | None:
    q = select(Assessment).where(Assessment.area_id == area_id)
    if at is not None:
        q = q.where(Assessment.assessed_at <= at)
    return session.exec(q.order_by(Assessment.assessed_at.desc(), Assessment.id.desc()).limit(1)).first()


def _check_source(source: str) -> str:
    if source not in SOURCES:
        raise RecordError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    return source


def _check_author(author: str) -> str:
    author = (author or "").strip()
    if not author:
        raise RecordError("author is required (the OS user)")
    return check_text(author[:200], "author", error=RecordError)


def _check_values(values: Mapping[str, Any]) -> None:
    """Parameter keys and word values (``status`` parameters) are stored as text: one line, no controls."""
    for k, v in values.items():
        check_text(k, "parameter", error=RecordError)
        check_text(v, str(k), error=RecordError)


def insert_assessment(session: Session, area: Area, result, values: Mapping[str, Any], assessed_at: datetime,
                      author: str, source: str, recorded_at: datetime, method: str, key: str | None = None) -> Assessment:
    """Add one scored assessment in an open write session (no notify: the caller does, once)."""
    row = Assessment(
        area_id=area.id,
        assessed_at=assessed_at,
        recorded_at=recorded_at,
        method=method,
        plan_version=getattr(result, "plan_version", None),
        values_json=json.dumps(dict(values), sort_keys=True, ensure_ascii=False),
        score=getattr(result, "score", None),
        max_score=getattr(result, "max", None),
        normalised=getattr(result, "normalised", None),
        level=getattr(result, "level", None),
        author=author,
        source=source,
        dedupe_key=key,
    )
    session.add(row)
    return row


def record_assessment(
    store,
    area_name: str,
    values: Mapping[str, Any],
    assessed_at: datetime,
    author: str,
    source: str = "tui",
    method: str | None = None,
) -> Assessment:
    """Score and store an assessment. Returns the stored row (detached, with its id).

    ``values`` are scored by ``method`` (default: the area's) with the area's ``plan_area``, by the plan
    in force on ``assessed_at``'s London date; values, score, max, normalised score, level and plan
    version are kept. Raises :class:`RecordError` / ``ScoringError``; nothing is written then.
    """
    assessed_at = ensure_aware(assessed_at)
    author = _check_author(author)
    source = _check_source(source)
    _check_values(values)
    with store.read() as s:
        area = get_area(s, area_name)
    result = score_for_area(area, values, assessed_at, method)
    with store.write() as s:
        area = get_area(s, area_name)  # still there, same transaction as the insert
        require(s, author, "assess", [area.name])
        row = insert_assessment(s, area, result, values, assessed_at, author, source, store.clock.now(),
                                method or area.method)
        s.flush()
        feed.notify(s, "assessment")
    return row


def insert_declaration(session: Session, area: Area, level: int, declared_at: datetime, author: str,
                       reason: str | None, source: str, recorded_at: datetime, role: str | None = None,
                       key: str | None = None) -> Declaration:
    """Add one declaration in an open write session, checking the reason rule
    (``domain.levels.declaration_needs_reason``) against the computed level of the latest assessment
    at or before ``declared_at``, or, where there is none, the level in force then."""
    level = int(Opel.parse(level))
    reason = (reason or "").replace("\r\n", "\n").replace("\r", "\n").strip() or None
    check_text(reason, "reason", multiline=True, error=RecordError)
    check_text(role, "role", error=RecordError)
    check_text(author, "author", error=RecordError)
    latest = latest_assessment(session, area.id, declared_at)
    computed = latest.level if latest is not None else None
    if not reason:
        in_force = None
        if computed is None:  # no computed level: the level in force stands in for it
            from scc_tui.store.queries import levels_in_force_by_id

            in_force = levels_in_force_by_id(session, [area.id], declared_at).get(area.id)
        if (missing := declaration_needs_reason(level, computed, in_force)) is not None:
            raise RecordError(f"{area.name}: {missing}")
    row = Declaration(
        area_id=area.id,
        declared_at=declared_at,
        recorded_at=recorded_at,
        level=level,
        computed_level=computed,
        assessment_id=latest.id if latest is not None else None,
        reason=reason,
        author=author,
        role=role,
        source=source,
        dedupe_key=key,
    )
    session.add(row)
    return row


def record_declaration(
    store,
    area_name: str,
    level: int,
    declared_at: datetime,
    author: str,
    reason: str | None = None,
    source: str = "tui",
    *,
    role: str | None = None,
    log: bool | None = None,
) -> Declaration:
    """Store a declared level. Returns the row (detached, with its id).

    ``computed_level`` is that of the latest assessment at or before ``declared_at``; a level that differs
    from it needs a ``reason`` (:class:`RecordError` otherwise). With ``log`` (default: for sources
    ``tui`` and ``cli``) a ``declaration`` entry is appended to the decision log in the same transaction.
    """
    declared_at = ensure_aware(declared_at)
    author = _check_author(author)
    source = _check_source(source)
    try:
        level = int(Opel.parse(level))
    except ValueError as e:
        raise RecordError(str(e)) from None
    if log is None:
        log = source in ("tui", "cli")
    with store.write(lock="log" if log else None) as s:
        area = get_area(s, area_name)
        require(s, author, "declare", [area.name])
        row = insert_declaration(s, area, level, declared_at, author, reason, source, store.clock.now(), role)
        s.flush()
        if log:
            _log_declaration(store, s, area, row)
        feed.notify(s, "declaration")
    return row


def _log_declaration(store, s: Session, area: Area, row: Declaration) -> None:
    from scc_tui.domain.clock import LONDON

    try:
        from scc_tui.store.log import append_entry
    except ImportError:  # pragma: no cover - the log ships with the store
        return
    when = row.declared_at.astimezone(LONDON).strftime("%a %d %b %H:%M")
    text = f"{area.name} declared OPEL {row.level} (as at {when})"
    if row.computed_level is not None:
        text += f"; computed OPEL {row.computed_level}"
    if row.reason:
        text += f". Reason: {row.reason}"
    append_entry(store, kind="declaration", text=text, author=row.author, areas=[area.name], role=row.role,
                 source=row.source if row.source in ("tui", "cli") else "app", session=s)


def count_rows(session: Session) -> tuple[int, int]:
    """(assessments, declarations) — for tests and `scc db info`."""
    a = session.execute(sa.select(sa.func.count()).select_from(Assessment)).scalar_one()
    d = session.execute(sa.select(sa.func.count()).select_from(Declaration)).scalar_one()
    return a, d
