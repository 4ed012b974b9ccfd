"""The escalation engine over level histories (pure): runs, the hold, and the shipped K&M rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from scc_tui.datafiles.rules import load_rulesets
from scc_tui.domain.clock import LONDON
from scc_tui.domain.escalation import (
    AreaEvent, AreaView, LevelPoint, effective_level, evaluate, run_at, run_resolved, runs_at,
)

KM = "Kent and Medway ICS"
ICS = ((KM, "ics"), ("South East", "region"))


def L(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def pts(*pairs) -> tuple[LevelPoint, ...]:
    return tuple(LevelPoint(L(t), lv) for t, lv in pairs)


def system(name="East Kent", *history, events=()):
    return AreaView(name, "system", ICS, pts(*history), tuple(events))


def provider(name="QEQM Hospital", parent="East Kent", *history):
    return AreaView(name, "provider", ((parent, "system"),) + ICS, pts(*history))


@pytest.fixture(scope="module")
def rules():
    return load_rulesets()


def fire(rules, areas, at, bh=None):
    return evaluate(rules, areas, L(at), bank_holiday=bh)


def day_rules(firings):
    """{(area, rule key): firing} for the seed 004 Day 2 / Day 3 rules."""
    return {(f.area, f.rule_key): f for f in firings if f.rule_id.startswith("opel4-day")}


# ------------------------------------------------------------------ runs and the hold


def test_runs_and_hold_unit():
    p = pts(("2026-11-30T09:00", 4), ("2026-12-01T09:00", 3), ("2026-12-01T11:00", 4))
    r = run_at(p, 4, L("2026-12-02T10:00"))
    assert r.start == L("2026-11-30T09:00") and r.day(L("2026-12-02T10:00")) == 3
    r = run_at(p, 4, L("2026-12-01T10:00"))
    assert r.stepping_down(L("2026-12-01T10:00")) and r.hold_until == L("2026-12-02T09:00")
    # A drop that lasts exactly the hold ends the run at that instant.
    p2 = pts(("2026-11-30T09:00", 4), ("2026-12-01T09:00", 3))
    assert run_at(p2, 4, L("2026-12-02T08:59")) is not None
    assert run_at(p2, 4, L("2026-12-02T09:00")) is None
    assert runs_at(p2, 4, L("2026-12-03T09:00"))[-1].end == L("2026-12-02T09:00")
    assert effective_level(p2, L("2026-12-01T12:00")) == 4
    assert effective_level(p2, L("2026-12-02T12:00")) == 3


def test_run_resolved_needs_a_full_hold_below():
    at = L("2026-12-02T10:00")
    assert not run_resolved(pts(("2026-12-01T09:00", 3), ("2026-12-01T11:00", 4)), 4, at)
    assert run_resolved(pts(("2026-11-28T09:00", 3), ("2026-12-01T11:00", 4)), 4, at)
    # Below, but the hold has not run out by `at`: an older run may still be live.
    assert not run_resolved(pts(("2026-12-02T09:00", 3),), 4, at)
    assert run_resolved(pts(("2026-12-01T09:00", 3),), 4, at)


# ------------------------------------------------------------------ seed 004: Day 2 / Day 3


def test_day1_day2_day3_across_midnight(rules):
    ek = system("East Kent", ("2026-11-30T23:50", 4))  # Mon 23:50
    assert day_rules(fire(rules, [ek], "2026-11-30T23:55")) == {}  # Day 1
    d2 = day_rules(fire(rules, [ek], "2026-12-01T00:05"))  # Tue, Day 2
    assert list(d2) == [("East Kent", "opel4-day2-include-stp")]
    f = d2[("East Kent", "opel4-day2-include-stp")]
    assert (f.day, f.optional, f.include, f.since) == (2, False, ("STP (now Kent and Medway ICB)",), L("2026-12-01T00:00"))
    assert f.why == "East Kent: OPEL 4 since Mon 23:50, Day 2"
    assert "include STP" in f.message and f.occasion == "2026-12-01" and f.needs_ack
    d3 = day_rules(fire(rules, [ek], "2026-12-02T10:00"))  # Wed, Day 3, a weekday
    assert list(d3) == [("East Kent", "opel4-day3-include-nhse")]
    f = d3[("East Kent", "opel4-day3-include-nhse")]
    assert f.include == ("STP (now Kent and Medway ICB)", "NHSE Director on-call") and not f.optional
    # Day 3's inclusion continues on Day 4 and later (judgement in the rules file).
    d5 = day_rules(fire(rules, [ek], "2026-12-04T10:00"))
    assert d5[("East Kent", "opel4-day3-include-nhse")].day == 5


def test_day3_on_a_saturday_nothing_for_nhse_in_the_morning_optional_in_the_afternoon(rules):
    ek = system("East Kent", ("2026-12-03T09:00", 4))  # Thu: Day 3 is Sat 5 Dec
    morning = day_rules(fire(rules, [ek], "2026-12-05T10:30"))
    assert list(morning) == [("East Kent", "opel4-day3-include-nhse")]
    assert morning[("East Kent", "opel4-day3-include-nhse")].include == ("STP (now Kent and Medway ICB)",)
    assert not any("NHSE" in r for f in morning.values() for r in f.include)
    assert day_rules(fire(rules, [ek], "2026-12-05T11:59")).keys() == morning.keys()
    pm = day_rules(fire(rules, [ek], "2026-12-05T12:00"))
    opt = pm[("East Kent", "opel4-day3-include-nhse~optional")]
    assert (opt.optional, opt.include, opt.since, opt.day) == (True, ("NHSE Director on-call",), L("2026-12-05T12:00"), 3)
    req = pm[("East Kent", "opel4-day3-include-nhse")]
    assert (req.optional, req.include) == (False, ("STP (now Kent and Medway ICB)",))
    # Monday (Day 5, a weekday): one required firing with both.
    mon = day_rules(fire(rules, [ek], "2026-12-07T10:00"))
    assert list(mon) == [("East Kent", "opel4-day3-include-nhse")]


def test_a_bank_holiday_is_read_as_a_weekend_day(rules):
    bh = {date(2026, 12, 28): "Boxing Day (substitute day)"}.get
    ek = system("East Kent", ("2026-12-26T09:00", 4))  # Day 3 is Mon 28 Dec, a bank holiday
    am = day_rules(fire(rules, [ek], "2026-12-28T10:00", bh))
    assert [f.include for f in am.values()] == [("STP (now Kent and Medway ICB)",)]
    pm = day_rules(fire(rules, [ek], "2026-12-28T15:00", bh))
    assert pm[("East Kent", "opel4-day3-include-nhse~optional")].optional
    # Without the bank holiday, Monday is a weekday: required.
    wd = day_rules(fire(rules, [ek], "2026-12-28T10:00"))
    assert list(wd.values())[0].include == ("STP (now Kent and Medway ICB)", "NHSE Director on-call")


@pytest.mark.parametrize("start, at, day", [
    # Autumn: clocks go back 02:00 BST Sun 25 Oct 2026.
    ("2026-10-24T23:30", "2026-10-25T23:59", 2),
    ("2026-10-24T23:30", "2026-10-26T00:30", 3),
    ("2026-10-24T23:30", "2026-10-25T01:30", 2),
    # Spring: clocks go forward 01:00 GMT Sun 28 Mar 2027.
    ("2027-03-27T23:30", "2027-03-28T03:30", 2),
    ("2027-03-27T23:30", "2027-03-28T23:59", 2),
    ("2027-03-27T23:30", "2027-03-29T00:00", 3),
])
def test_clock_changes_count_london_days(rules, start, at, day):
    ek = system("East Kent", (start, 4))
    fs = day_rules(fire(rules, [ek], at))
    assert [f.day for f in fs.values()] == [day]


def test_a_two_hour_dip_continues_the_run_and_a_two_day_dip_resets_it(rules):
    dip = system("East Kent", ("2026-11-30T09:00", 4), ("2026-12-01T09:00", 3), ("2026-12-01T11:00", 4))
    # During the dip (in the hold) Day 2's inclusion stands, marked as stepping down.
    f = day_rules(fire(rules, [dip], "2026-12-01T10:00"))[("East Kent", "opel4-day2-include-stp")]
    assert f.stepping_down and f.hold_until == L("2026-12-02T09:00")
    assert "stepping down (OPEL 3 now), hold until Wed 09:00" in f.why
    assert [f.day for f in day_rules(fire(rules, [dip], "2026-12-02T10:00")).values()] == [3]
    long = system("East Kent", ("2026-11-30T09:00", 4), ("2026-12-01T09:00", 3), ("2026-12-03T09:00", 4))
    assert day_rules(fire(rules, [long], "2026-12-02T10:00")) == {}  # hold over: stood down
    assert day_rules(fire(rules, [long], "2026-12-03T10:00")) == {}  # Day 1 again
    assert [f.day for f in day_rules(fire(rules, [long], "2026-12-04T10:00")).values()] == [2]


def test_two_areas_at_once(rules):
    ek = system("East Kent", ("2026-11-30T09:10", 4))
    qeqm = provider("QEQM Hospital", "East Kent", ("2026-11-30T09:10", 4))
    fs = day_rules(fire(rules, [ek, qeqm], "2026-12-01T10:00"))
    assert set(fs) == {("East Kent", "opel4-day2-include-stp"), ("QEQM Hospital", "opel4-day2-include-stp")}
    assert fs[("QEQM Hospital", "opel4-day2-include-stp")].why == "QEQM Hospital: OPEL 4 since Mon 09:10, Day 2"
    assert len({f.key for f in fs.values()}) == 2


def test_a_provider_at_opel4_in_an_ics_whose_others_are_at_1(rules):
    qeqm = provider("QEQM Hospital", "East Kent", ("2026-12-01T09:10", 4))
    others = [provider(n, "East Kent", ("2026-12-01T08:00", 1)) for n in ("William Harvey Hospital", "Kent & Canterbury Hospital")]
    ek = system("East Kent", ("2026-12-01T08:00", 1))
    kcc = AreaView("Kent County Council ASC", "provider", ICS, pts(("2026-12-01T09:00", 4)), child_kinds=frozenset({"la-area"}))
    fs = fire(rules, [ek, qeqm, kcc, *others], "2026-12-01T10:00")
    by = {(f.area, f.rule_key) for f in fs}
    assert ("QEQM Hospital", "provider-opel4-ics-actions") in by
    assert ("QEQM Hospital", "provider-opel3-ics-actions") in by
    ics = next(f for f in fs if f.rule_key == "provider-opel4-ics-actions")
    assert ics.message.startswith("Kent and Medway ICS: implement the ICS OPEL 4 actions – QEQM Hospital at OPEL 4")
    assert ics.occasion == "2026-12-01T09:10:00+00:00"  # once per run: the run's start (UTC)
    # Nothing for the areas at 1; the council's ASC is not an NHS provider (App. 4).
    assert {a for a, _ in by} == {"QEQM Hospital", "Kent County Council ASC"}
    assert not any(a == "Kent County Council ASC" and r.startswith("provider-") for a, r in by)
    # The UCDB report names the hospital's own board.
    ucdb = next(f for f in fs if f.rule_key == "ucdb-report-opel4")
    assert ucdb.include == ("East Kent Urgent Care Delivery Board senior leads",)


def test_rules_apply_only_under_the_ics_the_rule_set_serves(rules):
    stoke = AreaView("Royal Stoke University Hospital", "provider",
                     (("Staffordshire and Stoke-on-Trent ICS", "ics"), ("Midlands", "region")),
                     pts(("2026-11-30T09:00", 4)))
    assert fire(rules, [stoke], "2026-12-01T10:00") == []


def test_nhs111_dos_review_after_four_hours_and_its_repeat(rules):
    def kcc(*events):
        return AreaView("Kent County Council ASC", "council", ICS, (), tuple(AreaEvent(n, L(t)) for n, t in events))

    on = kcc(("111-dos-activated", "2026-12-01T09:00"))
    assert fire(rules, [on], "2026-12-01T12:59") == []
    f1 = fire(rules, [on], "2026-12-01T13:00")
    assert [(f.rule_key, f.occasion[-2:], f.due_at) for f in f1] == [("nhs111-dos-review", "#1", L("2026-12-01T13:00"))]
    assert "review 1 due" in f1[0].message and f1[0].needs_ack
    f2 = fire(rules, [on], "2026-12-01T17:30")
    assert [(f.occasion[-2:], f.due_at) for f in f2] == [("#2", L("2026-12-01T17:00"))]
    assert f1[0].key != f2[0].key
    off = kcc(("111-dos-activated", "2026-12-01T09:00"), ("111-dos-stood-down", "2026-12-01T18:00"))
    assert fire(rules, [off], "2026-12-01T17:30")[0].occasion.endswith("#2")
    assert fire(rules, [off], "2026-12-01T21:30") == []
    early = kcc(("111-dos-activated", "2026-12-01T09:00"), ("111-dos-stood-down", "2026-12-01T11:00"))
    assert fire(rules, [early], "2026-12-01T13:30") == []


def test_kcc_shrewd_due_items_depend_on_the_level(rules):
    def area(level):
        return AreaView("KCC Swale", "la-area", (("Kent County Council ASC", "council"),) + ICS,
                        pts(("2026-12-01T08:00", level)))

    def keys(level):
        return [(f.rule_key, f.deadlines) for f in fire(rules, [area(level)], "2026-12-01T09:00") if f.rule_id.startswith("kcc-")]

    assert keys(1) == []
    assert keys(2) == [("kcc-shrewd-daily", ("10:30",))]
    assert keys(3) == [("kcc-shrewd-twice-daily", ("10:30", "14:00-15:30"))]
    assert keys(4) == [("kcc-shrewd-twice-daily", ("10:30", "14:00-15:30"))]


def test_deterministic_and_version_in_force_when_the_run_began(rules, tmp_path):
    import dataclasses

    ek = system("East Kent", ("2026-11-30T09:00", 4))
    a = fire(rules, [ek], "2026-12-01T10:00")
    assert a == fire(rules, [ek], "2026-12-01T10:00")
    newer = dataclasses.replace(rules[0], version="2026.2", effective_from=date(2026, 12, 1))
    fs = day_rules(evaluate([rules[0], newer], [ek], L("2026-12-01T10:00")))
    assert [f.ruleset_version for f in fs.values()] == ["2025.1"]  # the run began on 30 Nov
    late = system("East Kent", ("2026-12-01T09:00", 4))
    fs = day_rules(evaluate([rules[0], newer], [late], L("2026-12-02T10:00")))
    assert [f.ruleset_version for f in fs.values()] == ["2026.2"]


def test_ucdb_report_only_for_areas_within_a_system(rules):
    secamb = AreaView("SECAmb", "provider", ICS, pts(("2026-12-01T09:00", 3)))
    qeqm = provider("QEQM Hospital", "East Kent", ("2026-12-01T09:00", 2))
    fs = fire(rules, [secamb, qeqm], "2026-12-01T10:00")
    ucdb = [(f.area, f.rule_key, f.include) for f in fs if f.rule_id.startswith("ucdb")]
    assert ucdb == [("QEQM Hospital", "ucdb-report-opel2", ("East Kent Urgent Care Delivery Board",))]
    # SECAmb still triggers the ICS's OPEL 3 actions (App. 4: any provider).
    assert [f.rule_key for f in fs if f.area == "SECAmb"] == ["provider-opel3-ics-actions"]
