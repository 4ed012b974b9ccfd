"""Gather what the 18:00 handover needs from the store (the summary itself is pure:
``scc_tui.domain.handover``).

* levels now and at 00:00 London on the handover's day (``store.queries.area_statuses``), and every
  move between them (``store.queries.day_moves``);
* the day's prompt records that were missed or are still not acknowledged;
* the day's log entries of the kinds a handover reports (decisions, actions, call notes, ...), each
  with the entries that correct it, and how many entries of any kind were logged;
* the next day's first schedule occurrences.

The day is :func:`scc_tui.domain.handover.handover_day` (before 08:00 the night belongs to the
previous day).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select

from scc_tui.domain.clock import LONDON, UTC, ensure_aware, london_date
from scc_tui.domain.handover import EntryLine, Handover, ItemLine, PromptLine, build_handover, handover_day
from scc_tui.store.models import PromptRecord

__all__ = ["HANDOVER_KINDS", "STAGE_WORDS", "gather_handover", "london_midnight", "prompt_title"]

#: Log kinds a handover lists. Prompt acknowledgements, config changes and earlier handovers are left
#: out: they are bookkeeping, not what the on-call manager has to act on.
HANDOVER_KINDS = ("decision", "action", "call-note", "escalation-ack", "declaration", "correction", "note", "plan-test")

STAGE_WORDS = {"before": "coming up", "start": "starting", "deadline": "deadline", "review": "review"}


def london_midnight(at: datetime, days: int = 0) -> datetime:
    """00:00 Europe/London on the London date of ``at`` (+ ``days``), as UTC. Computed from the
    calendar date, never by adding 24 h, so it is right on both clock-change days."""
    return _midnight(london_date(at), days)


def _midnight(d, days: int = 0) -> datetime:
    d = d + timedelta(days=days)
    return datetime(d.year, d.month, d.day, tzinfo=LONDON).astimezone(UTC)


def prompt_title(item_title: str, stage: str) -> str:
    word = STAGE_WORDS.get(stage, stage)
    return f"{item_title} ({word})"


def _schedule(schedule: Any | None):
    if schedule is not None:
        return schedule
    try:
        from scc_tui.datafiles.schedules import load_schedule

        return load_schedule()
    except Exception:  # no schedule file: the handover still reports levels and the log
        return None


def gather_handover(store, at: datetime | None = None, *, schedule: Any | None = None, first_items: int = 4) -> Handover:
    """Everything :func:`scc_tui.domain.handover.build_handover` needs, read at ``at`` (default: now
    on the store's clock)."""
    from scc_tui.store.log import corrections_index, count_entries, head, list_entries
    from scc_tui.store.queries import area_statuses

    at = ensure_aware(at or store.clock.now()).astimezone(UTC)
    day = handover_day(at)
    day_start = _midnight(day)
    day_end = _midnight(day, 1)
    sched = _schedule(schedule)
    titles = {it.key: it.title for it in sched.items} if sched is not None else {}

    with store.read() as session:
        statuses = list(area_statuses(session, at))
        start_levels = {s.name: s.level for s in area_statuses(session, day_start)}
        moves = day_moves(session, day_start, at)
        records = session.exec(
            select(PromptRecord)
            .where(PromptRecord.due_at >= day_start, PromptRecord.due_at <= at)
            .order_by(PromptRecord.due_at, PromptRecord.id)
        ).all()

    # One line per occurrence (its latest stage): a call's "coming up" and "starting" prompts are one
    # outstanding item. Acknowledging any stage deals with the occurrence.
    latest: dict[tuple[str, datetime], list[PromptRecord]] = {}
    for r in records:
        latest.setdefault((r.item_key, r.occurrence_at), []).append(r)
    prompts: list[PromptLine] = []
    for (item_key, _occ), rs in latest.items():
        if any(r.acknowledged_at is not None for r in rs):
            continue
        last = max(rs, key=lambda r: (r.due_at, r.id or 0))
        title = prompt_title(titles.get(item_key, item_key), last.stage)
        prompts.append(PromptLine(title, last.due_at, "missed" if any(r.missed for r in rs) else "not acknowledged"))

    until = at + timedelta(seconds=1)
    listed = list_entries(store, since=day_start, until=until, kinds=HANDOVER_KINDS)
    fixes = corrections_index(store, [e.seq for e in listed]) if listed else {}
    entries = [
        EntryLine(e.seq, e.recorded_at, e.author, e.kind, e.text, e.corrects_seq, tuple(fixes.get(e.seq, ())))
        for e in listed
    ]
    logged = count_entries(store, since=day_start, until=until)

    tomorrow: list[ItemLine] = []
    if sched is not None:
        from scc_tui.domain.schedule import occurrences

        for o in occurrences(sched, max(day_end, at), _midnight(day, 2)):
            tomorrow.append(ItemLine(o.title if o.kind == "call" else f"{o.title} (deadline)", o.due_by))

    h = build_handover(
        at,
        statuses,
        start_levels,
        prompts,
        entries,
        tomorrow,
        exercise=bool(getattr(store.clock, "exercise", False)),
        first_items=first_items,
        log_head=head(store),
        moves=moves,
        logged=logged,
    )
    h.escalations = escalation_lines(store, at)
    from scc_tui.store.risks import top_risk_lines  # issue 15: the register's top risks

    h.risks = top_risk_lines(store, at)
    return h


def day_moves(session, since: datetime, at: datetime) -> dict[str, list[int]]:
    """{area name: the levels of its levelled records with event time in [since, at], in event order}
    (assessments before declarations at the same instant, then insertion order: the status rule's
    order). The handover prefixes the start-of-day level and collapses repeats."""
    import sqlalchemy as sa

    from scc_tui.store.models import Area, Assessment, Declaration

    rows: list[tuple] = []
    for table, col, rank in ((Assessment.__table__, "assessed_at", 0), (Declaration.__table__, "declared_at", 1)):
        t = table.c[col]
        q = sa.select(table.c.area_id, t, table.c.id, table.c.level).where(
            t >= since, t <= at, table.c.level.is_not(None))
        rows += [(r[1], rank, r[2], r[0], r[3]) for r in session.execute(q)]
    names = dict(session.execute(sa.select(Area.__table__.c.id, Area.__table__.c.name)).all())
    out: dict[str, list[int]] = {}
    for _at, _rank, _id, area_id, level in sorted(rows, key=lambda r: (ensure_aware(r[0]), r[1], r[2])):
        out.setdefault(names.get(area_id, str(area_id)), []).append(level)
    return out


def escalation_lines(store, at: datetime) -> list[str]:
    """The handover's "Open escalations and action cards": every escalation firing active at ``at``
    (with its acknowledgement), then recorded firings from earlier that were never acknowledged, then
    outstanding action-card items. A rule file that does not load is said, not hidden."""
    from scc_tui.domain.errors import SccError
    from scc_tui.store import escalations

    out: list[str] = []
    try:
        active = escalations.active(store, at)
    except SccError as e:
        return [f"Escalation rules could not be evaluated: {e}"]
    shown: set[int] = set()
    for a in active:
        f = a.firing
        if a.record is not None:
            shown.add(a.record.id)
        if a.ack:
            state = f"acknowledged by {a.ack['by']} {datetime.fromisoformat(a.ack['at']).astimezone(LONDON):%H:%M}"
            if a.ack.get("note"):
                state += f": {a.ack['note']}"
        elif f.needs_ack:
            state = "NOT ACKNOWLEDGED"
        else:
            state = "no acknowledgement needed"
        ref = f"#{a.record.id} " if a.record is not None else ""
        out.append(f"{ref}{f.message} ({f.why}) — {state}")
    for r in escalations.open_firings(store):
        if r.id in shown or r.since > at:
            continue
        out.append(f"#{r.id} {r.message} ({r.why}; since {r.since.astimezone(LONDON):%a %d %b %H:%M}) — NOT ACKNOWLEDGED")
    out.extend(_action_lines(store, at))
    return out


def _action_lines(store, at: datetime) -> list[str]:
    try:
        from scc_tui.store import actions
    except ImportError:
        return []
    return actions.handover_lines(store, at)
