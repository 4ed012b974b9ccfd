"""The board's Day N from the store uses the run with the hold, reading back as far as the run needs."""

from __future__ import annotations

from datetime import timedelta

from scc_tui.store.models import Declaration
from scc_tui.store.queries import area_statuses, find_area
from tests.helpers.escalation import L, seeded


def test_a_short_dip_beyond_the_first_window_does_not_reset_day_n(db_url):
    st = seeded(db_url, "2026-12-01T10:00")
    # Reads go back in doubling windows (35 days, then 70 more, ...). The 2-hour dip on 2 Oct is in the
    # second window; the run began on 3 Aug, in the third: a dip shorter than the hold must not stop the read.
    start = L("2026-08-03T09:00")
    with st.write() as s:
        area = find_area(s, "Darent Valley Hospital")
        for at, level in ((L("2026-08-01T09:00"), 2), (start, 4), (L("2026-10-02T09:00"), 3),
                          (L("2026-10-02T11:00"), 4), (L("2026-11-30T09:00"), 4)):
            s.add(Declaration(area_id=area.id, declared_at=at, recorded_at=at, level=level, author="x", reason="t"))
    with st.read() as s:
        by = {x.name: x for x in area_statuses(s, L("2026-12-01T10:00"))}
    dvh = by["Darent Valley Hospital"]
    assert (dvh.level, dvh.since, dvh.days_at_level) == (4, start, 121)  # 3 Aug (Day 1) .. 1 Dec (Day 121)
    st.dispose()
