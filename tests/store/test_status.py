"""Level in force, Day N, trend and staleness: the pure rules and the store queries that feed them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scc_tui.domain.clock import LONDON, UTC
from scc_tui.domain.status import StatusRecord, compute_status
from scc_tui.store.models import Area, Assessment, Declaration


def L(text: str) -> datetime:
    """London wall time -> aware."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def A(at: str, level: int | None, id: int = 0, author: str = "a") -> StatusRecord:
    return StatusRecord(at=L(at), kind="assessment", level=level, id=id, author=author, score=float(level or 0), max_score=44.0)


def D(at: str, level: int, id: int = 0, author: str = "d") -> StatusRecord:
    return StatusRecord(at=L(at), kind="declaration", level=level, id=id, author=author)


def status(records, at: str):
    return compute_status(area_id=1, name="QEQM", kind="provider", parent_id=None, method="acute-2023",
                          records=records, at=L(at))


# ---------------------------------------------------------------- pure rules


def test_no_records_is_stale_with_no_level():
    s = status([], "2026-11-23T08:00")
    assert (s.level, s.days_at_level, s.trend, s.stale, s.last_update) == (None, None, "none", True, None)


def test_opel4_run_across_midnight_counts_calendar_days():
    recs = [A("2026-11-20T09:00", 2, 1), A("2026-11-21T23:50", 4, 2), A("2026-11-22T00:10", 4, 3), A("2026-11-23T09:00", 4, 4)]
    s = status(recs, "2026-11-23T09:30")
    assert s.level == 4
    assert s.since == L("2026-11-21T23:50")
    assert s.days_at_level == 3  # Sat (Day 1), Sun (Day 2), Mon (Day 3)
    assert s.previous_level == 4 and s.trend == "same"
    # Just before midnight on the first day it is still Day 1; a minute after, Day 2.
    assert status(recs, "2026-11-21T23:59").days_at_level == 1
    assert status(recs, "2026-11-22T00:01").days_at_level == 2


def test_run_across_autumn_clock_change_counts_london_days():
    # Clocks go back at 02:00 BST on Sun 25 Oct 2026. 23:30 BST Sat = 22:30 UTC Sat.
    recs = [A("2026-10-23T09:00", 3, 1), A("2026-10-24T23:30", 4, 2), A("2026-10-25T09:00", 4, 3)]
    s = status(recs, "2026-10-26T00:30")  # 00:30 GMT Monday
    assert s.days_at_level == 3
    # In UTC, 00:30 GMT Mon - 22:30 UTC Sat is still "2 days"; London calendar days give Day 3.
    s2 = status(recs, "2026-10-25T23:59")
    assert s2.days_at_level == 2


def test_run_across_spring_clock_change():
    recs = [A("2026-03-28T23:30", 4, 1)]  # GMT
    assert status(recs, "2026-03-29T03:30").days_at_level == 2  # BST, Sunday
    assert status(recs, "2026-03-30T00:00").days_at_level == 3


def test_lower_level_breaks_the_run_and_next_opel4_is_day1_again():
    recs = [A("2026-11-19T09:00", 4, 1), A("2026-11-20T09:00", 4, 2), A("2026-11-21T09:00", 3, 3), A("2026-11-22T09:00", 4, 4)]
    s = status(recs, "2026-11-22T12:00")
    assert (s.level, s.days_at_level, s.since, s.previous_level, s.trend) == (4, 1, L("2026-11-22T09:00"), 3, "up")
    assert status(recs, "2026-11-23T12:00").days_at_level == 2
    # Before the OPEL 3 record, the first run was in force (Day 2 on the 20th).
    s = status(recs, "2026-11-20T12:00")
    assert (s.level, s.days_at_level) == (4, 2)
    # Stepping down: at OPEL 3, whose run (3 or above) began on the 19th: Day 3. OPEL 4 is in its
    # 24-hour de-escalation hold until 09:00 on the 22nd (KCC ASC OPEL plan v1.8 §8).
    s = status(recs, "2026-11-21T12:00")
    assert (s.level, s.days_at_level, s.trend) == (3, 3, "down")
    assert (s.hold_level, s.hold_until) == (4, L("2026-11-22T09:00"))


def test_a_return_within_the_hold_continues_the_run_and_its_day_count():
    recs = [A("2026-11-19T09:00", 4, 1), A("2026-11-20T09:00", 3, 2), A("2026-11-20T11:00", 4, 3)]
    s = status(recs, "2026-11-21T12:00")
    assert (s.level, s.days_at_level, s.since, s.hold_level) == (4, 3, L("2026-11-19T09:00"), None)
    s = status(recs, "2026-11-20T10:00")
    assert (s.level, s.hold_level, s.hold_until) == (3, 4, L("2026-11-21T09:00"))
    # A 2-day dip ends the run: the next OPEL 4 is Day 1.
    recs = [A("2026-11-19T09:00", 4, 1), A("2026-11-20T09:00", 3, 2), A("2026-11-22T09:00", 4, 3)]
    s = status(recs, "2026-11-22T12:00")
    assert (s.level, s.days_at_level, s.since) == (4, 1, L("2026-11-22T09:00"))
    assert status(recs, "2026-11-21T12:00").hold_level is None


def test_a_run_continues_over_a_day_with_no_record():
    recs = [A("2026-11-20T09:00", 4, 1), A("2026-11-22T09:00", 4, 2)]
    assert status(recs, "2026-11-22T10:00").days_at_level == 3


def test_declaration_at_or_after_latest_assessment_wins():
    recs = [A("2026-11-23T09:00", 2, 1), D("2026-11-23T09:00", 3, 1)]
    s = status(recs, "2026-11-23T09:30")
    assert (s.level, s.computed_level, s.declared_level, s.updated_by) == (3, 2, 3, "d")
    # A later assessment supersedes the declaration.
    recs.append(A("2026-11-23T14:00", 2, 2))
    s = status(recs, "2026-11-23T14:30")
    assert (s.level, s.computed_level, s.declared_level, s.trend) == (2, 2, None, "down")


def test_future_records_are_ignored():
    recs = [A("2026-11-22T09:00", 1, 1), A("2026-11-24T09:00", 4, 2)]
    s = status(recs, "2026-11-23T09:00")
    assert s.level == 1 and s.last_update == L("2026-11-22T09:00")


def test_stale_only_from_1000_london_with_nothing_today():
    recs = [A("2026-11-22T09:00", 2, 1)]
    assert status(recs, "2026-11-23T09:59").stale is False
    assert status(recs, "2026-11-23T10:00").stale is True
    recs.append(A("2026-11-23T00:00", 2, 2))
    assert status(recs, "2026-11-23T10:00").stale is False
    # Summer: 10:00 BST is 09:00 UTC.
    summer = [A("2026-07-01T09:00", 1, 1)]
    assert status(summer, "2026-07-02T09:59").stale is False
    assert status(summer, "2026-07-02T10:00").stale is True


def test_record_without_level_updates_but_does_not_change_the_level():
    recs = [A("2026-11-22T09:00", 3, 1), A("2026-11-23T09:00", None, 2)]
    s = status(recs, "2026-11-23T11:00")
    assert (s.level, s.days_at_level, s.stale, s.computed_level) == (3, 2, False, None)


# ---------------------------------------------------------------- store queries


def _seed_areas(store, clock, names):
    ids = {}
    now = clock.now()
    with store.write() as s:
        parent = None
        for name, kind in names:
            a = Area(name=name, key=name.casefold(), kind=kind, parent_id=parent, created_at=now, updated_at=now)
            s.add(a)
            s.flush()
            ids[name] = a.id
            if kind in ("ics", "system"):
                parent = a.id
    return ids


def _add(store, area_id, at, level, kind="a", author="x"):
    with store.write() as s:
        if kind == "a":
            s.add(Assessment(area_id=area_id, assessed_at=at, recorded_at=at, method="acute-2023", level=level,
                             score=level, max_score=44, author=author))
        else:
            s.add(Declaration(area_id=area_id, declared_at=at, recorded_at=at, level=level, author=author, reason="r"))


def test_area_statuses_hierarchy_order_and_levels(store, clock):
    from scc_tui.store.queries import area_statuses, levels_in_force

    now = clock.now()
    with store.write() as s:
        region = Area(name="South East", key="south east", kind="region", created_at=now, updated_at=now)
        s.add(region)
        s.flush()
        ics = Area(name="Kent and Medway ICS", key="kent and medway ics", kind="ics", parent_id=region.id, created_at=now, updated_at=now)
        s.add(ics)
        s.flush()
        west = Area(name="West Kent", key="west kent", kind="system", parent_id=ics.id, sort_order=2, created_at=now, updated_at=now)
        east = Area(name="East Kent", key="east kent", kind="system", parent_id=ics.id, sort_order=1, created_at=now, updated_at=now)
        s.add_all([west, east])
        s.flush()
        s.add_all([
            Area(name="Maidstone", key="maidstone", kind="provider", parent_id=west.id, created_at=now, updated_at=now),
            Area(name="QEQM", key="qeqm", kind="provider", parent_id=east.id, created_at=now, updated_at=now),
            Area(name="KCC East Kent", key="kcc east kent", kind="la-area", parent_id=east.id, created_at=now, updated_at=now),
            Area(name="ASC", key="asc", kind="provider", parent_id=east.id, created_at=now, updated_at=now),
        ])
    with store.read() as s:
        ids = {a.name: a.id for a in s.exec(__import__("sqlmodel").select(Area)).all()}
    _add(store, ids["QEQM"], now - timedelta(days=2), 4)
    _add(store, ids["QEQM"], now - timedelta(days=1), 4)
    _add(store, ids["QEQM"], now - timedelta(hours=1), 4)
    _add(store, ids["Maidstone"], now - timedelta(hours=2), 2)
    _add(store, ids["Maidstone"], now - timedelta(hours=1), 3, kind="d", author="boss")
    with store.read() as s:
        statuses = area_statuses(s, now)
        names = [x.name for x in statuses]
        assert names == ["South East", "Kent and Medway ICS", "East Kent", "ASC", "QEQM", "KCC East Kent", "West Kent", "Maidstone"]
        by = {x.name: x for x in statuses}
        assert (by["QEQM"].level, by["QEQM"].days_at_level, by["QEQM"].score) == (4, 3, 4)
        assert (by["Maidstone"].level, by["Maidstone"].computed_level, by["Maidstone"].declared_level, by["Maidstone"].updated_by) == (3, 2, 3, "boss")
        assert by["ASC"].level is None and by["ASC"].stale
        lv = levels_in_force(s, ["qeqm", "MAIDSTONE", "asc", "Nowhere"], now)
        assert lv == {"qeqm": 4, "MAIDSTONE": 3, "asc": None, "Nowhere": None}
        # In the past: before Maidstone's declaration.
        assert levels_in_force(s, ["Maidstone"], now - timedelta(minutes=90)) == {"Maidstone": 2}


def test_long_run_beyond_the_first_window_is_counted_exactly(store, clock):
    """A 60-day OPEL 4 run (one record a day) and an area last updated 100 days ago."""
    from scc_tui.store.queries import area_statuses

    ids = _seed_areas(store, clock, [("Long", "provider"), ("Old", "provider")])
    now = clock.now()
    with store.write() as s:
        s.add(Assessment(area_id=ids["Long"], assessed_at=now - timedelta(days=70), recorded_at=now, method="m", level=2, author="x"))
        for d in range(60, -1, -1):
            s.add(Assessment(area_id=ids["Long"], assessed_at=now - timedelta(days=d), recorded_at=now, method="m", level=4, author="x"))
        s.add(Assessment(area_id=ids["Old"], assessed_at=now - timedelta(days=100), recorded_at=now, method="m", level=3, author="x"))
    with store.read() as s:
        by = {x.name: x for x in area_statuses(s, now + timedelta(hours=2))}  # 11:00: "Old" is overdue
    assert (by["Long"].level, by["Long"].days_at_level, by["Long"].previous_level) == (4, 61, 4)
    assert (by["Old"].level, by["Old"].days_at_level, by["Old"].stale) == (3, 101, True)


def test_area_statuses_uses_a_fixed_number_of_queries(store, clock):
    import sqlalchemy as sa

    from scc_tui.store.queries import area_statuses

    names = [(f"P{i}", "provider") for i in range(30)]
    ids = _seed_areas(store, clock, names)
    now = clock.now()
    with store.write() as s:
        for i, aid in enumerate(ids.values()):
            for d in range(5):
                s.add(Assessment(area_id=aid, assessed_at=now - timedelta(days=d, minutes=i), recorded_at=now, method="m",
                                 level=1 + (d + i) % 4, author="x"))
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with store.read() as s:
        out = area_statuses(s, now)
    selects = [x for x in statements if x.lstrip().upper().startswith("SELECT")]
    assert len(out) == 30
    assert len(selects) <= 6, selects


def test_area_history_and_records(store, clock):
    from scc_tui.store.queries import area_history, area_records

    ids = _seed_areas(store, clock, [("QEQM", "provider")])
    now = clock.now()  # Mon 23 Nov 09:00
    _add(store, ids["QEQM"], now - timedelta(days=20), 2)
    _add(store, ids["QEQM"], now - timedelta(days=2), 4)
    _add(store, ids["QEQM"], now - timedelta(days=1), 3, kind="d")
    with store.read() as s:
        hist = area_history(s, ids["QEQM"], now, days=5)
        recs = area_records(s, ids["QEQM"], now - timedelta(days=14), now)
    assert [lvl for _, lvl in hist] == [2, 2, 4, 3, 3]
    assert hist[-1][0] == now.astimezone(LONDON).date()
    assert [(r.kind, r.level) for r in recs] == [("declaration", 3), ("assessment", 4)]
