"""The demo's log: a believable SCC day, so that a trainer or evaluator sees what the log is for.

Written after the demo's history (areas, assessments, declarations) so that each entry records the
OPEL in force when it was made. Every entry is stamped at its own time of day on a stepped clock (a
demo database may be: ``store.log.mark_database``) and nothing later than the clock's now is written.

What it holds (Europe/London times; the day is the clock's London date, with yesterday afternoon
before it):

* yesterday: the 15:00 system escalation call's note and actions, a decision, the 18:00 handover to
  on-call (the real summary, ``store.handover``), an on-call note from the night;
* today: the 08:30 SECAmb call, the 10:30 and 15:00 system escalation calls and the 16:00 exec call
  (each acknowledged from its prompt, with call notes), decisions with rationale, risk and owner,
  actions with owners, notes (one entered late, saying why), a correction, a review of a decision,
  and the 18:00 handover once it is past 18:00;
* every declaration the history made from yesterday morning on, as the app logs a declaration.

Calls that are not held that day (weekends, a bank holiday, Thursday's look-ahead instead of the 10:30
escalation call) are left out with their notes and actions, as the schedule says
(``schedules/kent-medway-winter.toml``).

The people are invented; their roles are the ones the seeds name (SCC manager and coordinator, the
ICB director on call, KCC ASC's assistant director, site managers, Medway Council's duty manager).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from scc_tui.domain.clock import LONDON, UTC, FixedClock

__all__ = ["PEOPLE", "SCRIPT", "seed_day"]

#: username -> role (as recorded on each entry)
PEOPLE: dict[str, str] = {
    "a.okafor": "SCC Manager",
    "s.patel": "SCC Coordinator",
    "d.marsh": "ICB Director on call",
    "r.nwosu": "KCC ASC Assistant Director",
    "l.carter": "QEQM Site Manager",
    "m.hale": "Medway Council Duty Manager",
    "p.grant": "On-call Manager (out of hours)",
}


@dataclass(frozen=True)
class Step:
    """One scripted entry. ``day`` -1 is yesterday, 0 today; ``hm`` London wall time; ``call``: the
    schedule item it belongs to (left out when that call is not held that day); ``ref``: a name
    later steps use for its seq (``corrects``, ``reviews``); ``ack``: acknowledge this call's prompt
    instead of writing an entry."""

    day: int
    hm: str
    kind: str
    author: str
    text: str = ""
    call: str | None = None
    ref: str | None = None
    areas: tuple[str, ...] = ()
    rationale: str | None = None
    risk: str | None = None
    risk_measure: str | None = None
    owner: str | None = None
    review: str | None = None  # "HH:MM" today
    corrects: str | None = None
    reviews: str | None = None
    event: str | None = None  # "HH:MM" the event happened (a late entry)
    late_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


SCRIPT: tuple[Step, ...] = (
    # ---------------------------------------------------------------- yesterday afternoon
    Step(-1, "15:01", "ack", "s.patel", call="escalation-pm"),
    Step(-1, "15:24", "call-note", "s.patel", call="escalation-pm", areas=("QEQM Hospital", "Medway Maritime Hospital"),
         text="15:00 system escalation call (East Kent, West Kent, DGS, Medway & Swale; KCC ASC). QEQM: 14 patients "
              "over 12 hours in ED, 9 ambulances waiting at 15:00. Medway Maritime: G&A occupancy 97 %, two "
              "escalation areas open. West Kent and DGS holding at OPEL 2."),
    Step(-1, "15:31", "action", "s.patel", call="escalation-pm", areas=("Medway Maritime Hospital",),
         text="Confirm weekend pathway 1 packages for the 6 Medway Maritime patients ready for discharge",
         owner="m.hale (Medway Council Duty Manager)"),
    Step(-1, "16:40", "decision", "a.okafor", areas=("QEQM Hospital",),
         text="Ask SECAmb to hold QEQM handovers to 45 minutes overnight with a cohorting nurse in the "
              "ambulance receiving area",
         rationale="QEQM handovers averaged 70 minutes this afternoon and SECAmb had 9 crews held; a cohorting "
                   "nurse releases crews without adding ED cubicles",
         risk="Patients cohorted in the receiving area deteriorate unseen",
         risk_measure="Hourly NEWS2 checks by the cohorting nurse; breaches reported to the on-call manager",
         owner="l.carter (QEQM Site Manager)"),
    Step(-1, "17:58", "handover", "a.okafor"),
    Step(0, "02:40", "note", "p.grant", areas=("QEQM Hospital",),
         text="Call from the QEQM site manager: 11 patients over 12 hours in ED, no beds until the 07:00 "
              "discharges. Cohorting in place. No further action overnight; to be picked up on the 08:30 call."),
    # ---------------------------------------------------------------- today
    Step(0, "07:55", "note", "a.okafor",
         text="SCC open. Overnight: one call from QEQM (02:40, see the on-call note). Priorities today: the "
              "QEQM OPEL 4 run, Medway Maritime discharges, Tunbridge Wells norovirus."),
    Step(0, "08:31", "ack", "s.patel", call="secamb-call"),
    Step(0, "08:52", "call-note", "s.patel", call="secamb-call", areas=("SECAmb", "QEQM Hospital"),
         text="08:30 NHSE/I SECAmb call: SECAmb at REAP 3; 23 ambulances held over 60 minutes across Kent and "
              "Medway at 08:00, 12 of them at QEQM. QEQM and Medway Maritime the longest handovers in the region."),
    Step(0, "09:04", "action", "s.patel", call="secamb-call", areas=("QEQM Hospital",),
         text="Open the QEQM ambulance receiving area (cohorting) by 10:00 to release crews",
         owner="l.carter (QEQM Site Manager)"),
    Step(0, "09:12", "decision", "a.okafor", areas=("QEQM Hospital",), call="escalation-am",
         text="Invite the ICB Director on call to the 10:30 East Kent escalation call",
         rationale="QEQM is past Day 3 in OPEL 4: K&M STP Winter Approach, 'Day 3 in OPEL 4 – include NHSE "
                   "Director on-call & STP'",
         owner="a.okafor (SCC Manager)"),
    Step(0, "10:31", "ack", "a.okafor", call="escalation-am"),
    Step(0, "10:58", "call-note", "s.patel", call="escalation-am", ref="am-note",
         areas=("QEQM Hospital", "William Harvey Hospital", "Tunbridge Wells Hospital", "Medway Maritime Hospital"),
         text="10:30 system escalation call, ICB Director on call present. East Kent: QEQM OPEL 4, WHH OPEL 3 "
              "since this morning, K&C no submission yet. West Kent: Tunbridge Wells declared above its computed "
              "level (two wards closed, norovirus). Medway & Swale: Medway Maritime OPEL 3, 34 patients not meeting criteria to "
              "reside. DGS OPEL 2."),
    Step(0, "11:02", "decision", "a.okafor", call="escalation-am", ref="divert",
         areas=("QEQM Hospital", "William Harvey Hospital"),
         text="Divert ambulances from QEQM to WHH from 11:00 to 15:00 (intelligent conveyancing)",
         rationale="QEQM handovers average 70 minutes with 12 ambulances held; WHH is at OPEL 3 but had 6 majors "
                   "cubicles free at 10:30; SECAmb agreed on the 08:30 call",
         risk="WHH tips into OPEL 4", risk_measure="WHH majors occupancy and handover times, hourly from SHREWD",
         owner="SECAmb Emergency Operations Centre", review="15:00"),
    Step(0, "11:06", "decision", "d.marsh", call="escalation-am", areas=("QEQM Hospital",),
         text="Open 6 escalation beds on Kingsgate ward at QEQM from 12:00",
         rationale="G&A occupancy 99 % with 18 decision-to-admit patients in ED; staffing confirmed by the "
                   "Director of Nursing for two shifts",
         risk="Nurse staffing ratio on Kingsgate below plan overnight",
         risk_measure="Safer staffing return at 20:00; the bank office confirms two nurses by 18:00",
         owner="l.carter (QEQM Site Manager)"),
    Step(0, "11:12", "action", "s.patel", call="escalation-am", areas=("KCC East Kent",),
         text="Prioritise 5 pathway 1 packages for QEQM discharges today",
         owner="r.nwosu (KCC ASC Assistant Director)"),
    Step(0, "11:18", "decision", "r.nwosu", areas=("Kent County Council ASC",),
         text="Stand up the KCC Operational Pressures Escalation Group at 13:00",
         rationale="KCC East Kent and Swale short-term pathway staffing at 45 %, QEQM at OPEL 4; KCC ASC OPEL plan "
                   "v1.8 §5.2 (the group may be initiated by a Director of ASC)",
         owner="r.nwosu (KCC ASC Assistant Director)"),
    Step(0, "11:25", "action", "s.patel", call="escalation-am", areas=("Medway Council", "Medway Maritime Hospital"),
         text="Find 3 step-down beds for Medway Maritime patients no longer meeting criteria to reside, by 16:00",
         owner="m.hale (Medway Council Duty Manager)"),
    Step(0, "12:10", "note", "s.patel", areas=("Kent & Canterbury Hospital",),
         text="No OPEL submission from Kent & Canterbury at 12:10 (due 10:00). Chased by phone; the site "
              "manager will submit by 13:00."),
    Step(0, "12:40", "decision", "a.okafor", areas=("Kent and Medway ICS",),
         text="Keep Kent and Medway ICS at OPEL 3; do not declare OPEL 4",
         rationale="One acute trust (QEQM) is at OPEL 4; the ICS already enacts its OPEL 3/4 actions because a "
                   "provider is at 3 or 4 (KCC ASC OPEL plan v1.8 App. 4). A second acute at OPEL 4 would change "
                   "this.",
         risk="WHH or Medway Maritime reaches OPEL 4 before the 15:00 call",
         risk_measure="Their SHREWD submissions and the 15:00 call"),
    Step(0, "13:05", "decision", "r.nwosu", areas=("KCC Swale",),
         text="Spot-purchase 4 residential beds in Swale for discharge to assess (pathway 3) this week",
         rationale="Swale reablement is two staff down and the caseload is over 50; the beds free 4 Medway "
                   "Maritime and QEQM beds within 48 hours",
         owner="r.nwosu (KCC ASC Assistant Director)"),
    Step(0, "13:20", "correction", "s.patel", corrects="am-note", areas=("Medway Maritime Hospital",),
         text="Medway Maritime reported 43 patients not meeting criteria to reside on the 10:30 call, not 34 "
              "(figures transposed in the call note)."),
    Step(0, "14:05", "note", "s.patel", areas=("Kent & Canterbury Hospital",),
         text="Still no Kent & Canterbury submission at 14:05 despite the 13:00 promise; escalated to the East "
              "Kent site director."),
    Step(0, "14:10", "action", "s.patel", areas=("Kent & Canterbury Hospital",),
         text="Submit the Kent & Canterbury OPEL assessment before the 15:00 call",
         owner="East Kent site director"),
    Step(0, "15:01", "ack", "a.okafor", call="escalation-pm"),
    Step(0, "15:08", "review", "a.okafor", reviews="divert", areas=("QEQM Hospital", "William Harvey Hospital"),
         text="reviewed at 15:00: QEQM handovers down from 70 to 45 minutes; WHH took 7 extra conveyances with "
              "handovers at 32 minutes. Continue (see the next decision)."),
    Step(0, "15:26", "call-note", "s.patel", call="escalation-pm",
         areas=("QEQM Hospital", "William Harvey Hospital", "Tunbridge Wells Hospital", "Medway Maritime Hospital"),
         text="15:00 system escalation call. QEQM still OPEL 4; handovers 45 minutes since the divert; Kingsgate "
              "escalation beds open with 6 patients moved. WHH holding at OPEL 3 (majors 104 %). Tunbridge Wells: "
              "two wards still closed. Medway Maritime: Medway Council found 3 step-down beds from tomorrow."),
    Step(0, "15:33", "decision", "a.okafor", call="escalation-pm", areas=("QEQM Hospital", "William Harvey Hospital"),
         text="Extend the QEQM to WHH divert to 20:00; stop it at once if WHH handovers exceed 45 minutes",
         rationale="The divert brought QEQM handovers from 70 to 45 minutes and WHH absorbed 7 extra conveyances "
                   "with handovers at 32 minutes",
         risk="WHH majors occupancy (104 %) rises further", risk_measure="WHH handover times, hourly",
         owner="SECAmb Emergency Operations Centre"),
    Step(0, "15:41", "action", "s.patel", call="escalation-pm", areas=("KCHFT", "QEQM Hospital"),
         text="Open 4 virtual ward places for QEQM step-down by 18:00", owner="KCHFT duty manager"),
    Step(0, "16:01", "ack", "s.patel", call="km-exec-call"),
    Step(0, "16:18", "call-note", "s.patel", call="km-exec-call",
         text="16:00 K&M exec call: position noted. ICS stays at OPEL 3. Execs ask for the QEQM elective position "
              "on tomorrow's 10:30 call."),
    Step(0, "16:25", "decision", "d.marsh", areas=("QEQM Hospital",),
         text="Postpone tomorrow's 4 non-urgent inpatient elective cases at QEQM",
         rationale="QEQM has no inpatient capacity for elective admissions while at OPEL 4 with 18 patients "
                   "waiting for beds; day cases and cancer surgery continue",
         owner="QEQM divisional director for surgery"),
    Step(0, "16:45", "decision", "a.okafor",
         text="Keep the SCC open until 20:00 tonight",
         rationale="QEQM at OPEL 4 and the divert runs to 20:00; SCC hours are extended at times of escalation "
                   "(Staffordshire and Stoke-on-Trent System Surge Plan 2024/25 practice)"),
    Step(0, "17:05", "note", "a.okafor", event="16:20", areas=("Medway Council", "Medway Maritime Hospital"),
         late_reason="Taken by phone during the 16:00 exec call; written up afterwards",
         text="Medway Council confirmed the 3 step-down beds for Medway Maritime from 09:00 tomorrow."),
    Step(0, "17:58", "handover", "a.okafor"),
)


def _at(d: date, hm: str) -> datetime:
    h, m = (int(x) for x in hm.split(":"))
    return datetime.combine(d, time(h, m), tzinfo=LONDON).astimezone(UTC)


def _calls_held(d: date) -> set[str]:
    try:
        from scc_tui.datafiles.schedules import load_schedule
        from scc_tui.domain.schedule import occurrences_on

        return {o.item_key for o in occurrences_on(load_schedule(), d)}
    except Exception:  # noqa: BLE001 - no schedule: no call-bound steps
        return set()


def seed_day(store, clock: FixedClock, now: datetime, *, today: date, since: datetime) -> int:
    """Write the scripted day (and the history's declarations made at or after ``since``) into the log
    of ``store``, whose clock is ``clock``; nothing after ``now``. Returns the number of entries."""
    from scc_tui.domain.handover import render_text
    from scc_tui.domain.log import MAX_TEXT
    from scc_tui.store.handover import gather_handover
    from scc_tui.store.log import append_entry
    from scc_tui.store.models import Area, Declaration
    from scc_tui.store.prompts import acknowledge, mark_shown

    items: list[tuple[datetime, int, Any]] = []
    with store.read() as s:
        names = dict(s.execute(sa.select(Area.id, Area.name)).all())
        decl = s.execute(sa.select(Declaration).where(Declaration.recorded_at >= since,
                                                      Declaration.recorded_at <= now)).scalars().all()
    for r in decl:
        items.append((r.recorded_at.astimezone(UTC), 0, r))
    held = {-1: _calls_held(today - timedelta(days=1)), 0: _calls_held(today)}
    for i, step in enumerate(SCRIPT):
        at = _at(today + timedelta(days=step.day), step.hm)
        if at > now or (step.call is not None and step.call not in held[step.day]):
            continue
        items.append((at, 1 + i, step))
    items.sort(key=lambda x: (x[0], x[1]))
    refs: dict[str, int] = {}
    n = 0
    for at, _, what in items:
        clock.set(at)
        if isinstance(what, Declaration):
            when = what.declared_at.astimezone(LONDON).strftime("%a %d %b %H:%M")
            area = names.get(what.area_id, "?")
            text = f"{area} declared OPEL {what.level} (as at {when})"
            if what.computed_level is not None:
                text += f"; computed OPEL {what.computed_level}"
            if what.reason:
                text += f". Reason: {what.reason}"
            append_entry(store, kind="declaration", text=text, author=what.author, role=what.role, areas=[area],
                         source="demo", _lookup_role=False)
            n += 1
            continue
        step: Step = what
        role = PEOPLE.get(step.author)
        d = today + timedelta(days=step.day)
        if step.kind == "ack":
            occ = _at(d, _call_time(step.call))
            mark_shown(store, step.call, occ, "start", occ)
            acknowledge(store, (step.call, occ, "start"), step.author, title=_call_title(step.call), role=role)
            n += 1
            continue
        if step.kind == "handover":
            h = gather_handover(store, _at(d, "18:00"))
            text = render_text(h)
            if len(text) > MAX_TEXT:
                text = text[: MAX_TEXT - 40].rstrip() + "\n… (truncated; full text: scc handover)"
            e = append_entry(store, kind="handover", text=text, author=step.author, role=role,
                             areas=[a.name for a in h.pressured], source="demo", _lookup_role=False)
            n += 1
            continue
        kw: dict[str, Any] = {}
        if step.review:
            kw["review_at"] = _at(d, step.review)
        if step.corrects:
            kw["corrects_seq"] = refs[step.corrects]
        text = step.text
        if step.reviews:
            if step.reviews not in refs:  # the decision it reviews was left out (its call not held)
                continue
            kw["reviews_seq"] = refs[step.reviews]
            text = f"Review of decision #{refs[step.reviews]}: {text}"
        if step.event:
            kw["event_at"] = _at(d, step.event)
            kw["late_reason"] = step.late_reason
        e = append_entry(store, kind=step.kind, text=text, author=step.author, role=role, areas=list(step.areas),
                         rationale=step.rationale, risk=step.risk, risk_measure=step.risk_measure, owner=step.owner,
                         source="demo", _lookup_role=False, **kw)
        if step.ref:
            refs[step.ref] = e.seq
        n += 1
    return n


_SCHEDULE_CACHE: dict[str, tuple[str, str]] = {}


def _item(key: str) -> tuple[str, str]:
    if not _SCHEDULE_CACHE:
        from scc_tui.datafiles.schedules import load_schedule

        for it in load_schedule().items:
            _SCHEDULE_CACHE[it.key] = (it.title, it.time.strftime("%H:%M") if hasattr(it.time, "strftime") else str(it.time))
    return _SCHEDULE_CACHE[key]


def _call_time(key: str | None) -> str:
    return _item(key or "")[1]


def _call_title(key: str | None) -> str:
    return _item(key or "")[0]
