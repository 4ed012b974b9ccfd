"""Issue 12 item 8: the handover's day. Moves through the day (4 → 1 → 3 → 1 → 4 is not "no change"),
the run's Day N across brief dips, corrections shown both ways, a count of every entry logged, the next
day's items at 00:20, and (in ``tests/app/agenda``) where ``s`` saves."""

from __future__ import annotations

from datetime import datetime, timedelta

from scc_tui.domain.clock import UTC
from scc_tui.domain.handover import render_markdown
from scc_tui.store.handover import gather_handover
from scc_tui.store.log import append_entry
from scc_tui.store.models import Area, Assessment, Declaration

DAY = datetime(2026, 11, 23, tzinfo=UTC)  # Monday, GMT (London = UTC)


def T(days: int, h: int, m: int = 0) -> datetime:
    return DAY + timedelta(days=days, hours=h, minutes=m)


def _area(s, name: str, order: int = 0) -> int:
    a = Area(name=name, key=name.casefold(), kind="provider", method="acute-2023", sort_order=order,
             created_at=T(-5, 0), updated_at=T(-5, 0))
    s.add(a)
    s.flush()
    return a.id


def _assess(s, area_id: int, when: datetime, level: int) -> None:
    s.add(Assessment(area_id=area_id, assessed_at=when, recorded_at=when, method="acute-2023", values_json="{}",
                     score=None, level=level, author="a.lee", source="cli"))


def test_a_day_of_moves_is_not_no_change_and_keeps_its_day_count(store):
    with store.write() as s:
        q = _area(s, "QEQM Hospital")
        w = _area(s, "William Harvey Hospital", 1)
        for when, lv in [(T(-2, 9), 4), (T(-1, 9), 4), (T(0, 8, 30), 1), (T(0, 10, 30), 3), (T(0, 13), 1),
                         (T(0, 15), 4)]:
            _assess(s, q, when, lv)
        _assess(s, w, T(-1, 9), 2)
        _assess(s, w, T(0, 9), 2)  # re-stated, no move
        # a declaration at the same instant as an assessment ranks after it
        _assess(s, w, T(0, 11), 3)
        s.add(Declaration(area_id=w, declared_at=T(0, 11), recorded_at=T(0, 11), level=4, computed_level=3,
                          reason="ED full", author="scc.manager", source="cli"))
    h = gather_handover(store, T(0, 18))
    lines = {a.name: a for a in h.areas}
    assert lines["QEQM Hospital"].change == "OPEL 4 → 1 → 3 → 1 → 4 (back where it started)"
    assert lines["QEQM Hospital"].days_at_level == 3  # the dips were within the de-escalation hold
    assert lines["William Harvey Hospital"].change == "OPEL 2 → 3 → 4 (up)"
    md = render_markdown(h)
    assert "- **QEQM Hospital**: OPEL 4, day 3 at level; today OPEL 4 → 1 → 3 → 1 → 4" in md
    assert "| QEQM Hospital | OPEL 4 | OPEL 4 → 1 → 3 → 1 → 4 (back where it started) | 3 |" in md
    assert "no change" not in md
    assert h.to_json()["areas"][0]["moves"] == [4, 1, 3, 1, 4]


def test_corrections_are_listed_both_ways_and_the_count_includes_every_entry(store, clock):
    clock.set(T(0, 10, 40))
    first = append_entry(store, kind="decision", text="Open 4 beds at QEQM", rationale="ED full", author="a.lee")
    clock.set(T(0, 10, 45))
    append_entry(store, kind="prompt-ack", text="System escalation calls acknowledged", author="a.lee")
    clock.set(T(0, 11, 0))
    fix = append_entry(store, kind="correction", text="Open 6 beds at QEQM, not 4", author="a.lee",
                       corrects_seq=first.seq)
    clock.set(T(0, 12, 0))
    append_entry(store, kind="config", text="Areas file loaded", author="a.lee")
    h = gather_handover(store, T(0, 18))
    by_seq = {d.seq: d for d in h.decisions}
    assert by_seq[first.seq].corrected_by == (fix.seq,)
    assert by_seq[fix.seq].corrects_seq == first.seq
    assert h.logged_count == 4 and len(h.decisions) == 2
    md = render_markdown(h)
    assert f"Open 4 beds at QEQM (corrected by #{fix.seq})" in md
    assert f"Open 6 beds at QEQM, not 4 (corrects #{first.seq})" in md
    assert "4 entries logged today, 2 listed here; the other 2" in md


def test_at_twenty_past_midnight_the_handover_covers_the_day_before_and_next_is_today(store, clock):
    from scc_tui.datafiles.schedules import load_schedule

    clock.set(T(0, 16, 0))
    append_entry(store, kind="decision", text="Mutual aid from UHDB", rationale="critical care full", author="a.lee")
    clock.set(T(1, 0, 20))
    h = gather_handover(store, T(1, 0, 20), schedule=load_schedule())
    assert h.day == T(0, 0).date()
    assert [d.text for d in h.decisions] == ["Mutual aid from UHDB"]
    assert h.tomorrow and all(t.start.date() == T(1, 0).date() for t in h.tomorrow)  # Tuesday's, not Wednesday's
    assert h.tomorrow[0].title == "NHSE/I SECAmb call"
    md = render_markdown(h)
    assert "## First items today, Tuesday 24 November" in md
    # At 18:00 the next day is tomorrow.
    h18 = gather_handover(store, T(0, 18), schedule=load_schedule())
    assert all(t.start.date() == T(1, 0).date() for t in h18.tomorrow)
    assert "## First items tomorrow, Tuesday 24 November" in render_markdown(h18)
