"""The store seam's contract (``scc_tui.app.seam.StoreSeam``): the same checks on the in-memory
``FakeSeam`` the app tests use and on the real ``DbSeam`` over SQLite and PostgreSQL (SCC_TEST_PG), so
the fake cannot drift from the real thing — statuses, the detail's records and its score-history
series, the log's pages and reviews, prompts and the change feed."""

from __future__ import annotations

import time as _time
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from scc_tui.app.log.model import LogFilter
from scc_tui.domain.clock import UTC, FixedClock, london_date
from scc_tui.domain.errors import SccError
from scc_tui.domain.prompts import PromptKey
from tests.helpers.board import VALUES
from tests.helpers.pg import BACKENDS, create_pg_database
from tests.helpers.seam import FakeSeam

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # Monday, London = UTC
AREAS = [  # (name, kind, parent, method, plan_area)
    ("Kent and Medway ICS", "ics", None, None, None),
    ("East Kent", "system", "Kent and Medway ICS", None, None),
    ("QEQM Hospital", "provider", "East Kent", "acute-2023", None),
    ("William Harvey Hospital", "provider", "East Kent", "acute-2023", None),
    ("Swale", "la-area", "Kent and Medway ICS", "kcc-asc", "Swale"),
]


def _db_seam(url: str, clock):
    from scc_tui.app.db_seam import DbSeam
    from scc_tui.store.db import Store
    from scc_tui.store.models import Area

    store = Store(url, clock)
    ids: dict[str, int] = {}
    with store.write() as session:
        for order, (name, kind, parent, method, plan_area) in enumerate(AREAS):
            area = Area(name=name, key=name.casefold(), kind=kind, parent_id=ids.get(parent), method=method,
                        plan_area=plan_area, sort_order=order, created_at=NOW - timedelta(days=30),
                        updated_at=NOW - timedelta(days=30))
            session.add(area)
            session.flush()
            ids[name] = area.id
    return DbSeam(store), ids


def _fake_seam(clock):
    seam = FakeSeam(clock=clock)
    ids = {name: seam.add_area(name, kind, parent, method, plan_area=plan_area)
           for name, kind, parent, method, plan_area in AREAS}
    return seam, ids


@pytest.fixture(params=["fake", *BACKENDS])
def case(request, tmp_path):
    """(seam, area ids by name, clock) with the areas above and nothing else."""
    clock = FixedClock(NOW)
    if request.param == "fake":
        seam, ids = _fake_seam(clock)
        yield seam, ids, clock
        return
    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'scc.db'}"
    else:
        url, drop = create_pg_database()
    seam, ids = _db_seam(url, clock)
    try:
        yield seam, ids, clock
    finally:
        seam.dispose()
        if drop is not None:
            drop()


def at(days_ago: int, hh: int, mm: int = 0) -> datetime:
    return (NOW - timedelta(days=days_ago)).replace(hour=hh, minute=mm)


def _record_week(seam) -> None:
    """QEQM: OPEL 2 three days ago, 3 yesterday, 4 this morning, then declared OPEL 3 (a reason)."""
    assert seam.save_assessment("QEQM Hospital", VALUES[2], at(3, 9), "a.lee") == 2
    assert seam.save_assessment("QEQM Hospital", VALUES[3], at(1, 9), "a.lee") == 3
    assert seam.save_assessment("QEQM Hospital", VALUES[4], at(0, 8, 50), "a.lee") == 4
    seam.save_declaration("QEQM Hospital", 3, at(0, 9, 20), "on.call", "Two wards reopened")
    assert seam.save_assessment("William Harvey Hospital", VALUES[1], at(0, 9), "j.smith") == 1


def _changed_within(feed, seconds: float = 3.0) -> bool:
    deadline = _time.monotonic() + seconds
    while True:
        if feed.poll():
            return True
        if _time.monotonic() >= deadline:
            return False
        _time.sleep(0.02)


def test_the_change_feed_says_once_that_something_was_written(case):
    seam, _ids, _clock = case
    feed = seam.open_change_feed()
    try:
        assert feed.poll() is False
        seam.save_declaration("East Kent", 2, at(0, 9), "on.call", None)
        assert _changed_within(feed)
        assert feed.poll() is False  # said once
        seam.append_log(kind="note", text="a note", author="jsmith")
        assert _changed_within(feed)
    finally:
        feed.close()


def test_board_statuses_in_tree_order_with_levels_and_badge_fields(case):
    seam, ids, _clock = case
    _record_week(seam)
    statuses = seam.board_statuses(NOW)
    assert [s.name for s in statuses] == ["Kent and Medway ICS", "East Kent", "QEQM Hospital",
                                          "William Harvey Hospital", "Swale"]
    qeqm = next(s for s in statuses if s.name == "QEQM Hospital")
    assert (qeqm.area_id, qeqm.level, qeqm.computed_level, qeqm.declared_level) == (ids["QEQM Hospital"], 3, 4, 3)
    assert (qeqm.score, qeqm.max_score, qeqm.updated_by, qeqm.previous_level) == (44, 44, "on.call", 4)
    assert (qeqm.trend, qeqm.stale) == ("down", False)
    wh = next(s for s in statuses if s.name == "William Harvey Hospital")
    assert (wh.level, wh.score, wh.days_at_level, wh.stale) == (1, 0, 1, False)
    swale = next(s for s in statuses if s.name == "Swale")
    assert (swale.level, swale.stale, swale.extra.get("plan_area")) == (None, True, "Swale")
    for s in statuses:  # the tiles' escalation fields are always there (the rules may or may not fire)
        assert isinstance(s.badge, str) and isinstance(s.escalation_line, str) and s.escalation_error is None
    plain = seam.area_statuses(NOW)
    assert [(s.name, s.level, s.stale) for s in plain] == [(s.name, s.level, s.stale) for s in statuses]


def test_area_records_and_the_score_history_series(case):
    seam, ids, _clock = case
    _record_week(seam)
    seam.save_assessment("QEQM Hospital", VALUES[1], NOW + timedelta(minutes=5), "later")  # after the read
    r = seam.area_records(ids["QEQM Hospital"], NOW, days=5)
    assert (r.area_id, r.name, r.plan_area) == (ids["QEQM Hospital"], "QEQM Hospital", None)
    a = r.assessment
    assert (a.method, a.assessed_at, a.author, a.source) == ("acute-2023", at(0, 8, 50), "a.lee", "tui")
    assert a.values == VALUES[4] and a.plan_version
    d = r.declaration
    assert (d.level, d.declared_at, d.author, d.computed_level, d.reason) == (3, at(0, 9, 20), "on.call", 4,
                                                                             "Two wards reopened")
    days = [london_date(NOW) - timedelta(days=n) for n in (4, 3, 2, 1, 0)]
    assert r.history == list(zip(days, [None, 2, 2, 3, 3]))
    assert r.scores == list(zip(days, [None, 13, 13, 26, 44], [None, 44, 44, 44, 44]))
    # a read at an earlier instant ends its series on that day
    earlier = seam.area_records(ids["QEQM Hospital"], at(1, 12), days=2)
    assert earlier.history == [(days[2], 2), (days[3], 3)]
    assert earlier.scores == [(days[2], 13, 44), (days[3], 26, 44)]
    assert earlier.declaration is None
    empty = seam.area_records(ids["Swale"], NOW, days=3)
    assert (empty.assessment, empty.declaration, empty.plan_area) == (None, None, "Swale")
    assert [x[1:] for x in empty.scores] == [(None, None)] * 3 and [x[1] for x in empty.history] == [None] * 3
    assert seam.area_records(9999, NOW, days=3).name is None


def test_log_pages_after_and_reviews(case):
    seam, _ids, clock = case
    note = seam.append_log(kind="note", text="Swale handovers over 60 min", author="jsmith", areas=["Swale"])
    decision = seam.append_log(kind="decision", text="Open 6 escalation beds", author="akhan",
                               rationale="Handover delays rising", review_at=NOW + timedelta(hours=2))
    fix = seam.append_log(kind="correction", text="Swale handovers over 90 min", author="jsmith",
                          corrects_seq=note, areas=["Swale"])
    clock.set(NOW + timedelta(hours=3))
    review = seam.append_log(kind="review", text="Reviewed: beds open, keep", author="akhan", reviews_seq=decision)
    assert (note, decision, fix, review) == (1, 2, 3, 4)
    assert seam.log_head() == 4

    def fields(row):
        return (row.seq, row.kind, row.text, row.author, row.areas, row.corrects_seq, row.reviews_seq)

    assert [fields(r) for r in seam.log_after(1, 10)] == [
        (2, "decision", "Open 6 escalation beds", "akhan", (), None, None),
        (3, "correction", "Swale handovers over 90 min", "jsmith", ("Swale",), 1, None),
        (4, "review", "Reviewed: beds open, keep", "akhan", (), None, 2),
    ]
    assert seam.log_after(0, 2)[-1].seq == 2  # at most ``limit``, oldest first
    rows, cursor, exhausted = seam.log_page(LogFilter(), before_seq=5, want=3)
    assert [r.seq for r in rows] == [4, 3, 2] and cursor == 2 and not exhausted
    rows, cursor, exhausted = seam.log_page(LogFilter(), before_seq=cursor, want=3)
    assert [r.seq for r in rows] == [1] and exhausted
    assert rows[0].corrected_by == (3,)
    assert rows[0].recorded_at == NOW and rows[0].event_at == NOW
    decisions, reviewed = seam.log_reviews(clock.now())
    assert list(decisions) == [2] and decisions[2].review_at == NOW + timedelta(hours=2)
    assert reviewed == {2}
    assert {a.name for a in seam.log_area_refs()} == {name for name, *_ in AREAS}


def test_prompts_acknowledged_once_and_snoozed_only_while_open(case):
    seam, _ids, _clock = case
    occurrence = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    key = PromptKey("escalation-am", occurrence, "start")
    other = PromptKey("sitrep", datetime(2026, 11, 23, 11, 0, tzinfo=UTC), "before")
    assert seam.acknowledge_prompt(key, "alice", title="System escalation call", due_at=occurrence) is True
    assert seam.acknowledge_prompt(key, "bob", title="System escalation call", due_at=occurrence) is False
    assert seam.snooze_prompt(key, NOW + timedelta(minutes=5), "bob") is False
    recs = seam.prompt_records(datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC))
    assert [(r.item_key, r.stage, r.acknowledged_by) for r in recs] == [("escalation-am", "start", "alice")]
    assert [r.kind for r in seam.log_after(0, 10)] == ["prompt-ack"]
    with pytest.raises(SccError):  # never shown: nothing to snooze
        seam.snooze_prompt(other, NOW + timedelta(minutes=5), "bob")
    shown = SimpleNamespace(key=other, item_key=other.item_key, occurrence_at=other.occurrence_at, stage=other.stage,
                            due_at=other.occurrence_at - timedelta(minutes=5), state="due")
    seam.mark_prompts_shown([shown])
    seam.mark_prompts_shown([shown])  # once, however many sessions show it
    assert seam.snooze_prompt(other, NOW + timedelta(minutes=5), "bob") is True
    recs = seam.prompt_records(datetime(2026, 11, 23, 11, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC))
    assert [(r.item_key, r.snoozed_until, r.acknowledged_at) for r in recs] == [
        ("sitrep", NOW + timedelta(minutes=5), None)]


def test_a_lesson_is_a_note_with_owner_and_due_date_and_is_in_the_debrief(case):
    """``add_lesson`` writes what ``scc exercise lesson`` writes (a note, its owner, reviewed at 09:00
    London on the due date — 09:00 BST in June); ``exercise_debrief`` lists it among the lessons."""
    from datetime import date

    from scc_tui.datafiles.scenarios import find_scenario

    seam, _ids, _clock = case
    seq = seam.add_lesson("Brief the 10:30 call earlier", "SCC duty manager", date(2027, 6, 1), "trainer")
    [row] = seam.log_after(seq - 1, 10)
    assert (row.seq, row.kind, row.text, row.author, row.owner, row.source) == (
        seq, "note", "Lesson identified: Brief the 10:30 call earlier", "trainer", "SCC duty manager", "exercise")
    assert row.review_at == datetime(2027, 6, 1, 8, 0, tzinfo=UTC)
    lessons = seam.exercise_debrief(find_scenario("winter-hour"))["lessons"]
    assert {"text": "Brief the 10:30 call earlier", "owner": "SCC duty manager", "due": "2027-06-01",
            "log_seq": seq} in lessons
