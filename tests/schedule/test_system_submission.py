"""The 11:30 grid item "Systems update SHREWD with system OPEL status, system call notes and actions"
(K&M STP Winter Approach) is a submission that systems owe, tracked like the 10:00 one (issue 9 item 9)."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from scc_tui.datafiles.schedules import load_schedule
from scc_tui.domain.clock import LONDON
from scc_tui.domain.schedule import occurrences_on, owing_areas


def test_systems_owe_the_1130_shrewd_update_every_day():
    for d in (date(2026, 11, 23), date(2026, 11, 28), date(2026, 12, 25)):  # weekday, Saturday, bank holiday
        occ = next(o for o in occurrences_on(load_schedule(), d) if o.item_key == "shrewd-update")
        assert occ.kind == "deadline" and occ.local_end.strftime("%H:%M") == "11:30"
        this_morning = datetime.combine(d, datetime.min.time(), tzinfo=LONDON).replace(hour=11, minute=5)
        statuses = [
            SimpleNamespace(name="Kent and Medway ICS", kind="ics", level=3, last_update=None),
            SimpleNamespace(name="East Kent", kind="system", level=3, last_update=this_morning),
            SimpleNamespace(name="West Kent", kind="system", level=None, last_update=None),
            SimpleNamespace(name="QEQM Hospital", kind="provider", level=4, last_update=None),
            SimpleNamespace(name="KCC Swale", kind="la-area", level=3, last_update=None),
        ]
        assert owing_areas(occ, statuses) == ["West Kent"], d
