"""Firings in the store: recorded once per (rule, area, occasion) across processes; acknowledgement is
a named, logged act (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from scc_tui.domain.clock import UTC, FixedClock
from scc_tui.store import escalations
from scc_tui.store import log as slog
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.models import EscalationFiring, LogEntry
from tests.helpers.escalation import ROOT, L, seeded

WORKER = Path(__file__).with_name("firing_worker.py")


def test_day2_fires_once_and_is_acknowledged_as_a_logged_act(db_url):
    st = seeded(db_url, "2026-12-01T10:25")
    fs = escalations.active(st)
    day2 = [a for a in fs if a.firing.rule_key == "opel4-day2-include-stp"]
    assert {a.firing.area for a in day2} == {"East Kent", "QEQM Hospital"}
    ek = next(a for a in day2 if a.firing.area == "East Kent")
    assert ek.record is not None and ek.ack is None
    assert ek.firing.why == "East Kent: OPEL 4 since Mon 09:10, Day 2"
    assert ek.record.ruleset_version == "2025.1"
    # Evaluating again records nothing new.
    again = escalations.active(st)
    assert {a.record.id for a in again} == {a.record.id for a in fs}
    with st.read() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(EscalationFiring)).scalar() == len(fs)
    # Acknowledge: first acknowledger only; one log entry, in the same transaction.
    assert escalations.acknowledge(st, ek.record.id, "alice", note="STP invited to the 10:30 call") is True
    assert escalations.acknowledge(st, ek.record.id, "bob") is False
    rec = escalations.get(st, ek.record.id)
    assert (rec.acknowledged_by, rec.ack_note) == ("alice", "STP invited to the 10:30 call")
    with st.read() as s:
        entries = s.execute(sa.select(LogEntry).where(LogEntry.kind == "escalation-ack")).scalars().all()
    assert len(entries) == 1 and entries[0].seq == rec.log_seq and entries[0].author == "alice"
    assert "include STP" in entries[0].text and "STP invited to the 10:30 call" in entries[0].text
    assert '"East Kent"' in entries[0].areas_json
    assert slog.verify_chain(st).ok
    acked = next(a for a in escalations.active(st) if a.record.id == ek.record.id)
    assert acked.ack["by"] == "alice"
    with pytest.raises(escalations.FiringNotFound):
        escalations.acknowledge(st, 99999, "alice")
    st.dispose()


def test_at_another_instant_nothing_is_written(db_url):
    st = seeded(db_url, "2026-12-01T10:25")
    past = escalations.active(st, L("2026-12-02T10:00"))
    assert past and all(a.record is None for a in past)
    with st.read() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(EscalationFiring)).scalar() == 0
    st.dispose()


def test_111_review_from_a_tagged_log_entry(db_url):
    st = seeded(db_url, "2026-12-01T13:05")
    slog.append_entry(st, kind="action", text="NHS 111 DoS protocol activated #111-dos-activated",
                      author="ops", areas=["Kent County Council ASC"], event_at=L("2026-12-01T09:00"),
                      late_reason="test: recorded after the event")
    fs = [a for a in escalations.active(st) if a.firing.rule_key == "nhs111-dos-review"]
    assert [(a.firing.area, a.firing.due_at) for a in fs] == [("Kent County Council ASC", L("2026-12-01T13:00"))]
    st.dispose()


@pytest.mark.slow
def test_several_processes_record_each_firing_exactly_once(db_url):
    st = seeded(db_url, "2026-12-01T10:25")
    at = L("2026-12-01T10:25").astimezone(UTC).isoformat()
    env = {k: v for k, v in os.environ.items() if k != "SCC_NOW"}
    procs = [subprocess.Popen([sys.executable, str(WORKER), db_url, at, "5"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    seen: dict[str, set[int]] = {}
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        for line in out.splitlines():
            rid, key = line.split(" ", 1)
            seen.setdefault(key, set()).add(int(rid))
    with st.read() as s:
        rows = s.execute(sa.select(EscalationFiring.rule_key, EscalationFiring.area, EscalationFiring.occasion)).all()
    keys = Counter("|".join(r) for r in rows)
    assert keys and all(n == 1 for n in keys.values())  # the unique key: each firing recorded once
    assert set(keys) == set(seen)
    assert all(len(ids) == 1 for ids in seen.values())  # every process saw the same row
    st.dispose()


def test_handover_lists_open_firings(db_url):
    from scc_tui.domain.handover import render_markdown
    from scc_tui.store.handover import gather_handover

    st = seeded(db_url, "2026-12-01T18:00")
    h = gather_handover(st)
    md = render_markdown(h)
    section = md.split("## Open escalations and action cards")[1].split("##")[0]
    assert "None recorded" not in section
    assert "East Kent: Day 2 in OPEL 4 – include STP (now Kent and Medway ICB)" in section
    assert "(East Kent: OPEL 4 since Mon 09:10, Day 2) — NOT ACKNOWLEDGED" in section
    fid = next(a.record.id for a in escalations.active(st) if a.firing.area == "East Kent"
               and a.firing.rule_key == "opel4-day2-include-stp")
    escalations.acknowledge(st, fid, "alice", note="STP invited to the 10:30 call")
    md = render_markdown(gather_handover(st))
    assert "— acknowledged by alice 18:00: STP invited to the 10:30 call" in md
    # An unacknowledged firing from an earlier day stays on the handover the next day.
    st.clock = FixedClock(L("2026-12-02T18:00"))
    md = render_markdown(gather_handover(st))
    assert "QEQM Hospital: Day 2 in OPEL 4" in md and "NOT ACKNOWLEDGED" in md
    st.dispose()


def test_cli_escalations_json_fields(tmp_path, capsys, monkeypatch):
    import json

    from scc_tui.cli import main

    db = tmp_path / "e.db"
    monkeypatch.setenv("SCC_NOW", "2026-12-01T10:25:00+00:00")
    seeded(f"sqlite:///{db}", "2026-12-01T10:25").dispose()
    assert main(["escalations", "--db", str(db), "--area", "east kent", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # The area and the areas under it, by the log filter's rule (East Kent -> QEQM Hospital).
    assert {d["area"] for d in data} == {"East Kent", "QEQM Hospital"}
    day2 = next(d for d in data if d["rule"] == "opel4-day2-include-stp" and d["area"] == "East Kent")
    assert {"area", "rule", "day", "message", "include", "optional", "since", "ack"} <= set(day2)
    assert (day2["area"], day2["day"], day2["optional"], day2["ack"]) == ("East Kent", 2, False, None)
    assert day2["include"] == ["STP (now Kent and Medway ICB)"]
    assert main(["escalations", "ack", str(day2["id"]), "--note", "STP invited", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["escalations", "--db", str(db), "--area", "East Kent", "--json"]) == 0
    acked = next(d for d in json.loads(capsys.readouterr().out) if d["rule"] == "opel4-day2-include-stp")
    assert acked["ack"]["note"] == "STP invited" and acked["ack"]["by"]
    assert main(["escalations", "ack", str(day2["id"]), "--db", str(db)]) == 2
    assert main(["escalations", "--at", "yesterday-ish", "--db", str(db)]) == 2
    assert main(["escalations", "--area", "Nowhere", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 3 and "Traceback" not in err
    # --at is read-only: Thursday's Day 4 firings are shown, not recorded (the per-run ones were).
    st = Store(resolve_url(f"sqlite:///{db}"), FixedClock(L("2026-12-01T10:25")))
    with st.read() as s:
        before = s.execute(sa.select(sa.func.count()).select_from(EscalationFiring)).scalar()
    assert main(["escalations", "--at", "2026-12-03T10:00", "--db", str(db), "--json"]) == 0
    later = json.loads(capsys.readouterr().out)
    day4 = [d for d in later if d["day"] == 4]
    assert day4 and all(d["id"] is None for d in day4)
    with st.read() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(EscalationFiring)).scalar() == before
    st.dispose()


def test_area_views_walk_the_bounded_tree(tmp_path):
    """A chain deeper than the hierarchy allows (a hand edit) is walked as every view walks it
    (domain.hierarchy.bounded_parents): no area carries more than MAX_DEPTH ancestors, so the rules'
    view of 10,000 nested areas is linear, not quadratic; a shallow area keeps all of its ancestors."""
    from scc_tui.domain.hierarchy import MAX_DEPTH
    from scc_tui.store.models import Area

    st = Store(resolve_url(str(tmp_path / "deep.db")), FixedClock(L("2026-12-01T10:00")))
    t = L("2026-11-01T00:00")
    with st.write() as s:
        prev = None
        for i in range(3 * MAX_DEPTH):
            a = Area(name=f"A{i}", key=f"a{i}", kind="region" if i == 0 else "system", parent_id=prev,
                     created_at=t, updated_at=t)
            s.add(a)
            s.flush()
            prev = a.id
    with st.read() as s:
        views = {v.name: v for v in escalations.area_views(s, L("2026-12-01T10:00"), [])}
    st.dispose()
    assert max(len(v.ancestors) for v in views.values()) <= MAX_DEPTH
    assert [n for n, _ in views["A3"].ancestors] == ["A2", "A1", "A0"]
