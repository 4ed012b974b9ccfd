"""The log screen's pure parts: the filter language, typed times, the decision form's checks, reviews."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from rich.text import Text

from scc_tui.app.log.model import (
    FilterError,
    LogRow,
    WhenError,
    decision_fields,
    field_of_error,
    fmt_time,
    parse_filter,
    parse_when,
    review_text,
    reviewed_seq,
    reviews_due,
)
from scc_tui.domain.clock import UTC

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


def row(seq=1, **kw) -> LogRow:
    base = dict(seq=seq, recorded_at=NOW, event_at=NOW, author="jsmith", kind="note", text="hello")
    base.update(kw)
    return LogRow(**base)


# ---------------------------------------------------------------- filter


def test_filter_full_example():
    f = parse_filter("from:2026-11-20 to:2026-11-23 kind:decision area:swale author:jsmith beds Escalation")
    assert f.kinds == ("decision",)
    assert f.areas == ("swale",)
    assert f.authors == ("jsmith",)
    assert f.words == ("beds", "escalation")
    assert (f.date_from, f.date_to) == (date(2026, 11, 20), date(2026, 11, 23))
    assert f.since == datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    assert f.until == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # to: is inclusive
    assert not f.empty


def test_filter_lists_quotes_prefixes_and_aliases():
    f = parse_filter('kind:decis,call area:"Dartford, Gravesham and Swanley" by:AKhan "stranded patients"')
    assert f.kinds == ("decision", "call-note")
    assert f.areas == ("dartford", "gravesham and swanley")  # a comma inside quotes still splits a list
    f = parse_filter('area:"Swale Community" k:Decision')
    assert f.areas == ("swale community",)
    assert f.kinds == ("decision",)
    assert parse_filter("by:AKhan").authors == ("akhan",)
    assert parse_filter('"stranded patients"').words == ("stranded patients",)


def test_filter_dates_today_and_on():
    f = parse_filter("on:yesterday", today=TODAY)
    assert f.date_from == f.date_to == date(2026, 11, 22)
    assert parse_filter("from:today", today=TODAY).date_from == TODAY


def test_filter_times_that_look_like_fields_are_words():
    assert parse_filter("10:30 call").words == ("10:30", "call")


@pytest.mark.parametrize(
    "text, message",
    [
        ("kind:bogus", "unknown kind"),
        ("kind:c", "could be"),
        ("from:23/11/2026", "not a date"),
        ("from:2026-11-23 to:2026-11-20", "after"),
        ("colour:red", "unknown filter field"),
        ("area:", "give a value"),
    ],
)
def test_filter_errors(text, message):
    with pytest.raises(FilterError, match=message):
        parse_filter(text)


def test_filter_matches():
    r = row(kind="decision", areas=("Swale", "Medway"), author="JSmith", text="Open beds", rationale="OPEL 3")
    assert parse_filter("kind:decision area:MEDWAY author:jsmith opel").matches(r)
    assert not parse_filter("kind:note").matches(r)
    assert not parse_filter("area:dartford").matches(r)
    assert not parse_filter("author:akhan").matches(r)
    assert not parse_filter("beds divert").matches(r)  # all words must occur
    assert parse_filter("on:2026-11-23").matches(r)
    assert not parse_filter("to:2026-11-22").matches(r)
    assert parse_filter("").matches(r) and parse_filter("").empty


def test_filter_store_args_push_down_what_the_store_can_do():
    f = parse_filter("kind:decision area:swale from:2026-11-20")
    assert f.store_args() == {"kinds": ["decision"], "areas": ["swale"], "since": datetime(2026, 11, 20, tzinfo=UTC)}
    assert f.store_complete
    assert parse_filter("area:swale,medway").store_complete  # the store selects any of several areas
    assert not parse_filter("beds").store_complete


def test_filter_describe_round_trips():
    f = parse_filter('kind:decision area:"east kent" beds from:2026-11-20')
    assert parse_filter(f.describe()) == f


# ---------------------------------------------------------------- times


@pytest.mark.parametrize(
    "text, expected",
    [
        ("+2h", NOW + timedelta(hours=2)),
        ("+30m", NOW + timedelta(minutes=30)),
        ("+1h30m", NOW + timedelta(hours=1, minutes=30)),
        ("+1d", NOW + timedelta(days=1)),
        ("-20m", NOW - timedelta(minutes=20)),
        ("+ 45 min", NOW + timedelta(minutes=45)),
        ("14:30", datetime(2026, 11, 23, 14, 30, tzinfo=UTC)),
        ("2026-11-23T15:00", datetime(2026, 11, 23, 15, 0, tzinfo=UTC)),
        ("2026-11-23T15:00+01:00", datetime(2026, 11, 23, 14, 0, tzinfo=UTC)),
    ],
)
def test_parse_when(text, expected):
    assert parse_when(text, NOW) == expected


def test_parse_when_summer_wall_time():
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert parse_when("14:30", summer) == datetime(2026, 7, 1, 13, 30, tzinfo=UTC)  # BST


@pytest.mark.parametrize("text", ["", "+", "soon", "25:00", "+2x"])
def test_parse_when_errors(text):
    with pytest.raises(WhenError):
        parse_when(text, NOW)


def test_fmt_time_today_and_other_days():
    assert fmt_time(NOW, TODAY) == "09:00"
    assert fmt_time(NOW - timedelta(days=3), TODAY) == "20 Nov 09:00"


# ---------------------------------------------------------------- decision form


def form(**kw):
    values = {"text": "Open 6 beds", "rationale": "OPEL 3 two days"}
    values.update(kw)
    return decision_fields(values, NOW)


def test_decision_fields_ok():
    out, errors = form(review_at="+2h", areas="Swale, Medway", owner=" site lead ", risk="", event_at="-10m")
    assert errors == {}
    assert out["review_at"] == NOW + timedelta(hours=2)
    assert out["areas"] == ["Swale", "Medway"]
    assert out["owner"] == "site lead"
    assert out["risk"] is None
    assert out["event_at"] == NOW - timedelta(minutes=10)


def test_decision_needs_text_and_rationale():
    _, errors = decision_fields({"text": "  ", "rationale": ""}, NOW)
    assert set(errors) == {"text", "rationale"}
    assert "rationale" in errors["rationale"]


def test_decision_review_and_event_times_checked():
    assert "review_at" in form(review_at="-1h")[1]
    assert "review_at" in form(review_at="whenever")[1]
    assert "event_at" in form(event_at="+1h")[1]
    _, errors = form(event_at="-40m")
    assert set(errors) == {"late_reason"} and "40 min" in errors["late_reason"]
    assert form(event_at="-40m", late_reason="call overran")[1] == {}
    assert form(event_at="-15m")[1] == {}  # exactly the threshold is not late


def test_decision_control_characters_refused():
    _, errors = form(text="beds \x1b[2J")
    assert "control character" in errors["text"]


def test_field_of_error():
    assert field_of_error("areas: unknown area 'Nowhere' (see `scc areas`)") == "areas"
    assert field_of_error("late_reason: say why") == "late_reason"
    assert field_of_error("corrects: no entry") is None


# ---------------------------------------------------------------- reviews


def test_reviews_due_and_reviewed():
    d1 = row(1, kind="decision", review_at=NOW - timedelta(minutes=1))
    d2 = row(2, kind="decision", review_at=NOW + timedelta(hours=1))
    d3 = row(3, kind="decision", review_at=NOW - timedelta(hours=1))
    decisions = {1: d1, 2: d2, 3: d3}
    assert [r.seq for r in reviews_due(decisions, set(), NOW)] == [3, 1]
    assert [r.seq for r in reviews_due(decisions, {3}, NOW)] == [1]
    assert [r.seq for r in reviews_due(decisions, set(), NOW + timedelta(hours=1))] == [3, 1, 2]
    # the link, never the text (issue 12 item 9): a note that merely says "Review of decision #12" is not one
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    rec = {"seq": 13, "recorded_at": now, "kind": "review", "text": review_text(12) + "done, beds open"}
    assert reviewed_seq(LogRow.from_record({**rec, "reviews_seq": 12})) == 12
    assert reviewed_seq(LogRow.from_record({**rec, "kind": "note"})) is None


def test_row_flags():
    r = row(event_at=NOW - timedelta(minutes=16))
    assert r.late
    assert not row(event_at=NOW - timedelta(minutes=15)).late
    assert row(role="Loggist").author_role == "jsmith (Loggist)"
    assert row().with_correction(7).with_correction(7).corrected_by == (7,)


def test_cells_are_fixed_width_text():
    from scc_tui.app.log.render import fit, row_cells

    widths = {"seq": 3, "time": 5, "kind": 8, "author": 9, "areas": 9, "opel": 4, "text": 20}
    cells = row_cells(row(12, text="[bold]x[/bold] " * 5, areas=("Swale",), opel=(("Swale", 4),)), widths, TODAY)
    assert all(isinstance(c, Text) for c in cells)
    assert [c.cell_len for c in cells] == [4, 6, 9, 10, 10, 5, 20]
    assert cells[0].plain == " 12 "
    assert cells[-1].plain.startswith("[bold]x[/bold]") and cells[-1].plain.endswith("…")
    assert fit(Text("abc"), 5, 2).plain == "abc    "


def test_model_is_headless():
    """The pure part imports neither Textual nor the database layer."""
    import subprocess
    import sys

    code = ("import sys, scc_tui.app.log.model; "
            "bad = [m for m in ('textual', 'sqlalchemy', 'sqlmodel') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
