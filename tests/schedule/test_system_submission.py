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
        def st(area_id, name, kind, parent_id, level, last_update):
            return SimpleNamespace(area_id=area_id, name=name, kind=kind, parent_id=parent_id, method=None,
                                   level=level, last_update=last_update)

        statuses = [
            st(1, "Kent and Medway ICS", "ics", None, 3, None),
            st(2, "East Kent", "system", 1, 3, this_morning),
            st(3, "West Kent", "system", 1, None, None),
            st(4, "QEQM Hospital", "provider", 2, 4, None),
            st(5, "KCC Swale", "la-area", 1, 3, None),
            st(6, "Staffordshire and Stoke-on-Trent ICS", "ics", None, None, None),
            st(7, "A Staffordshire system", "system", 6, None, None),  # not this schedule's ICS
        ]
        assert owing_areas(occ, statuses) == ["West Kent"], d
