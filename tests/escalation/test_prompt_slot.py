"""The escalation-call prompts' "Escalation inclusions" slot and the weekend "escalation call as needed"
agenda item, from stored history and the shipped rules."""

from __future__ import annotations

from scc_tui.app.prompting import AS_NEEDED_KEY, PromptController
from scc_tui.app.db_seam import DbSeam
from scc_tui.domain.clock import FixedClock
from tests.helpers.escalation import L, seeded


def _controller(st, winter, at):
    st.clock = FixedClock(L(at))
    return PromptController(DbSeam(st), st.clock, winter, "alice", bell=False)


def test_the_1030_call_says_include_stp_on_day2(db_url, winter):
    st = seeded(db_url, "2026-12-01T10:25")
    c = _controller(st, winter, "2026-12-01T10:25")
    c.evaluate()
    row = next(r for r in c.view.rows if r.item_key == "escalation-am")
    slot = next(line for line in row.detail if line.startswith("Escalation inclusions:"))
    assert "East Kent: include STP (now Kent and Medway ICB) – Day 2 in OPEL 4 – include STP" in slot
    assert "QEQM Hospital: include STP" in slot
    assert not any(r.item_key == AS_NEEDED_KEY for r in c.view.rows)  # a weekday: the calls are scheduled
    st.dispose()


def test_weekend_firings_with_no_call_give_an_escalation_call_as_needed_item(db_url, winter):
    st = seeded(db_url, "2026-12-05T13:00")  # Sat 5 Dec: QEQM and East Kent on Day 6
    c = _controller(st, winter, "2026-12-05T13:00")
    c.evaluate()
    assert not any(r.item_key in ("escalation-am", "escalation-pm") for r in c.view.rows)
    row = next(r for r in c.view.rows if r.item_key == AS_NEEDED_KEY)
    assert row.title.startswith("Escalation call as needed")
    assert any("NHSE Director on-call – Day 3 in OPEL 4" in d and "(optional" in d for d in row.detail)
    assert any(d.startswith("East Kent: include STP (now Kent and Medway ICB) – Day 3") for d in row.detail)
    st.dispose()
