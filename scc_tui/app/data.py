"""What the app asks of the store and the scoring engine, in one place.

Every function here is called from a thread worker (never on the UI thread, except the pure
``preview``/``params`` which only touch cached data files). Upstream modules are imported lazily so
the app starts (and says what is missing) even while a part is not installed yet.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Mapping

from scc_tui.domain.clock import LONDON

if TYPE_CHECKING:
    from scc_tui.domain.scoring import ParamInfo


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` says the database cannot be reached or used right now (a driver or
    connection error, a file that cannot be opened): the app retries and keeps what was typed."""
    try:
        from sqlalchemy.exc import DBAPIError, TimeoutError as PoolTimeout
    except ImportError:  # pragma: no cover
        return isinstance(exc, (OSError, TimeoutError))
    return isinstance(exc, (DBAPIError, PoolTimeout, OSError, TimeoutError))


def one_line_error(exc: BaseException, limit: int = 160) -> str:
    """``Type: first line of the message``, without SQLAlchemy's SQL echo and background link."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    first = re.sub(r"^\([\w.]+\)\s*", "", first)  # "(sqlite3.OperationalError) ..." prefix
    out = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return out if len(out) <= limit else out[: limit - 1] + "…"


def save_error(exc: BaseException) -> str:
    """Why a save failed, in one line; an outage says the input is kept and how to retry."""
    from scc_tui.domain.access import Refused

    if isinstance(exc, Refused):  # the user's role does not allow it: the reason, as the CLI says it
        return str(exc)
    if is_outage(exc):
        return f"database unreachable ({one_line_error(exc, 80)}); what you typed is kept: Ctrl+S to try again"
    return one_line_error(exc)


def outage_line(since: datetime) -> str:
    return f"database unreachable since {since.astimezone(LONDON):%H:%M} — retrying; nothing you enter is lost"


def load_statuses(store, at: datetime) -> list[Any]:
    from scc_tui.store.queries import area_statuses

    with store.read() as session:
        statuses = list(area_statuses(session, at))
    attach_escalations(store, statuses, at)
    return statuses


def short_role(role: str) -> str:
    """'STP (now Kent and Medway ICB)' -> 'STP' (the words before any bracket)."""
    return role.split(" (", 1)[0].strip()


def attach_escalations(store, statuses: list[Any], at: datetime) -> None:
    """Give each status its escalation badge and line (tiles) and action-card progress, from the firings
    active at ``at`` (recorded once) and the action cards. A rule file that does not load leaves the
    badges empty and says so on the status (``escalation_error``), never a traceback."""
    try:
        from scc_tui.store import actions, escalations

        items, due = escalations.active_and_due(store, at)
        progress = actions.progress_by_area(due)
        error = None
    except Exception as exc:  # noqa: BLE001
        items, progress, error = [], {}, f"{type(exc).__name__}: {exc}"
    by_area: dict[str, list] = {}
    for i in items:
        by_area.setdefault(i.firing.area, []).append(i)
    for s in statuses:
        mine = by_area.get(s.name, [])
        open_ = [i for i in mine if i.firing.needs_ack and not i.ack]
        inclusions = [i for i in mine if i.firing.include and i.firing.calls]
        s.badge = ("⚑" + (str(len(open_)) if len(open_) > 1 else "")) if open_ else ("·" if mine else "")
        line = ""
        if inclusions:
            roles = list(dict.fromkeys(short_role(r) for i in inclusions for r in i.firing.include))
            line = "include " + " & ".join(roles)
        s.escalation_line = line
        s.escalations = mine
        s.action_progress = progress.get(s.name, "")
        s.escalation_error = error


def change_feed(store):
    """The App's one change feed (``store.feed``): True from ``poll()`` when anything was written."""
    from scc_tui.store.feed import ChangeFeed

    return ChangeFeed.for_store(store)


# ---------------------------------------------------------------- scoring


def plan_area_of(store, area_id: int) -> str | None:
    """The area label the scoring plan knows this area by (e.g. "Swale" for KCC bands)."""
    from scc_tui.store.models import Area

    with store.read() as session:
        area = session.get(Area, area_id)
        return area.plan_area if area is not None else None


def params(method: str | None, *, area: str | None, at: datetime) -> list[ParamInfo]:
    """The parameters asked for in this area (n/a ones are never asked, never counted as OPEL 1)."""
    if not method:
        return []
    from scc_tui.domain.scoring import method_params

    return [p for p in method_params(method, area=area, at=at) if p.applicable]


def preview(method: str, values: Mapping[str, float], *, area: str | None, at: datetime):
    """A ScoreResult, or raises ScoringError (one line)."""
    from scc_tui.datafiles.methods import default_registry
    from scc_tui.domain.scoring import score

    return score(method, values, area=area, at=at, registry=default_registry())


# ---------------------------------------------------------------- detail


@dataclass
class PartRow:
    key: str
    title: str
    value: str
    points: str
    level: str
    band: str
    flag: str = ""


@dataclass
class AreaDetail:
    status: Any
    assessed_at: datetime | None = None
    assessed_by: str | None = None
    assessment_source: str | None = None
    plan_version: str | None = None
    parts: list[PartRow] = field(default_factory=list)
    declared: Any = None  # the latest Declaration row, if any
    history: list[tuple[date, int | None]] = field(default_factory=list)
    scores: list[tuple[date, float | None, float | None]] = field(default_factory=list)  # (day, score, max)
    problems: list[str] = field(default_factory=list)
    escalations: list[Any] = field(default_factory=list)  # ActiveFiring for this area
    actions: list[Any] = field(default_factory=list)  # DueAction for this area
    # Re-scored from the stored values: a partial suggestion (indicator plans) and plan warnings.
    partial: str = ""  # e.g. "partial: 1 of 5 indicators given; missing: x, y"
    warnings: list[str] = field(default_factory=list)


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def area_detail(store, area_id: int, at: datetime, *, status: Any = None, days: int = 14) -> AreaDetail:
    from sqlmodel import select

    from scc_tui.store.models import Area, Assessment, Declaration

    detail = AreaDetail(status=status)
    with store.read() as session:
        area = session.get(Area, area_id)
        latest = session.exec(
            select(Assessment)
            .where(Assessment.area_id == area_id, Assessment.assessed_at <= at)
            .order_by(Assessment.assessed_at.desc(), Assessment.id.desc())
            .limit(1)
        ).first()
        declared = session.exec(
            select(Declaration)
            .where(Declaration.area_id == area_id, Declaration.declared_at <= at)
            .order_by(Declaration.declared_at.desc(), Declaration.id.desc())
            .limit(1)
        ).first()
        detail.declared = declared
        detail.history = _history(session, store, area, at, days)
        detail.scores = _scores(session, area, at, days)
    try:
        from scc_tui.store import actions, escalations

        detail.escalations = [i for i in escalations.active(store, at) if i.firing.area == area.name]
        detail.actions = [d for d in actions.due(store, at) if d.area == area.name]
    except Exception as exc:  # noqa: BLE001 - shown in the detail, never a traceback
        detail.problems.append(f"Escalation rules could not be evaluated: {exc}")
    if latest is not None:
        detail.assessed_at = latest.assessed_at
        detail.assessed_by = latest.author
        detail.assessment_source = latest.source
        detail.plan_version = latest.plan_version
        values = json.loads(latest.values_json or "{}")
        detail.parts = _parts(latest.method, values, area, latest.assessed_at, detail.problems, detail)
    return detail


def partial_text(result) -> str:
    """"1 of 5 indicators given; missing: a, b" for a partial suggestion, else ""."""
    if not result.partial:
        return ""
    scored = [k for k in result.given if result.parts[k].level is not None]
    return f"{len(scored)} of {len(scored) + len(result.missing)} indicators given; missing: {', '.join(result.missing)}"


def _parts(method: str, values: dict, area, at: datetime, problems: list[str], detail: AreaDetail | None = None) -> list[PartRow]:
    titles: dict[str, str] = {}
    try:
        titles = {p.key: (p.title + (f" ({p.unit})" if p.unit else "")) for p in params(method, area=_plan_area(area), at=at)}
    except Exception as exc:  # noqa: BLE001
        problems.append(f"parameters: {exc}")
    try:
        result = preview(method, values, area=_plan_area(area), at=at)
    except Exception as exc:  # noqa: BLE001 - show the values unscored rather than nothing
        problems.append(f"re-scoring: {exc}")
        return [PartRow(k, titles.get(k, k), _num(v), "", "", "") for k, v in values.items()]
    if detail is not None:
        detail.partial = partial_text(result)
        detail.warnings = list(result.warnings)
    rows = []
    for key, part in result.parts.items():
        rows.append(
            PartRow(
                key=key,
                title=titles.get(key, key),
                value=_num(part.value) if part.value is not None else "n/a",
                points=_num(part.points) if part.points is not None else "",
                level=f"OPEL {part.level}" if part.level is not None else "",
                band=str(part.band or ""),
                flag="outside published range" if part.out_of_range else "",
            )
        )
    return rows


def _plan_area(area) -> str | None:
    if area is None:
        return None
    return area.plan_area or None


def _history(session, store, area, at: datetime, days: int) -> list[tuple[date, int | None]]:
    """Level in force at the end of each of the last ``days`` London days (today: now)."""
    if area is None:
        return []
    from scc_tui.store.queries import area_history

    return list(area_history(session, area.id, at, days=days))


def _scores(session, area, at: datetime, days: int) -> list[tuple[date, float | None, float | None]]:
    """Score of the assessment in force at the end of each of the last ``days`` London days."""
    if area is None:
        return []
    from scc_tui.store.queries import area_score_history

    return area_score_history(session, area.id, at, days=days)


# ---------------------------------------------------------------- writes


def save_assessment(store, area_name: str, values: Mapping[str, float], at: datetime, author: str):
    from scc_tui.store.assessments import record_assessment

    return record_assessment(store, area_name, dict(values), at, author, "tui")


def save_declaration(store, area_name: str, level: int, at: datetime, author: str, reason: str | None):
    from scc_tui.store.assessments import record_declaration

    return record_declaration(store, area_name, level, at, author, reason or None, "tui")
