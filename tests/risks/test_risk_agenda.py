"""Issue 15 item 1: risks due for review are raised in the agenda at the system escalation call (the
register is "reviewed daily via system call": SSOT ICB System Surge Plan 2024/25, Risk register)."""

from __future__ import annotations

import pytest

from scc_tui.app.prompting import PromptController
from scc_tui.app.db_seam import DbSeam
from scc_tui.domain.clock import FixedClock
from scc_tui.domain.risks import Score
from scc_tui.store import risks
from tests.helpers.escalation import L, seeded


@pytest.fixture(scope="module")
def winter():
    from scc_tui.datafiles.schedules import load_schedule

    return load_schedule()  # the packaged Kent and Medway winter schedule


def test_the_system_call_lists_risks_not_reviewed_today(db_url, winter):
    st = seeded(db_url, "2026-11-30T10:00")
    risks.seed_demo_risks(st, author="scc.manager")  # recorded Mon 30 Nov
    st.clock = FixedClock(L("2026-12-01T09:00"))
    risks.update_risk(st, 3, author="alice", residual=Score(3, 3), note="reviewed this morning")  # R3 reviewed today
    c = PromptController(DbSeam(st), st.clock, winter, "alice", bell=False)
    c.evaluate()
    row = next(r for r in c.view.rows if r.item_key == "escalation-am")
    slot = next(line for line in row.detail if line.startswith("Risks due for review:"))
    assert slot == ("Risks due for review: R2 System Surge Capacity 20 (5×4); R4 Ambulance Handover Delays 20 (4×5); "
                    "R1 UEC Workforce/Staffing 15 (5×3)")
    deadline = next(r for r in c.view.rows if r.kind == "deadline")
    assert not any(line.startswith("Risks due") for line in deadline.detail)  # only at the system calls
    st.dispose()
