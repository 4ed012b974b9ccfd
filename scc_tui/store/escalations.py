"""Escalation firings in the store: evaluate the rules over stored history, record each firing once,
acknowledge as a named, logged act.

* :func:`area_views` reads every area with enough history for the rules (runs at OPEL 2 or above, back
  to their start) and the events the rules name (log entries tagged ``#<event>``, e.g.
  ``#111-dos-activated``) — a fixed number of queries.
* :func:`evaluate_at` is read-only: the pure :func:`scc_tui.domain.escalation.evaluate` over them.
* :func:`record` is insert-if-absent on the unique (rule_key, area, occasion) key (``INSERT ... ON
  CONFLICT DO NOTHING``): any number of sessions or processes evaluating at once yield exactly one row.
* :func:`acknowledge` is true for the first acknowledger only; it appends one ``escalation-ack`` log
  entry in the same transaction and keeps its seq.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import select

from scc_tui.domain.clock import LONDON, UTC, ensure_aware
from scc_tui.domain.errors import SccError
from scc_tui.domain.escalation import AreaEvent, AreaView, Firing, RuleSet, evaluate, level_points
from scc_tui.store.models import Area, EscalationFiring, LogEntry

__all__ = ["FiringNotFound", "ActiveFiring", "area_views", "evaluate_at", "record", "acknowledge", "active",
           "open_firings", "get"]


class FiringNotFound(SccError):
    """No stored firing with that id or key."""


@dataclass(frozen=True)
class ActiveFiring:
    """A firing active now, with its stored record (None if not recorded: e.g. ``--at`` in the past)."""

    firing: Firing
    record: EscalationFiring | None

    @property
    def ack(self) -> dict | None:
        r = self.record
        if r is None or r.acknowledged_at is None:
            return None
        return {"by": r.acknowledged_by, "at": r.acknowledged_at.astimezone(UTC).isoformat(), "note": r.ack_note,
                "log_seq": r.log_seq}

    def to_json(self) -> dict:
        d = self.firing.to_json()
        d["ack"] = self.ack
        d["id"] = self.record.id if self.record is not None else None
        return d


def _events_of(rulesets: list[RuleSet]) -> set[str]:
    out: set[str] = set()
    for rs in rulesets:
        for r in rs.rules:
            out.update(e for e in (r.event, r.stop_event) if e)
    return out


def area_views(session, at: datetime, rulesets: list[RuleSet]) -> list[AreaView]:
    """Every area (hierarchy order) as the rules see it at ``at``."""
    from scc_tui.domain.hierarchy import bounded_parents
    from scc_tui.store.queries import _AREA, _load_history, hierarchy_order

    areas = hierarchy_order(session.execute(sa.select(_AREA)).all())
    by_id = {a.id: a for a in areas}
    recs = _load_history(session, None, at, min_level=2)
    child_kinds: dict[int, set[str]] = {}
    for a in areas:
        if a.parent_id is not None:
            child_kinds.setdefault(a.parent_id, set()).add(a.kind)
    events: dict[str, list[AreaEvent]] = {}
    names = _events_of(rulesets)
    if names:
        t = LogEntry.__table__
        cond = sa.or_(*(t.c.text.contains(f"#{n}") for n in sorted(names)))
        rows = session.execute(sa.select(t.c.seq, t.c.event_at, t.c.text, t.c.areas_json)
                               .where(cond, t.c.event_at <= at).order_by(t.c.event_at, t.c.seq)).all()
        for row in rows:
            tags = set(re.findall(r"#([a-z0-9][a-z0-9-]*)", row.text)) & names
            for area_name in json.loads(row.areas_json or "[]"):
                for tag in sorted(tags):
                    events.setdefault(area_name.casefold(), []).append(AreaEvent(tag, row.event_at, f"#{row.seq}"))
    # The tree every view walks (domain.hierarchy): cycles cut, an area past MAX_DEPTH shown from
    # the top, so each area has at most MAX_DEPTH ancestors (a 10,000-deep chain was quadratic here).
    parent_of = bounded_parents({a.id: a.parent_id for a in areas})
    out = []
    for a in areas:
        anc = []
        p = by_id.get(parent_of.get(a.id))
        while p is not None:
            anc.append((p.name, p.kind))
            p = by_id.get(parent_of.get(p.id))
        out.append(AreaView(
            name=a.name, kind=a.kind, ancestors=tuple(anc), points=tuple(level_points(recs.get(a.id, []))),
            events=tuple(events.get(a.name.casefold(), ())), child_kinds=frozenset(child_kinds.get(a.id, ())),
        ))
    return out


def evaluate_at(store, at: datetime, rulesets: list[RuleSet] | None = None, bank_holiday=None,
                views: list[AreaView] | None = None) -> list[Firing]:
    """The firings active at ``at`` (read-only). ``views``: already read (see :func:`area_views`)."""
    from scc_tui.datafiles.rules import load_rulesets
    from scc_tui.domain.schedule import england_bank_holiday

    at = ensure_aware(at)
    rulesets = load_rulesets() if rulesets is None else rulesets
    if views is None:
        with store.read() as s:
            views = area_views(s, at, rulesets)
    return evaluate(rulesets, views, at, bank_holiday=bank_holiday or england_bank_holiday)


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _key_where(key: tuple[str, str, str]):
    rule_key, area, occasion = key
    return sa.and_(EscalationFiring.rule_key == rule_key, EscalationFiring.area == area,
                   EscalationFiring.occasion == occasion)


def record(store, firings: list[Firing]) -> dict[tuple[str, str, str], EscalationFiring]:
    """Record each firing once (insert-if-absent); returns the stored row for each key. The first
    writer's words stand."""
    if not firings:
        return {}
    # Most evaluations find every firing already recorded: a read, no write transaction (so sessions
    # re-evaluating every minute do not queue for the write lock or wake each other's change feeds).
    with store.read() as s:
        known = _lookup(s, [f.key for f in firings])
    if len(known) == len({f.key for f in firings}):
        return known
    now = store.clock.now()
    out: dict[tuple[str, str, str], EscalationFiring] = {}
    with store.write() as s:
        insert = _insert(store.dialect)
        for f in firings:
            s.execute(insert(EscalationFiring.__table__).values(
                rule_key=f.rule_key, rule_id=f.rule_id, ruleset=f.ruleset, ruleset_version=f.ruleset_version,
                area=f.area, occasion=f.occasion, title=f.title, message=f.message, why=f.why,
                include_json=json.dumps(list(f.include), ensure_ascii=False), optional=f.optional,
                needs_ack=f.needs_ack, day=f.day, level=f.level, since=f.since.astimezone(UTC), first_seen_at=now,
            ).on_conflict_do_nothing(index_elements=["rule_key", "area", "occasion"]))
        for f in firings:
            out[f.key] = s.exec(select(EscalationFiring).where(_key_where(f.key))).one()
    return out


def _lookup(s, keys: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], EscalationFiring]:
    out = {}
    for k in keys:
        row = s.exec(select(EscalationFiring).where(_key_where(k))).first()
        if row is not None:
            out[k] = row
    return out


def active(store, at: datetime | None = None, *, record_now: bool | None = None, rulesets=None,
           bank_holiday=None, views: list[AreaView] | None = None) -> list[ActiveFiring]:
    """The firings active at ``at`` (default: now) with their stored records. Firings active *now*
    are recorded (once); with another ``at`` nothing is written (``record_now`` overrides)."""
    now = store.clock.now()
    at = now if at is None else ensure_aware(at)
    firings = evaluate_at(store, at, rulesets, bank_holiday, views)
    do_record = (at == now) if record_now is None else record_now
    if do_record:
        rows = record(store, firings)
    else:
        with store.read() as s:
            rows = _lookup(s, [f.key for f in firings])
    return [ActiveFiring(f, rows.get(f.key)) for f in firings]


def _get(s, ref) -> EscalationFiring | None:
    if isinstance(ref, int) and not isinstance(ref, bool):
        return s.get(EscalationFiring, ref)
    return s.exec(select(EscalationFiring).where(_key_where(tuple(ref)))).first()


def get(store, ref) -> EscalationFiring | None:
    with store.read() as s:
        return _get(s, ref)


def acknowledge(store, ref, user: str, *, note: str | None = None, role: str | None = None) -> bool:
    """Acknowledge a recorded firing (by id or (rule_key, area, occasion)). True for the first
    acknowledger only; appends one ``escalation-ack`` log entry in the same transaction, e.g.
    "Acknowledged escalation: East Kent: Day 2 in OPEL 4 – include STP ... – STP invited to the 10:30 call".
    Raises :class:`FiringNotFound`."""
    from scc_tui.store import log as store_log

    now = store.clock.now()
    with store.write(lock=store_log.LOCK) as s:
        rec = _get(s, ref)
        if rec is None:
            raise FiringNotFound(f"no recorded escalation {ref!r}")
        from scc_tui.store.access import require

        require(s, user, "acknowledge", [rec.area])
        result = s.execute(
            sa.update(EscalationFiring)
            .where(EscalationFiring.id == rec.id, EscalationFiring.acknowledged_at.is_(None))
            .values(acknowledged_at=now, acknowledged_by=user, ack_note=note)
        )
        if result.rowcount != 1:
            return False
        text = f"Acknowledged escalation: {rec.message}"
        if note:
            text += f" – {note}"
        text += f" ({rec.why}; rule {rec.rule_key}, {rec.ruleset} {rec.ruleset_version})"
        entry = store_log.append_entry(store, kind="escalation-ack", text=text, author=user, role=role,
                                       areas=[rec.area], event_at=now, session=s)
        s.execute(sa.update(EscalationFiring).where(EscalationFiring.id == rec.id).values(log_seq=entry.seq))
        return True


def open_firings(store, since: datetime | None = None) -> list[EscalationFiring]:
    """Recorded firings that need an acknowledgement and have none (oldest first)."""
    with store.read() as s:
        q = select(EscalationFiring).where(EscalationFiring.needs_ack.is_(True),
                                           EscalationFiring.acknowledged_at.is_(None))
        if since is not None:
            q = q.where(EscalationFiring.since >= ensure_aware(since))
        return list(s.exec(q.order_by(EscalationFiring.since, EscalationFiring.id)).all())


def active_and_due(store, at: datetime | None = None):
    """(:func:`active` firings, ``scc_tui.store.actions.due`` items) from one read of the history."""
    from scc_tui.datafiles.rules import load_rulesets
    from scc_tui.store import actions

    at = ensure_aware(at or store.clock.now())
    rulesets = load_rulesets()
    with store.read() as s:
        views = area_views(s, at, rulesets)
    return active(store, at, rulesets=rulesets, views=views), actions.due(store, at, views=views)


def fmt_local(at: datetime) -> str:
    return f"{at.astimezone(LONDON):%a %d %b %H:%M}"
