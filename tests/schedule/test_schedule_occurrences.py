"""Occurrences of the winter weekly schedule across clock changes, bank holidays and fortnights."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scc_tui.datafiles.schedules import load_schedule, parse_schedule
from scc_tui.domain.clock import LONDON
from scc_tui.domain.schedule import (
    Fortnightly,
    Schedule,
    ScheduleItem,
    england_bank_holiday,
    local_instant,
    occurrences,
    occurrences_on,
    owing_areas,
    in_scope,
    ScheduleScopeError,
)

REPO = Path(__file__).resolve().parents[2]
WINTER = REPO / "schedules" / "kent-medway-winter.toml"


@pytest.fixture(scope="module")
def winter() -> Schedule:
    return load_schedule(WINTER)


def day_occ(schedule, d: date, **kw):
    start = datetime(d.year, d.month, d.day, tzinfo=LONDON)
    nxt = d + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=LONDON)
    return occurrences(schedule, start, end, ignore_validity=True, **kw)


def keys(occs):
    return [o.item_key for o in occs]


# ---------------------------------------------------------------------------------------------
# The grid as DOMAIN.md §6 reads seed 004


def test_thursday_grid(winter):
    occs = day_occ(winter, date(2026, 11, 26), kind="call")
    got = [(o.local_start.strftime("%H:%M"), o.title) for o in occs]
    assert got == [
        ("08:30", "NHSE/I SECAmb call"),
        ("10:30", "System weekend look-ahead calls"),
        ("13:00", "K&M UEC leads weekend plan call"),
        ("14:00", "WOLF meeting"),
        ("14:30", "Challenged trusts national call"),
        ("15:00", "System escalation calls"),
        ("16:00", "K&M exec call"),
        ("18:00", "NHSE/I PMO close down and handover to on-call"),
    ]
    deadlines = day_occ(winter, date(2026, 11, 26), kind="deadline")
    assert [(o.item_key, o.local_end.strftime("%H:%M")) for o in deadlines] == [
        ("opel-submission", "10:00"),
        ("kcc-update-am", "10:30"),
        ("shrewd-update", "11:30"),  # systems owe their own system OPEL status (seed 004 grid)
        ("weekend-plans-upload", "12:00"),
        ("kcc-update-pm", "15:30"),
    ]
    pm = next(o for o in deadlines if o.item_key == "kcc-update-pm")
    assert pm.local_start.strftime("%H:%M") == "14:00" and pm.applies_at_level == 3


def test_tuesday_and_weekend_grid(winter):
    tue = [(o.local_start.strftime("%H:%M"), o.item_key) for o in day_occ(winter, date(2026, 11, 24), kind="call")]
    assert tue == [
        ("08:30", "secamb-call"),
        ("10:30", "escalation-am"),
        ("13:00", "uec-leads-update"),
        ("14:30", "national-winter-weekday"),
        ("15:00", "escalation-pm"),
        ("16:00", "km-exec-call"),
        ("18:00", "close-down-handover"),
    ]
    for d in (date(2026, 11, 28), date(2026, 11, 29)):
        got = [(o.local_start.strftime("%H:%M"), o.item_key) for o in day_occ(winter, d, kind="call")]
        assert got == [
            ("08:30", "secamb-call"),
            ("13:30", "national-winter-weekend"),
            ("18:00", "close-down-handover"),
        ]


def test_every_item_has_category_and_positive_duration(winter):
    for it in winter.items:
        assert it.category in ("km-escalation", "km-planned", "regional-national")
        assert it.category_note
        if it.kind == "call":
            assert it.duration_minutes > 0


# ---------------------------------------------------------------------------------------------
# Clock changes


def NO_HOLIDAYS(_d):
    return None


CHANGES = [date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]


def test_secamb_offsets_either_side_of_autumn_2026(winter):
    def secamb(d):
        return next(o for o in day_occ(winter, d) if o.item_key == "secamb-call")

    assert secamb(date(2026, 10, 24)).start == datetime(2026, 10, 24, 7, 30, tzinfo=UTC)
    assert secamb(date(2026, 10, 25)).start == datetime(2026, 10, 25, 8, 30, tzinfo=UTC)
    assert secamb(date(2026, 10, 26)).start == datetime(2026, 10, 26, 8, 30, tzinfo=UTC)
    assert secamb(date(2027, 3, 27)).start == datetime(2027, 3, 27, 8, 30, tzinfo=UTC)
    assert secamb(date(2027, 3, 28)).start == datetime(2027, 3, 28, 7, 30, tzinfo=UTC)
    assert secamb(date(2027, 10, 30)).start == datetime(2027, 10, 30, 7, 30, tzinfo=UTC)
    assert secamb(date(2027, 11, 1)).start == datetime(2027, 11, 1, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize("change", CHANGES)
def test_wall_times_and_counts_across_each_change(winter, change):
    """Every item at its London wall time with the offset in force; the day counts match the same
    weekday a week before and after (nothing doubled or lost). Bank holidays are switched off here
    (Easter Monday 2027 is the day after the spring change; it has its own test)."""
    for d in (change - timedelta(days=1), change, change + timedelta(days=1)):
        occs = day_occ(winter, d, bank_holiday=NO_HOLIDAYS)
        for o in occs:
            item = winter.item(o.item_key)
            local = (o.end if o.kind == "deadline" else o.start).astimezone(LONDON)
            assert local.time() == item.time and local.date() == d
            expected_offset = timedelta(hours=1) if local.tzname() == "BST" else timedelta(0)
            assert local.utcoffset() == expected_offset
        # the same weekday in the weeks either side (no bank holidays on those dates)
        for other in (d - timedelta(days=7), d + timedelta(days=7)):
            assert Counter(keys(day_occ(winter, other, bank_holiday=NO_HOLIDAYS))) == Counter(keys(occs)), (d, other)
        # with the real holidays: nothing doubled either
        real = day_occ(winter, d)
        assert len({o.item_key for o in real}) == len(real)


@pytest.mark.parametrize("change", CHANGES)
def test_window_across_change_has_exact_weekly_count(winter, change):
    """A whole week containing the change, asked as one UTC window: no item doubled or dropped."""
    monday = change - timedelta(days=change.weekday())
    start = datetime(monday.year, monday.month, monday.day, tzinfo=LONDON)
    nm = monday + timedelta(days=7)
    end = datetime(nm.year, nm.month, nm.day, tzinfo=LONDON)
    occs = occurrences(winter, start, end, ignore_validity=True, bank_holiday=NO_HOLIDAYS)
    per_item = Counter(keys(occs))
    for it in winter.items:
        assert per_item[it.key] == len(it.days), it.key
    assert len({(o.item_key, o.start) for o in occs}) == len(occs)
    assert occs == sorted(occs, key=lambda o: (o.start, o.end, o.kind, o.item_key))


def _synthetic(*times: str, days="daily") -> Schedule:
    items = "\n".join(
        f'[[items]]\nkey = "t{i}"\ntitle = "Synthetic {t}"\ndays = "{days}"\ntime = "{t}"\n'
        f'duration_minutes = 30\ncategory = "km-planned"\n'
        for i, t in enumerate(times)
    )
    text = f'[schedule]\nid = "synthetic"\ntitle = "t"\nversion = "1"\neffective_from = 2026-01-01\nserves = "Test ICS"\n\n{items}'
    return parse_schedule(text, "synthetic.toml")


def test_missing_spring_hour_runs_at_first_instant_after():
    s = _synthetic("00:59", "01:00", "01:30", "02:00", "03:00")
    occs = day_occ(s, date(2027, 3, 28))
    got = {o.title.split()[-1]: o.start for o in occs}
    assert got == {
        "00:59": datetime(2027, 3, 28, 0, 59, tzinfo=UTC),
        "01:00": datetime(2027, 3, 28, 1, 0, tzinfo=UTC),  # 02:00 BST
        "01:30": datetime(2027, 3, 28, 1, 0, tzinfo=UTC),  # 02:00 BST, not 02:30
        "02:00": datetime(2027, 3, 28, 1, 0, tzinfo=UTC),
        "03:00": datetime(2027, 3, 28, 2, 0, tzinfo=UTC),
    }
    gap = next(o for o in occs if o.title.endswith("01:30"))
    assert "does not exist" in gap.why and "02:00 BST" in gap.why
    assert gap.local_date == date(2027, 3, 28)
    # a 30-minute slot is 30 elapsed minutes
    assert gap.end - gap.start == timedelta(minutes=30)


@pytest.mark.parametrize("change", [date(2026, 10, 25), date(2027, 10, 31)])
def test_repeated_autumn_hour_runs_once_at_first_reading(change):
    s = _synthetic("00:30", "01:00", "01:30", "02:00")
    occs = day_occ(s, change)
    assert len(occs) == 4
    got = {o.title.split()[-1]: o.start for o in occs}
    d = datetime(change.year, change.month, change.day, tzinfo=UTC)
    assert got == {
        "00:30": d - timedelta(minutes=30),  # 00:30 BST
        "01:00": d,  # 01:00 BST (first)
        "01:30": d + timedelta(minutes=30),  # 01:30 BST (first)
        "02:00": d + timedelta(hours=2),  # 02:00 GMT
    }
    rep = next(o for o in occs if o.title.endswith("01:30"))
    assert "occurs twice" in rep.why
    # Asked as a UTC window spanning the whole repeated hour, still once.
    win = occurrences(s, d - timedelta(hours=2), d + timedelta(hours=3), ignore_validity=True)
    assert Counter(keys(win))["t2"] == 1


def test_local_instant_ordinary_day():
    at, note = local_instant(date(2026, 7, 1), time(8, 30))
    assert at == datetime(2026, 7, 1, 7, 30, tzinfo=UTC) and note is None


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2031, 12, 31)))
def test_any_day_every_occurrence_at_its_wall_time(d):
    s = load_schedule(WINTER)
    for o in occurrences_on(s, d):
        item = s.item(o.item_key)
        local = (o.end if o.kind == "deadline" else o.start).astimezone(LONDON)
        assert (local.date(), local.time()) == (d, item.time)


# ---------------------------------------------------------------------------------------------
# Bank holidays


def test_england_holidays_known():
    assert england_bank_holiday(date(2026, 12, 28)) is not None  # Boxing Day (substitute)
    assert england_bank_holiday(date(2027, 3, 29)) is not None  # Easter Monday 2027
    assert england_bank_holiday(date(2027, 5, 3)) is not None
    assert england_bank_holiday(date(2026, 12, 29)) is None


WEEKDAY_ONLY = {"escalation-am", "escalation-pm", "km-exec-call", "national-winter-weekday", "uec-leads-update"}
DAILY = {"secamb-call", "shrewd-update", "close-down-handover", "opel-submission", "kcc-update-am", "kcc-update-pm"}
# An England bank holiday runs as a Saturday (bank_holiday_runs_as = "sat"): the daily items and the
# weekend-only 13:30 national winter call; no weekday-only item.
AS_SATURDAY = DAILY | {"national-winter-weekend"}


@pytest.mark.parametrize("holiday", [date(2026, 12, 28), date(2027, 3, 29), date(2027, 5, 3)])
def test_bank_holiday_monday_runs_as_a_saturday(winter, holiday):
    got = set(keys(day_occ(winter, holiday)))
    assert got == AS_SATURDAY
    assert set(keys(day_occ(winter, date(2026, 12, 26)))) == AS_SATURDAY  # an ordinary Saturday: the same
    normal = set(keys(day_occ(winter, holiday + timedelta(days=7))))
    assert {"escalation-am", "escalation-pm", "km-exec-call", "national-winter-weekday"} <= normal
    assert "national-winter-weekend" not in normal
    occ = next(o for o in day_occ(winter, holiday) if o.item_key == "secamb-call")
    assert "bank holiday" in occ.why


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 12, 25), "Christmas Day"),  # Friday
        (date(2026, 12, 28), "Boxing Day"),  # Monday (substitute for Saturday 26th)
        (date(2027, 1, 1), "New Year's Day"),  # Friday
        (date(2027, 3, 26), "Good Friday"),
        (date(2027, 3, 29), "Easter Monday"),
    ],
)
def test_christmas_new_year_and_easter_2027_have_the_weekend_calls(winter, day, name):
    """Issue 9 item 13: these days used to have no national call at all."""
    occs = day_occ(winter, day)
    assert set(keys(occs)) == AS_SATURDAY, day
    national = [o for o in occs if o.item_key == "national-winter-weekend"]
    assert len(national) == 1
    assert national[0].local_start.strftime("%H:%M") == "13:30" and national[0].title == "National winter call"
    assert name in national[0].why and "run as a Saturday" in national[0].why
    assert not set(keys(occs)) & WEEKDAY_ONLY  # no escalation, exec or weekday national call


def test_bank_holiday_policy_is_data(winter):
    """The weekend pattern on bank holidays comes from the file: without bank_holiday_runs_as, or with
    an item's own `skip`, the weekend call is not held on a bank holiday."""
    assert winter.bank_holiday_runs_as == 5
    plain = replace(winter, bank_holiday_runs_as=None)
    assert set(keys(day_occ(plain, date(2026, 12, 25)))) == DAILY
    skip = replace(winter, items=tuple(replace(i, bank_holidays="skip") if i.key == "national-winter-weekend" else i
                                       for i in winter.items))
    assert set(keys(day_occ(skip, date(2026, 12, 25)))) == DAILY
    # A weekday-only item whose own policy is "run" is held on a bank holiday too.
    run = replace(winter, items=tuple(replace(i, bank_holidays="run") if i.key == "km-exec-call" else i
                                      for i in winter.items))
    assert set(keys(day_occ(run, date(2026, 12, 25)))) == AS_SATURDAY | {"km-exec-call"}


def test_good_friday_and_christmas_friday(winter):
    for d in (date(2026, 12, 25), date(2027, 1, 1), date(2027, 3, 26)):
        assert set(keys(day_occ(winter, d))) == AS_SATURDAY, d
    # Thursday before is untouched (weekend planning still on Thursday)
    thu = set(keys(day_occ(winter, date(2026, 12, 24))))
    assert {"weekend-look-ahead", "weekend-plans-upload", "weekend-plan-call", "wolf-meeting"} <= thu

# ---------------------------------------------------------------------------------------------
# Deadlines: who owes


class S:
    """A status with a place in the tree (area_id, parent_id), a kind and a method."""

    _ids = iter(range(1, 10_000))

    def __init__(self, name, level, last_update, kind="la-area", parent=None, method="kcc-asc"):
        self.area_id = next(S._ids)
        self.name, self.level, self.last_update, self.kind, self.method = name, level, last_update, kind, method
        self.parent_id = parent.area_id if parent is not None else None


def km_and_staffs(midnight):
    """Kent and Medway (with KCC's areas) and Staffordshire, as the demo lays them out."""
    se = S("South East", None, None, "region", method=None)
    km = S("Kent and Medway ICS", None, None, "ics", se, method=None)
    ek = S("East Kent", None, None, "system", km, method=None)
    kcc = S("Kent County Council ASC", None, None, "council", km, method=None)  # a council, not an NHS provider
    mid = S("Midlands", None, None, "region", method=None)
    st = S("Staffordshire and Stoke-on-Trent ICS", None, None, "ics", mid, method=None)
    return [
        se, km, ek, kcc, mid, st,
        S("DGS", 3, midnight + timedelta(hours=9), parent=kcc),  # submitted this morning
        S("East Kent KCC", 2, midnight - timedelta(hours=1), parent=kcc),  # last update yesterday
        S("Swale", 1, None, parent=kcc, method="kcc-asc-2025"),  # a plan id counts as its family
        S("West Kent", 3, midnight + timedelta(hours=14, minutes=5), parent=kcc),  # in the afternoon window
        S("QEQM Hospital", 4, None, "provider", ek, method="acute"),
        S("SECAmb", 2, None, "provider", km, method=None),  # ICS-wide provider, directly under the ICS
        S("Medway Council", 2, None, "la-area", km, method=None),  # a K&M local authority not on the KCC plan
        S("Royal Stoke University Hospital", 4, None, "provider", st, method="acute"),
        S("WMAS", 3, None, "provider", st, method=None),
        S("Staffordshire County Council", 3, None, "la-area", st, method=None),
        S("Staffs KCC-plan area", 3, None, "la-area", st, method="kcc-asc"),  # out of scope whatever its plan
    ]


def test_owing_areas(winter):
    d = date(2026, 11, 23)
    occs = {o.item_key: o for o in day_occ(winter, d, kind="deadline")}
    statuses = km_and_staffs(datetime(2026, 11, 23, 0, 0, tzinfo=UTC))
    # 10:00: NHS providers of Kent and Medway only (KCC ASC OPEL plan v1.8 §3.1).
    assert owing_areas(occs["opel-submission"], statuses) == ["QEQM Hospital", "SECAmb"]
    # 10:30: KCC's areas (la-areas scored by kcc-asc) at any level; never an NHS provider.
    assert owing_areas(occs["kcc-update-am"], statuses) == ["East Kent KCC", "Swale"]
    assert owing_areas(occs["kcc-update-pm"], statuses) == ["DGS"]  # OPEL 3+, since 14:00
    thu = next(o for o in day_occ(winter, date(2026, 11, 26)) if o.item_key == "weekend-plans-upload")
    assert owing_areas(thu, statuses) == []  # not tracked
    call = day_occ(winter, d, kind="call")[0]
    assert owing_areas(call, statuses) == []


def test_a_staffordshire_provider_is_never_chased_by_kent_and_medway(winter):
    """Issue 9 item 11: the Kent & Medway schedule used to list Staffordshire areas as owing."""
    statuses = km_and_staffs(datetime(2026, 11, 23, 0, 0, tzinfo=UTC))
    staffs = {"Royal Stoke University Hospital", "WMAS", "Staffordshire County Council", "Staffs KCC-plan area"}
    for day in (date(2026, 11, 23), date(2026, 12, 25)):
        for occ in day_occ(winter, day, kind="deadline"):
            owing = set(owing_areas(occ, statuses))
            assert not owing & staffs, (occ.item_key, owing & staffs)
    opel = next(o for o in day_occ(winter, date(2026, 11, 23)) if o.item_key == "opel-submission")
    assert "QEQM Hospital" in owing_areas(opel, statuses)  # a K&M provider is


def test_kcc_items_chase_kcc_areas_not_nhs_providers(winter):
    statuses = km_and_staffs(datetime(2026, 11, 23, 0, 0, tzinfo=UTC))
    am = next(o for o in day_occ(winter, date(2026, 11, 23)) if o.item_key == "kcc-update-am")
    chased = {s.name for s in in_scope(am, statuses)}
    assert chased == {"DGS", "East Kent KCC", "Swale", "West Kent"}
    assert not {s.name for s in statuses if s.kind == "provider"} & chased
    # The 10:00 item does not chase KCC's areas.
    opel = next(o for o in day_occ(winter, date(2026, 11, 23)) if o.item_key == "opel-submission")
    assert {s.name for s in in_scope(opel, statuses)} == {"QEQM Hospital", "SECAmb"}


def test_unknown_served_ics_is_an_error_not_an_empty_list(winter):
    statuses = [s for s in km_and_staffs(datetime(2026, 11, 23, tzinfo=UTC)) if s.name != "Kent and Medway ICS"]
    opel = next(o for o in day_occ(winter, date(2026, 11, 23)) if o.item_key == "opel-submission")
    with pytest.raises(ScheduleScopeError, match="serves 'Kent and Medway ICS', which is not an area here"):
        owing_areas(opel, statuses)
    system = replace(opel, serves="East Kent")
    with pytest.raises(ScheduleScopeError, match="a system: a schedule serves an ICS or a region"):
        owing_areas(system, km_and_staffs(datetime(2026, 11, 23, tzinfo=UTC)))
    assert owing_areas(opel, []) == []  # no areas at all: nothing to chase, no error


def test_schedule_is_plain_data(winter):
    # frozen dataclasses: a UI can hold and compare them
    item = winter.items[0]
    assert replace(item, title="x").title == "x"
    assert isinstance(item, ScheduleItem)
    assert Fortnightly(date(2026, 11, 5), "n").anchor_confirmed is False


def test_daily_opel_submission_is_owed_only_by_nhs_providers():
    """Grouping rows (region, ICS, system) never submit; the 10:00 assessment is the NHS providers'
    (KCC ASC OPEL plan v1.8 §3.1); KCC's areas are chased by the KCC items at 10:30."""
    from datetime import date
    from types import SimpleNamespace

    from scc_tui.datafiles.schedules import load_schedule
    from scc_tui.domain.schedule import occurrences_on, owing_areas

    occ = next(o for o in occurrences_on(load_schedule(), date(2026, 11, 23)) if o.item_key == "opel-submission")

    def area(i, name, kind, parent, level=None, method=None):
        return SimpleNamespace(area_id=i, parent_id=parent, name=name, kind=kind, level=level, last_update=None,
                               method=method)

    statuses = [
        area(1, "South East", "region", None),
        area(2, "Kent and Medway ICS", "ics", 1),
        area(3, "East Kent", "system", 2),
        area(4, "QEQM Hospital", "provider", 3, 4, "acute"),
        area(5, "KCC Swale", "la-area", 2, 3, "kcc-asc"),
    ]
    assert owing_areas(occ, statuses) == ["QEQM Hospital"]
