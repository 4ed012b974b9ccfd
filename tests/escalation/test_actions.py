"""Action cards: transcribed counts, due on entering a level (inheriting lower levels), progress, marks
logged (done / not applicable with a reason), the handover and `scc actions`."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import sqlalchemy as sa

from scc_tui.cli import main
from scc_tui.datafiles.actions import load_cards
from scc_tui.domain.actions import due_actions, progress
from scc_tui.domain.clock import LONDON
from scc_tui.domain.escalation import AreaView, LevelPoint
from scc_tui.store import actions
from scc_tui.store.models import LogEntry
from tests.helpers.escalation import L, declare, seeded

ICS = (("Kent County Council ASC", "council"), ("Kent and Medway ICS", "ics"), ("South East", "region"))


def test_transcribed_counts_match_the_seeds():
    cards = {(c.id, c.version): c for c in load_cards()}
    v18 = cards[("kcc-asc", "v1.8")]
    assert [len(lv.items) for lv in v18.levels] == [10, 14, 2]  # plan v1.8 Appendix 3
    assert v18.level(2).items[2].text == "Ensure Shrewd is updated daily before 10.30"
    assert v18.level(4).continues == (2, 3)
    v17 = cards[("kcc-asc", "v1.7")]
    assert [len(lv.items) for lv in v17.levels] == [12, 15, 2]  # plan v1.7 Appendix 2
    linked = [c for c in cards.values() if not c.in_source]
    assert {c.id for c in linked} == {"nhs-acute", "nhs-community", "nhs-mental-health", "nhs-111", "nhse"}
    assert all(c.levels == () for c in linked)  # structure only: nothing invented


def test_due_on_entering_a_level_inherits_lower_levels_and_counts_progress():
    cards = load_cards()
    swale = AreaView("KCC Swale", "la-area", ICS, (LevelPoint(L("2026-11-30T09:00"), 2), LevelPoint(L("2026-12-01T09:00"), 3)))
    due = due_actions(cards, [swale], L("2026-12-01T10:00"))
    assert sorted({(d.level, d.card_version) for d in due}) == [(2, "v1.8"), (3, "v1.8")]
    assert sum(d.level == 2 for d in due) == 10 and sum(d.level == 3 for d in due) == 14
    assert progress(due, "KCC Swale") == "OPEL 3 actions 0/14"
    # Before the rise to 3, only the OPEL 2 items; a provider (NHS) gets nothing from the KCC card.
    assert {d.level for d in due_actions(cards, [swale], L("2026-11-30T10:00"))} == {2}
    qeqm = AreaView("QEQM Hospital", "provider", (("East Kent", "system"),) + ICS[1:], (LevelPoint(L("2026-12-01T09:00"), 4),))
    assert due_actions(cards, [qeqm], L("2026-12-01T10:00")) == []
    # A run that began under v1.7 keeps v1.7's card.
    old = AreaView("KCC Swale", "la-area", ICS, (LevelPoint(L("2025-09-29T09:00"), 2),))
    assert {d.card_version for d in due_actions(cards, [old], L("2025-10-02T10:00"))} == {"v1.7"}


def test_marks_are_named_logged_and_counted(db_url):
    st = seeded(db_url, "2026-12-01T10:00")
    declare(st, "KCC Swale", "2026-12-01T08:00", 3)
    items = actions.due(st)
    mine = [d for d in items if d.area == "KCC Swale"]
    assert actions.progress_by_area(mine)["KCC Swale"] == "OPEL 3 actions 0/14"
    l3 = [d for d in mine if d.level == 3]
    actions.mark(st, "kcc swale", l3[0].item.id, "done", "alice")
    with pytest.raises(actions.ActionError, match="reason"):
        actions.mark(st, "KCC Swale", l3[1].item.id, "na", "alice")
    actions.mark(st, "KCC Swale", l3[1].item.id, "na", "bob", reason="no in-house units in Swale")
    with pytest.raises(actions.ActionError, match="already marked"):
        actions.mark(st, "KCC Swale", l3[0].item.id, "done", "carol")
    after = [d for d in actions.due(st) if d.area == "KCC Swale"]
    assert actions.progress_by_area(after)["KCC Swale"] == "OPEL 3 actions 2/14"
    with st.read() as s:
        texts = [e.text for e in s.execute(sa.select(LogEntry).where(LogEntry.kind == "action")).scalars()]
    assert any(t.endswith("– done") for t in texts)
    assert any("not applicable (no in-house units in Swale)" in t for t in texts)
    from scc_tui.store.handover import escalation_lines

    lines = escalation_lines(st, L("2026-12-01T10:00"))
    assert "KCC Swale: OPEL 3 actions 2/14 – 22 outstanding (OPEL 2: 10, OPEL 3: 12)" in lines
    st.dispose()


def test_cli_actions(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "a.db")
    monkeypatch.setenv("SCC_NOW", "2026-12-01T10:00:00+00:00")
    st = seeded(f"sqlite:///{db}", "2026-12-01T10:00")
    declare(st, "KCC Swale", "2026-12-01T08:00", 2)
    st.dispose()
    assert main(["actions", "--db", db, "--area", "kcc swale", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 10 and all(d["status"] == "due" for d in data)
    item = data[0]["item"]
    assert main(["actions", "na", "KCC Swale", item, "--db", db]) == 2
    assert "reason" in capsys.readouterr().err
    assert main(["actions", "done", "KCC Swale", item, "--db", db]) == 0
    capsys.readouterr()
    assert main(["actions", "--db", db, "--area", "KCC Swale"]) == 0
    out = capsys.readouterr().out
    assert "KCC Swale: OPEL 2 actions 1/10" in out
    assert main(["actions", "done", "KCC Swale", "no-such-item", "--db", db]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_area_filters_share_the_log_rule(tmp_path, capsys, monkeypatch):
    """`actions --area` and `escalations --area` read a name as the log filter does (short name, any
    case, and the areas under it); an unknown area is an error (exit 2), not an empty list."""
    db = str(tmp_path / "a.db")
    monkeypatch.setenv("SCC_NOW", "2026-12-01T10:00:00+00:00")
    st = seeded(f"sqlite:///{db}", "2026-12-01T10:00")
    declare(st, "KCC Swale", "2026-12-01T08:00", 2)
    st.dispose()
    assert main(["actions", "--db", db, "--area", "swale", "--json"]) == 0
    assert {d["area"] for d in json.loads(capsys.readouterr().out)} == {"KCC Swale"}
    for cmd in ("actions", "escalations"):
        assert main([cmd, "--db", db, "--area", "Nowhere", "--json"]) == 2
        cap = capsys.readouterr()
        assert cap.out == "" and "unknown area 'Nowhere'" in cap.err and cap.err.count("\n") == 1
