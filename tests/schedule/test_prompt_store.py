"""Stored prompt records on SQLite and PostgreSQL: one row per prompt, one acknowledger, missed once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from scc_tui.datafiles.schedules import load_schedule
from scc_tui.domain.clock import FixedClock
from scc_tui.domain.prompts import PromptKey, due_prompts
from scc_tui.domain.schedule import occurrences
from scc_tui.store import prompts as sp
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.models import LogEntry, PromptRecord

WINTER = Path(__file__).resolve().parents[2] / "schedules" / "kent-medway-winter.toml"
OCC = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


def count(store, model=PromptRecord, *where) -> int:
    with store.read() as s:
        return s.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar()


def test_mark_shown_is_insert_if_absent(store, clock):
    r1 = sp.mark_shown(store, "secamb-call", OCC, "start", OCC)
    assert r1.id is not None and r1.first_shown_at == clock.now() and r1.missed is False
    clock.advance(timedelta(minutes=3))
    r2 = sp.mark_shown(store, "secamb-call", OCC, "start", OCC, missed=True)
    assert r2.id == r1.id and r2.first_shown_at == r1.first_shown_at and r2.missed is False
    assert count(store) == 1
    assert sp.mark_shown(store, "secamb-call", OCC, "before", OCC - timedelta(minutes=5)).id != r1.id
    assert count(store) == 2
    with pytest.raises(ValueError):
        sp.mark_shown(store, "secamb-call", OCC, "later", OCC)


def _stores(db_url, n, clock):
    return [Store(resolve_url(db_url), clock) for _ in range(n)]


def _run_together(fns):
    barrier = threading.Barrier(len(fns))
    results: list = [None] * len(fns)
    errors: list = []

    def go(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=go, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_concurrent_mark_shown_yields_one_row(store, db_url, clock):
    sessions = _stores(db_url, 6, clock)
    try:
        recs = _run_together(
            [lambda st=st: sp.mark_shown(st, "escalation-am", OCC, "start", OCC) for st in sessions]
        )
    finally:
        for st in sessions:
            st.dispose()
    assert len({r.id for r in recs}) == 1
    assert count(store) == 1


def test_concurrent_acknowledge_exactly_one_true(store, db_url, clock):
    before = sp.mark_shown(store, "km-exec-call", OCC, "before", OCC - timedelta(minutes=5))
    start = sp.mark_shown(store, "km-exec-call", OCC, "start", OCC)
    sessions = _stores(db_url, 6, clock)
    try:
        # half acknowledge the before stage, half the start stage, all at once
        results = _run_together(
            [
                lambda st=st, i=i: sp.acknowledge(st, before.id if i % 2 else start.id, f"user{i}")
                for i, st in enumerate(sessions)
            ]
        )
    finally:
        for st in sessions:
            st.dispose()
    assert sorted(results) == [False] * 5 + [True]
    # both stages acknowledged by the same (first) user; exactly one log entry
    recs = sp.records_between(store, OCC, OCC + timedelta(seconds=1))
    assert len(recs) == 2 and len({r.acknowledged_by for r in recs}) == 1
    assert all(r.acknowledged_at == clock.now() for r in recs)
    assert count(store, LogEntry, LogEntry.kind == "prompt-ack") == 1
    winner = recs[0].acknowledged_by
    with store.read() as s:
        entry = s.execute(sa.select(LogEntry)).scalars().one()
    assert entry.author == winner and "km-exec-call" in entry.text
    assert any(r.log_seq == entry.seq for r in recs)


def test_acknowledge_start_clears_before_and_stops_prompts(store, clock):
    sched = load_schedule(WINTER)
    occs = [o for o in occurrences(sched, OCC, OCC + timedelta(minutes=1)) if o.item_key == "secamb-call"]
    session_start = OCC - timedelta(hours=1)
    clock.set(OCC - timedelta(minutes=4))
    v = due_prompts(occs, sp.records_between(store, OCC, OCC + timedelta(days=1)), clock.now(), session_start)
    (before,) = v.to_mark
    sp.mark_prompt_shown(store, before)
    clock.set(OCC + timedelta(minutes=1))
    v = due_prompts(occs, sp.records_between(store, OCC, OCC + timedelta(days=1)), clock.now(), session_start)
    (start,) = v.due
    rec = sp.mark_prompt_shown(store, start)
    assert sp.acknowledge(store, PromptKey("secamb-call", OCC, "start"), "jsmith", title=start.title) is True
    assert sp.acknowledge(store, rec.id, "other") is False
    recs = sp.records_between(store, OCC, OCC + timedelta(days=1))
    assert {r.stage: r.acknowledged_by for r in recs} == {"before": "jsmith", "start": "jsmith"}
    v = due_prompts(occs, recs, clock.now(), session_start)
    assert v.due == v.missed == v.upcoming == ()
    with pytest.raises(sp.PromptNotFound):
        sp.acknowledge(store, 999_999, "jsmith")


def test_missed_while_closed_reported_once_across_sessions(store, clock):
    sched = load_schedule(WINTER)
    day = datetime(2026, 11, 23, tzinfo=UTC)
    occs = occurrences(sched, day, day + timedelta(days=1), kind="call")

    def view(now, started):
        return due_prompts(occs, sp.records_between(store, day, day + timedelta(days=1)), now, started)

    # Session A opens at 10:40: 08:30 SECAmb and 10:30 escalation calls fell due while closed.
    a_start = datetime(2026, 11, 23, 10, 40, tzinfo=UTC)
    clock.set(a_start)
    v = view(a_start, a_start)
    assert [(p.item_key, p.stage) for p in v.missed] == [("secamb-call", "start"), ("escalation-am", "start")]
    assert v.due == ()
    for p in v.to_mark:
        sp.mark_prompt_shown(store, p)
    # Refreshing in session A: the same two, now recorded, nothing new to mark.
    v = view(a_start + timedelta(minutes=1), a_start)
    assert len(v.missed) == 2 and v.to_mark == () and v.due == ()
    # Session B opens at 10:45 on another terminal: not reported again, not as due.
    b_start = a_start + timedelta(minutes=5)
    v = view(b_start, b_start)
    assert v.missed == () and v.due == ()
    # Both sessions marking the same missed prompt concurrently would still give one row per stage.
    assert count(store) == 2
    assert all(r.missed for r in sp.records_between(store, day, day + timedelta(days=1)))


def test_snooze_and_records_between(store, clock):
    rec = sp.mark_shown(store, "secamb-call", OCC, "start", OCC)
    until = clock.now() + timedelta(minutes=10)
    assert sp.snooze(store, rec.id, until) is True
    assert sp.get_record(store, rec.id).snoozed_until == until
    assert sp.acknowledge(store, rec.id, "jsmith") is True
    assert sp.snooze(store, rec.id, until) is False
    sp.mark_shown(store, "km-exec-call", OCC + timedelta(hours=8), "start", OCC + timedelta(hours=8))
    assert [r.item_key for r in sp.records_between(store, OCC, OCC + timedelta(hours=8))] == ["secamb-call"]
    assert len(sp.records_between(store, OCC, OCC + timedelta(days=1))) == 2
    with pytest.raises(sp.PromptNotFound):
        sp.snooze(store, 424242, until)


def test_times_round_trip_aware(store):
    at = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)  # the spring change instant
    r = sp.mark_shown(store, "synthetic", at, "start", at)
    got = sp.get_record(store, PromptKey("synthetic", at, "start"))
    assert got.id == r.id and got.occurrence_at == at and got.occurrence_at.tzinfo is not None


def test_fixed_clock_fixture_is_utc(clock):
    assert isinstance(clock, FixedClock) and clock.now().tzinfo is not None
