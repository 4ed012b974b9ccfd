"""The score in force at the end of each London day (``queries.area_score_history``, issue 15 item 4),
on every backend."""

from __future__ import annotations

from datetime import date, datetime

from scc_tui.domain.clock import LONDON, UTC
from scc_tui.store.models import Area, Assessment, Declaration


def _area(store, now) -> int:
    with store.write() as s:
        a = Area(name="QEQM", key="qeqm", kind="provider", method="acute-2023", created_at=now, updated_at=now)
        s.add(a)
        s.flush()
        return a.id


def _assess(store, area_id, at, score, max_score=44):
    with store.write() as s:
        s.add(Assessment(area_id=area_id, assessed_at=at, recorded_at=at, method="acute-2023", level=1,
                         score=score, max_score=max_score, author="x"))


def _declare(store, area_id, at, level):
    with store.write() as s:
        s.add(Declaration(area_id=area_id, declared_at=at, recorded_at=at, level=level, author="d", reason="r"))


def test_score_in_force_at_the_end_of_each_day(store, clock):
    from scc_tui.store.queries import area_score_history

    now = clock.now()  # Mon 23 Nov 2026 09:00 GMT
    aid = _area(store, now)
    _assess(store, aid, datetime(2026, 11, 10, 9, 0, tzinfo=UTC), 5)  # before the window: in force when it opens
    _assess(store, aid, datetime(2026, 11, 19, 9, 0, tzinfo=UTC), 13)
    _assess(store, aid, datetime(2026, 11, 19, 15, 0, tzinfo=UTC), 26)  # the later one that day counts
    _declare(store, aid, datetime(2026, 11, 20, 9, 0, tzinfo=UTC), 4)  # a declaration has no score
    _assess(store, aid, datetime(2026, 11, 21, 23, 59, tzinfo=UTC), None, None)  # indicator bands: no score
    _assess(store, aid, datetime(2026, 11, 23, 8, 0, tzinfo=UTC), 30)
    _assess(store, aid, datetime(2026, 11, 23, 9, 30, tzinfo=UTC), 44)  # after now: not yet
    with store.read() as s:
        out = area_score_history(s, aid, now, days=6)
    assert [d for d, _, _ in out] == [date(2026, 11, n) for n in range(18, 24)]
    assert [sc for _, sc, _ in out] == [5, 26, 26, None, None, 30]
    assert out[-1][2] == 44


def test_nothing_before_the_first_assessment(store, clock):
    from scc_tui.store.queries import area_score_history

    now = clock.now()
    aid = _area(store, now)
    _assess(store, aid, datetime(2026, 11, 22, 12, 0, tzinfo=UTC), 13)
    with store.read() as s:
        out = area_score_history(s, aid, now, days=3)
    assert out == [(date(2026, 11, 21), None, None), (date(2026, 11, 22), 13, 44), (date(2026, 11, 23), 13, 44)]


def test_days_end_at_london_midnight_in_summer_time(store, clock):
    from scc_tui.store.queries import area_score_history

    aid = _area(store, clock.now())
    # 23:30 UTC on Wed 1 Jul is 00:30 BST Thu 2 Jul: that London day's, not Wednesday's.
    _assess(store, aid, datetime(2026, 7, 1, 23, 30, tzinfo=UTC), 20)
    _assess(store, aid, datetime(2026, 7, 1, 22, 59, tzinfo=UTC), 10)  # 23:59 BST Wednesday
    at = datetime(2026, 7, 2, 12, 0, tzinfo=LONDON)
    with store.read() as s:
        out = area_score_history(s, aid, at, days=2)
    assert out == [(date(2026, 7, 1), 10, 44), (date(2026, 7, 2), 20, 44)]
