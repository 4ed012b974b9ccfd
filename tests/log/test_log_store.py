"""The log in the database, on SQLite and PostgreSQL: numbering, attribution, validation, append-only
guards, tamper detection, corrections, roles, plan tests."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from scc_tui.domain.log import LogInputError
from scc_tui.store import log as slog
from scc_tui.store import plan_tests, roles
from scc_tui.store.models import Area, Assessment, Declaration, LogEntry, PlanTest, RoleAssignment


@pytest.fixture
def areas(store, clock):
    now = clock.now()
    with store.write() as s:
        for name in ("East Kent", "West Kent", "Medway & Swale"):
            s.add(Area(name=name, key=name.casefold(), kind="system", created_at=now, updated_at=now))
    with store.read() as s:
        return {a.name: a.id for a in s.exec(select(Area)).all()}


def _count(store) -> int:
    with store.read() as s:
        return s.execute(sa.select(sa.func.count()).select_from(LogEntry)).scalar()


def _raw(store, *sql: str) -> None:
    """An attacker with database access: raw SQL, outside the app."""
    with store.engine.begin() as c:
        for stmt in sql:
            c.exec_driver_sql(stmt)


def _drop_guards(store) -> None:
    if store.dialect == "sqlite":
        _raw(store, "DROP TRIGGER log_entry_no_update", "DROP TRIGGER log_entry_no_delete")
    else:
        _raw(store, "DROP TRIGGER log_entry_append_only ON log_entry")


def test_entries_are_numbered_and_chained(store, clock):
    seqs = []
    for i in range(5):
        clock.advance(timedelta(minutes=1))
        seqs.append(slog.append_entry(store, kind="note", text=f"note {i}", author="alice").seq)
    assert seqs == [1, 2, 3, 4, 5]
    entries = slog.list_entries(store)
    assert entries[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:]))
    assert entries[2].recorded_at == entries[2].event_at
    res = slog.verify_chain(store)
    assert res.ok and res.checked == 5 and slog.head(store) == (5, entries[-1].hash)


def test_attribution_role_areas_and_opel_as_they_were(store, clock, areas):
    now = clock.now()
    roles.set_role(store, "alice", "SCC Manager", set_by="bob")
    with store.write() as s:
        s.add(Assessment(area_id=areas["East Kent"], assessed_at=now - timedelta(hours=2), recorded_at=now,
                         method="acute-2023", level=3, author="x"))
        s.add(Declaration(area_id=areas["West Kent"], declared_at=now - timedelta(hours=1), recorded_at=now,
                          level=4, author="x"))
    e = slog.append_entry(store, kind="decision", text="Divert ambulances", rationale="QEQM full",
                          risk="delays", risk_measure="handover > 60 min", owner="carol",
                          review_at=now + timedelta(hours=4), author="alice",
                          areas=["west kent", "EAST KENT", "Medway & Swale", "east kent"])
    assert e.role == "SCC Manager" and e.author == "alice"
    assert json.loads(e.areas_json) == ["West Kent", "East Kent", "Medway & Swale"]
    assert json.loads(e.opel_json) == {"West Kent": 4, "East Kent": 3, "Medway & Swale": None}
    # Later changes do not rewrite what was recorded.
    roles.set_role(store, "alice", "Loggist", set_by="bob")
    with store.write() as s:
        s.add(Assessment(area_id=areas["East Kent"], assessed_at=now, recorded_at=now, method="acute-2023",
                         level=1, author="x"))
    again = slog.get_entry(store, e.seq)
    assert again.role == "SCC Manager" and json.loads(again.opel_json)["East Kent"] == 3
    assert slog.verify_chain(store).ok


@pytest.mark.parametrize("kw,match", [
    ({"text": ""}, "text: is empty"),
    ({"text": "   \n "}, "text: is empty"),
    ({"text": "x" * 100_000}, "100,000 characters"),
    ({"text": "\x1b[2Jclear"}, "control character"),
    ({"text": "\x1b]0;title\x07"}, "control character"),
    ({"kind": "rumour"}, "unknown kind"),
    ({"areas": ["Atlantis"]}, "unknown area 'Atlantis'"),
    ({"kind": "decision"}, "rationale"),
    ({"kind": "decision", "rationale": "  "}, "rationale"),
    ({"event_at_delta": -20}, "say why it is late"),
    ({"event_at_delta": +30}, "after the time of recording"),
    ({"naive": True}, "naive"),
    ({"corrects_seq": 99}, "no entry #99"),
    ({"kind": "correction"}, "names the entry it corrects"),
    ({"owner": "a\nb"}, "owner"),
    ({"author": ""}, "author"),
])
def test_bad_input_is_refused_and_nothing_is_saved(store, clock, areas, kw, match):
    slog.append_entry(store, kind="note", text="first", author="alice")
    args = {"kind": "note", "text": "a note", "author": "alice"}
    kw = dict(kw)  # parametrize values are shared between backends
    delta = kw.pop("event_at_delta", None)
    if delta is not None:
        args["event_at"] = clock.now() + timedelta(minutes=delta)
    if kw.pop("naive", False):
        args["event_at"] = clock.now().replace(tzinfo=None)
    args.update(kw)
    with pytest.raises(LogInputError, match=match):
        slog.append_entry(store, **args)
    assert _count(store) == 1
    assert slog.append_entry(store, kind="note", text="next", author="alice").seq == 2


def test_late_entry_with_reason(store, clock):
    e = slog.append_entry(store, kind="call-note", text="10:00 call: all at OPEL 2", author="alice",
                          event_at=clock.now() - timedelta(hours=2), late_reason="on the call, no access")
    assert e.event_at == clock.now() - timedelta(hours=2) and e.late_reason == "on the call, no access"
    assert slog.verify_chain(store).ok


def test_corrections_reference_the_original(store):
    slog.append_entry(store, kind="action", text="Call SECAmb at 11:00", author="alice", owner="bob")
    slog.append_entry(store, kind="note", text="unrelated", author="alice")
    c = slog.append_entry(store, kind="correction", text="It was 12:00, not 11:00", author="alice", corrects_seq=1)
    c2 = slog.append_entry(store, kind="action", text="Call SECAmb at 12:00", author="alice", corrects_seq=1)
    assert c.corrects_seq == 1
    assert slog.corrections_index(store) == {1: [c.seq, c2.seq]}
    assert [e.seq for e in slog.list_entries(store)] == [1, 2, 3, 4]  # the original stays
    assert slog.get_entry(store, 1).text == "Call SECAmb at 11:00"


def test_append_in_the_callers_transaction_commits_and_rolls_back_together(store, clock):
    with store.write(lock="log") as s:
        s.add(RoleAssignment(username="zed", role="X", set_by="y", set_at=clock.now()))
        e = slog.append_entry(store, kind="prompt-ack", text="10:00 call acknowledged", author="alice", session=s)
        assert e.seq == 1
    with pytest.raises(RuntimeError):
        with store.write(lock="log") as s:
            slog.append_entry(store, kind="prompt-ack", text="will vanish", author="alice", session=s)
            raise RuntimeError("the other write failed")
    assert _count(store) == 1
    assert slog.append_entry(store, kind="note", text="n", author="a").seq == 2
    assert slog.verify_chain(store).ok


def test_no_update_or_delete_path_and_db_guards(store):
    assert not any(hasattr(slog, n) for n in ("update_entry", "delete_entry", "edit_entry"))
    slog.append_entry(store, kind="note", text="keep me", author="alice")
    with store.read() as s:
        assert slog.guards_installed(s)
    for stmt in ("UPDATE log_entry SET text = 'changed' WHERE seq = 1", "DELETE FROM log_entry WHERE seq = 1"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            _raw(store, stmt)
    if store.dialect == "postgresql":
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            _raw(store, "TRUNCATE log_entry CASCADE")
    # ORM path too
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with store.write() as s:
            s.get(LogEntry, 1).text = "changed"
    assert slog.get_entry(store, 1).text == "keep me"
    # install_guards is idempotent
    with store.write() as s:
        slog.install_guards(s)
        slog.install_guards(s)


def test_tamper_with_text_is_named(store, clock):
    for i in range(1, 8):
        slog.append_entry(store, kind="note", text=f"entry {i}", author="alice")
    _drop_guards(store)
    _raw(store, "UPDATE log_entry SET text = 'nothing happened' WHERE seq = 5")
    res = slog.verify_chain(store)
    assert (res.ok, res.first_bad_seq, res.checked) == (False, 5, 4)
    assert res.reason == "entry #5: hash mismatch (content altered?)"


def test_tamper_deleted_middle_row_is_a_gap(store):
    for i in range(1, 6):
        slog.append_entry(store, kind="note", text=f"entry {i}", author="alice")
    _drop_guards(store)
    _raw(store, "DELETE FROM log_entry WHERE seq = 3")
    res = slog.verify_chain(store)
    assert (res.ok, res.first_bad_seq) == (False, 3) and "missing" in res.reason


def test_tamper_opel_and_time_are_caught(store, clock):
    for i in range(3):
        slog.append_entry(store, kind="note", text=f"entry {i}", author="alice")
    _drop_guards(store)
    _raw(store, "UPDATE log_entry SET opel_json = '{\"East Kent\": 1}' WHERE seq = 2")
    assert slog.verify_chain(store).first_bad_seq == 2


def test_tamper_time_is_caught(store, clock):
    for i in range(3):
        slog.append_entry(store, kind="note", text=f"entry {i}", author="alice")
    _drop_guards(store)
    with store.engine.begin() as c:
        c.execute(sa.update(LogEntry).where(LogEntry.seq == 1).values(event_at=clock.now() - timedelta(minutes=1)))
    assert slog.verify_chain(store).first_bad_seq == 1


def test_listing_filters_and_paging(store, clock, areas):
    for i in range(10):
        clock.advance(timedelta(minutes=10))
        slog.append_entry(store, kind="note" if i % 2 else "action", text=f"e{i}", author="alice" if i < 5 else "bob",
                          areas=["East Kent"] if i % 3 == 0 else ())
    t = clock.now()
    assert [e.seq for e in slog.list_entries(store, kinds=["action"])] == [1, 3, 5, 7, 9]
    assert [e.seq for e in slog.list_entries(store, author="bob")] == [6, 7, 8, 9, 10]
    assert [e.seq for e in slog.list_entries(store, area="east kent")] == [1, 4, 7, 10]
    assert [e.seq for e in slog.list_entries(store, since=t - timedelta(minutes=20))] == [8, 9, 10]
    assert [e.seq for e in slog.list_entries(store, until=t - timedelta(minutes=80))] == [1]
    assert [e.seq for e in slog.list_entries(store, before_seq=8, limit=3, newest_first=True)] == [7, 6, 5]
    assert [e.seq for e in slog.list_entries(store, area="east kent", limit=2)] == [1, 4]


def test_roles_history_and_logging(store, clock):
    assert roles.current_roles(store) == []
    ra, seq = roles.set_role(store, "alice", "Loggist", set_by="alice")
    e = slog.get_entry(store, seq)
    assert e.kind == "config" and e.author == "alice" and e.role is None  # her role before the change
    assert "Role of alice set to Loggist" in e.text
    clock.advance(timedelta(hours=1))
    roles.set_role(store, "alice", "SCC Manager", set_by="bob")
    with store.read() as s:
        assert roles.role_in_force(s, "alice") == "SCC Manager"
        assert roles.role_in_force(s, "alice", clock.now() - timedelta(minutes=1)) == "Loggist"
    assert [(r.username, r.role) for r in roles.current_roles(store)] == [("alice", "SCC Manager")]
    assert len(roles.role_history(store, "alice")) == 2
    with pytest.raises(LogInputError, match="already"):
        roles.set_role(store, "alice", "SCC Manager", set_by="bob")
    with pytest.raises(LogInputError, match="control"):
        roles.set_role(store, "alice", "\x1b[31mBoss", set_by="bob")
    assert slog.append_entry(store, kind="note", text="x", author="alice").role == "SCC Manager"


def test_plan_tests_are_logged(store, clock):
    pt = plan_tests.add_plan_test(
        store, held_on=date(2024, 7, 24), kind="invocation", title="MTW declared OPEL 4",
        what_happened="Extra-ordinary Practice Assurance Panel; 15 discharges expedited", duration_minutes=2 * 24 * 60,
        lessons="Extra-ordinary panel now in the plan", author="alice",
    )
    e = slog.get_entry(store, pt.log_seq)
    assert e.kind == "plan-test" and "MTW declared OPEL 4" in e.text and "Lessons identified" in e.text
    plan_tests.add_plan_test(store, held_on=date(2025, 9, 8), kind="exercise", title="Exercise Aegis", author="bob")
    assert [p.title for p in plan_tests.list_plan_tests(store)] == ["MTW declared OPEL 4", "Exercise Aegis"]
    for bad, match in (({"kind": "drill"}, "kind"), ({"held_on": date(2027, 1, 1)}, "future"),
                       ({"title": ""}, "title"), ({"duration_minutes": -5}, "duration")):
        args = dict(held_on=date(2025, 1, 1), kind="exercise", title="t", author="a") | bad
        with pytest.raises(LogInputError, match=match):
            plan_tests.add_plan_test(store, **args)
    with store.read() as s:
        assert len(s.exec(select(PlanTest)).all()) == 2
    assert _count(store) == 2 and slog.verify_chain(store).ok


def test_append_notifies_the_change_feed(store):
    from scc_tui.store.feed import ChangeFeed

    other = type(store)(store.url, store.clock)  # another session/process's view
    with ChangeFeed.for_store(other) as feed:
        feed.poll()
        assert not feed.poll()
        slog.append_entry(store, kind="note", text="hello", author="alice")
        assert feed.wait(5)
    other.dispose()
