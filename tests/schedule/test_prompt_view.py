"""The pure prompt view: due, missed, upcoming, snoozed — each prompt once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scc_tui.datafiles.schedules import load_schedule
from scc_tui.domain.prompts import due_prompts, prompt_stages
from scc_tui.domain.schedule import occurrences

WINTER = Path(__file__).resolve().parents[2] / "schedules" / "kent-medway-winter.toml"
DAY = datetime(2026, 11, 23, tzinfo=UTC)  # Monday, GMT


def T(h, m=0):
    return DAY + timedelta(hours=h, minutes=m)


@dataclass
class Rec:
    item_key: str
    occurrence_at: datetime
    stage: str
    due_at: datetime
    first_shown_at: datetime | None = None
    missed: bool = False
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    snoozed_until: datetime | None = None


@pytest.fixture(scope="module")
def occs():
    return occurrences(load_schedule(WINTER), DAY, DAY + timedelta(days=1), kind="call")


def secamb(occs):
    return [o for o in occs if o.item_key == "secamb-call"]


def test_stages():
    s = load_schedule(WINTER)
    o = occurrences(s, DAY, DAY + timedelta(days=1))
    call = next(x for x in o if x.item_key == "secamb-call")
    assert prompt_stages(call) == [("before", T(8, 25)), ("start", T(8, 30))]
    assert prompt_stages(call, lead_minutes=0) == [("start", T(8, 30))]
    opel = next(x for x in o if x.item_key == "opel-submission")
    assert prompt_stages(opel) == [("deadline", T(9, 45))]
    pm = next(x for x in o if x.item_key == "kcc-update-pm")
    assert prompt_stages(pm) == [("deadline", T(15, 15))]


def test_before_then_start_supersedes(occs):
    v = due_prompts(secamb(occs), [], T(8, 26), session_started_at=T(8, 0))
    assert [(p.stage, p.state) for p in v.due] == [("before", "due")]
    assert v.due[0].needs_record and v.to_mark == v.due
    assert "Reminder before NHSE/I SECAmb call at 08:30" in v.due[0].why
    assert "every day at 08:30" in v.due[0].why  # why it fired: the rule
    assert v.next_change_at == T(8, 30)
    rec = Rec("secamb-call", T(8, 30), "before", T(8, 25), first_shown_at=T(8, 25))
    v = due_prompts(secamb(occs), [rec], T(8, 31), session_started_at=T(8, 0))
    assert [(p.stage, p.state) for p in v.due] == [("start", "due")]
    assert v.missed == ()


def test_upcoming(occs):
    v = due_prompts(occs, [], T(7, 0), session_started_at=T(7, 0))
    assert v.due == () and v.missed == ()
    assert v.upcoming[0].item_key == "secamb-call" and v.upcoming[0].stage == "before"
    assert v.next_change_at == T(8, 25)
    assert len(v.upcoming) == len(occs)


def test_missed_while_closed_reported_once(occs):
    one = secamb(occs)
    # The app opens at 09:10: the 08:30 call's prompts fell due while it was closed.
    v = due_prompts(one, [], T(9, 10), session_started_at=T(9, 10))
    assert v.due == ()
    assert [(p.stage, p.state) for p in v.missed] == [("start", "missed")]  # one per occurrence
    assert "closed" in v.missed[0].why and v.missed[0].text.startswith("MISSED Mon 08:30")
    # The session marks it shown as missed: it stays in this session's missed list until acknowledged...
    rec = Rec("secamb-call", T(8, 30), "start", T(8, 30), first_shown_at=T(9, 10), missed=True)
    v = due_prompts(one, [rec], T(9, 12), session_started_at=T(9, 10))
    assert [p.state for p in v.missed] == ["missed"] and not v.missed[0].needs_record and v.due == ()
    # ...and a later session never reports it again, as missed or as due.
    v = due_prompts(one, [rec], T(9, 40), session_started_at=T(9, 30))
    assert v.missed == () and v.due == () and v.upcoming == ()
    # Nor does the "before" stage (no record of its own) come back as missed.
    v = due_prompts(one, [rec], T(12, 0), session_started_at=T(11, 0))
    assert v.missed == () and v.due == ()


def test_never_shown_while_open_and_expired_is_missed(occs):
    v = due_prompts(secamb(occs), [], T(9, 31), session_started_at=T(7, 0))
    assert [p.state for p in v.missed] == ["missed"]
    assert "never shown" in v.missed[0].why
    # still within end + grace: due, and late ("watch the watcher")
    v = due_prompts(secamb(occs), [], T(9, 10), session_started_at=T(7, 0))
    assert [p.state for p in v.due] == ["due"] and v.overdue() == v.due


def test_shown_unacknowledged_stays_due_until_expiry_then_goes(occs):
    rec = Rec("secamb-call", T(8, 30), "start", T(8, 30), first_shown_at=T(8, 30))
    v = due_prompts(secamb(occs), [rec], T(9, 0), session_started_at=T(8, 0))
    assert [p.state for p in v.due] == ["due"] and not v.due[0].needs_record
    # another session opening later still sees it due (same record: not doubled, not "missed")
    v = due_prompts(secamb(occs), [rec], T(9, 5), session_started_at=T(9, 1))
    assert [p.state for p in v.due] == ["due"] and v.missed == ()
    assert v.next_change_at == T(9, 30)  # end 09:00 + 30 min grace
    v = due_prompts(secamb(occs), [rec], T(9, 30), session_started_at=T(8, 0))
    assert v.due == () and v.missed == ()


def test_acknowledging_any_stage_stops_all(occs):
    rec = Rec("secamb-call", T(8, 30), "before", T(8, 25), first_shown_at=T(8, 25), acknowledged_at=T(8, 26))
    for now in (T(8, 27), T(8, 31), T(10, 0)):
        v = due_prompts(secamb(occs), [rec], now, session_started_at=T(8, 0))
        assert v.due == () and v.missed == () and v.upcoming == ()


def test_snooze(occs):
    rec = Rec("secamb-call", T(8, 30), "start", T(8, 30), first_shown_at=T(8, 30), snoozed_until=T(8, 40))
    v = due_prompts(secamb(occs), [rec], T(8, 35), session_started_at=T(8, 0))
    assert v.due == () and [p.state for p in v.snoozed] == ["snoozed"]
    assert v.next_change_at == T(8, 40)
    v = due_prompts(secamb(occs), [rec], T(8, 41), session_started_at=T(8, 0))
    assert [p.state for p in v.due] == ["due"]


def test_per_item_lead_and_deadline_owing():
    s = load_schedule(WINTER)
    occs = occurrences(s, DAY, DAY + timedelta(days=1), kind="deadline")

    class A:
        def __init__(self, area_id, name, level, last_update, kind="la-area", parent_id=1, method="kcc-asc"):
            self.area_id, self.parent_id, self.method = area_id, parent_id, method
            self.name, self.level, self.last_update, self.kind = name, level, last_update, kind

    ics = A(1, "Kent and Medway ICS", None, None, "ics", None, None)
    statuses = [ics, A(2, "Medway Maritime", 1, None, "provider", method="acute"), A(3, "DGS", 1, T(9, 0)),
                A(4, "Swale", 2, None)]
    v = due_prompts(occs, [], T(10, 20), session_started_at=T(8, 0), statuses=statuses)
    assert [(p.item_key, p.owing) for p in v.due] == [("opel-submission", ("Medway Maritime",)),
                                                      ("kcc-update-am", ("Swale",))]
    assert "owing Medway Maritime" in v.due[0].text
    # kcc-update-pm: nobody at OPEL 3, so no prompt is listed for it at all
    assert all(p.item_key != "kcc-update-pm" for p in (*v.upcoming, *v.due))
    # when every area has submitted, the deadline prompt clears itself
    statuses = [ics, A(2, "Medway Maritime", 1, T(9, 50), "provider", method="acute"), A(3, "DGS", 1, T(9, 0)),
                A(4, "Swale", 2, T(10, 21))]
    v = due_prompts(occs, [], T(10, 22), session_started_at=T(8, 0), statuses=statuses)
    assert v.due == ()


def test_naive_now_refused(occs):
    with pytest.raises(ValueError):
        due_prompts(occs, [], datetime(2026, 11, 23, 9), session_started_at=T(8))
