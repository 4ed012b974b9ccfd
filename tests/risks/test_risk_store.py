"""Issue 15 item 1: the register is append-only (every change a new version with author and time) and
`scc log verify` covers it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from scc_tui.domain.risks import RiskError, Score
from scc_tui.store import risks
from scc_tui.store.log import append_entry


def _add(store, **kw):
    args = dict(title="Ambulance Handover Delays", cause="If delays continue", event="Then ED pressure",
                effect="Resulting in harm", inherent=Score(4, 5), author="alice")
    args.update(kw)
    return risks.add_risk(store, **args)


def test_add_then_update_keeps_every_version(store, clock):
    v1 = _add(store, target=Score(4, 1), target_date=date(2025, 3, 31))
    assert (v1.risk_id, v1.version, v1.residual) == (1, 1, Score(4, 5))
    clock.advance(timedelta(hours=1)) if hasattr(clock, "advance") else None
    v2 = risks.update_risk(store, 1, author="bob", residual=Score(4, 3), note="mitigation agreed on the 10:30 call")
    assert (v2.version, v2.residual, v2.inherent, v2.target) == (2, Score(4, 3), Score(4, 5), Score(4, 1))
    hist = risks.history(store, 1)
    assert [(h.version, h.author, h.residual.text) for h in hist] == [(1, "alice", "20 (4×5)"), (2, "bob", "12 (4×3)")]
    assert hist[0].note == "" and hist[1].note == "mitigation agreed on the 10:30 call"
    assert risks.latest(store)[0].version == 2
    assert risks.verify_risks(store).ok and risks.verify_risks(store).checked == 2


def test_second_risk_gets_the_next_id(store):
    _add(store)
    assert _add(store, title="D2A Capacity").risk_id == 2


def test_update_of_nothing_is_refused(store):
    _add(store)
    with pytest.raises(RiskError, match="nothing to record"):
        risks.update_risk(store, 1, author="bob")
    with pytest.raises(RiskError, match="no risk R9"):
        risks.update_risk(store, 9, author="bob", note="x")


def test_links_to_areas_log_entries_and_firings_are_checked(store):
    from scc_tui.store.areas import import_area_specs
    from scc_tui.datafiles.areas import AreaSpec

    e = append_entry(store, kind="note", text="10:30 call: mitigation agreed", author="alice")
    v = _add(store, log_refs=[e.seq])
    assert v.log_refs == (e.seq,)
    with pytest.raises(RiskError, match="no log entry #99"):
        risks.update_risk(store, 1, author="bob", log_refs=[99])
    with pytest.raises(RiskError, match="no escalation firing #7"):
        risks.update_risk(store, 1, author="bob", firing_refs=[7])
    with pytest.raises(RiskError, match="areas"):
        risks.update_risk(store, 1, author="bob", areas=["Nowhere"])


def _sql(store, stmt):
    with store.engine.begin() as c:
        c.execute(sa.text(stmt))


def test_update_and_delete_are_refused_by_the_database(store):
    _add(store)
    for stmt in ("UPDATE risk_version SET residual_l = 1", "DELETE FROM risk_version"):
        with pytest.raises(sa.exc.DBAPIError):
            _sql(store, stmt)


def _drop_guards(store):
    if store.engine.dialect.name == "postgresql":
        _sql(store, "DROP TRIGGER risk_version_append_only ON risk_version")
    else:
        _sql(store, "DROP TRIGGER risk_version_no_update")
        _sql(store, "DROP TRIGGER risk_version_no_delete")


def test_verify_finds_a_version_altered_behind_its_back(store):
    _add(store)
    risks.update_risk(store, 1, author="bob", residual=Score(4, 3))
    _drop_guards(store)
    _sql(store, "UPDATE risk_version SET residual_l = 1, residual_c = 1 WHERE version = 2")
    res = risks.verify_risks(store)
    assert not res.ok and "R1 v2" in res.problem and "digest" in res.problem


def test_verify_finds_a_removed_version(store):
    _add(store)
    risks.update_risk(store, 1, author="bob", residual=Score(4, 3))
    _drop_guards(store)
    _sql(store, "DELETE FROM risk_version WHERE version = 2")
    res = risks.verify_risks(store)
    assert not res.ok and "not in the register" in res.problem


def test_verify_finds_a_forged_digest(store):
    """Rewriting the row and its digest together still fails: the log entry holds the original digest."""
    from dataclasses import replace

    from scc_tui.domain.risks import version_digest

    v = _add(store)
    _drop_guards(store)
    forged = version_digest(replace(v, residual=Score(1, 1)))
    _sql(store, f"UPDATE risk_version SET residual_l = 1, residual_c = 1, digest = '{forged}'")
    res = risks.verify_risks(store)
    assert not res.ok and "different version" in res.problem


def test_seed_rows_import_with_the_seed_scores(store):
    rows = risks.seed_demo_risks(store, author="scc.manager")
    got = {v.title: (v.inherent.text, v.residual.text, v.target.text, v.target_date) for v in rows}
    assert got == {
        "UEC Workforce/Staffing": ("25 (5×5)", "15 (5×3)", "10 (5×2)", date(2025, 3, 31)),
        "System Surge Capacity": ("25 (5×5)", "20 (5×4)", "9 (3×3)", date(2025, 4, 30)),
        "D2A Capacity": ("15 (3×5)", "15 (3×5)", "3 (3×1)", date(2025, 3, 31)),
        "Ambulance Handover Delays": ("20 (4×5)", "20 (4×5)", "4 (4×1)", date(2025, 3, 31)),
    }
    assert risks.verify_risks(store).ok


def test_handover_lists_top_risks_by_residual(store, clock):
    from scc_tui.domain.handover import render_markdown
    from scc_tui.store.handover import gather_handover

    risks.seed_demo_risks(store, author="scc.manager")
    h = gather_handover(store, clock.now())
    assert [line.split(":")[0] for line in h.risks] == [
        "R2 System Surge Capacity", "R4 Ambulance Handover Delays", "R1 UEC Workforce/Staffing", "R3 D2A Capacity"]
    md = render_markdown(h)
    assert "## Top risks" in md and "- R2 System Surge Capacity: residual 20 (5×4) (inherent 25 (5×5), target 9 (3×3))" in md
    assert h.to_json()["risks"] == h.risks
