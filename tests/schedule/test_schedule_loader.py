"""Schedule files are validated on load; errors name the file, the item, the field and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scc_tui.datafiles.schedules import default_schedule_path, load_schedule
from scc_tui.domain.errors import DataFileError
from scc_tui.settings import Settings

HEADER = """[schedule]
id = "test"
title = "Test schedule"
version = "1"
effective_from = 2026-11-02
effective_to = 2027-03-31
serves = "Test ICS"

"""

GOOD = """[[items]]
key = "secamb-call"
title = "NHSE/I SECAmb call"
days = "daily"
time = "08:30"
duration_minutes = 30
category = "regional-national"

"""


def item(**fields) -> str:
    base = {
        "key": '"km-exec-call"',
        "title": '"K&M exec call"',
        "days": '"weekdays"',
        "time": '"16:00"',
        "duration_minutes": "30",
        "category": '"km-escalation"',
    }
    base.update(fields)
    body = "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)
    return "[[items]]\n" + body + "\n"


def load_text(tmp_path: Path, text: str):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    return p, load_schedule(p)


def error_for(tmp_path: Path, text: str) -> DataFileError:
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(DataFileError) as ei:
        load_schedule(p)
    return ei.value


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    n = 0
    for i, ln in enumerate(text.splitlines(), 1):
        if needle in ln:
            n += 1
            if n == occurrence:
                return i
    raise AssertionError(needle)


def test_shipped_schedule_loads():
    s = load_schedule(default_schedule_path(Settings()))
    assert s.id == "kent-medway-winter" and s.version and s.effective_from.year == 2026
    assert len({i.key for i in s.items}) == len(s.items)
    assert s.source.startswith("Kent and Medway STP Winter Approach")


def test_good_file_loads(tmp_path):
    _, s = load_text(tmp_path, HEADER + GOOD + item())
    assert [i.key for i in s.items] == ["secamb-call", "km-exec-call"]
    assert s.items[1].bank_holidays == "skip"  # weekday-only default
    assert s.items[0].bank_holidays == "run"  # daily default


def test_bad_time(tmp_path):
    text = HEADER + GOOD + item(time='"25:00"')
    e = error_for(tmp_path, text)
    assert e.file.endswith("bad.toml")
    assert e.field == "items[1].time"
    assert "'km-exec-call'" in e.message and "25:00" in e.message
    assert e.line == line_of(text, '"25:00"')
    assert str(e).startswith(f"{e.file}:{e.line}:")


def test_unknown_weekday(tmp_path):
    text = HEADER + GOOD + item(days='["mon", "tues", "fri"]')
    e = error_for(tmp_path, text)
    assert e.field == "items[1].days"
    assert "unknown weekday 'tues'" in e.message and "'km-exec-call'" in e.message
    assert e.line == line_of(text, '"tues"')


def test_full_weekday_names_accepted(tmp_path):
    _, s = load_text(tmp_path, HEADER + item(days='["Monday", "thu"]'))
    assert s.items[0].days == frozenset({0, 3})


def test_unknown_category(tmp_path):
    text = HEADER + GOOD + item(category='"km-urgent"')
    e = error_for(tmp_path, text)
    assert e.field == "items[1].category"
    assert "unknown category 'km-urgent'" in e.message
    assert e.line == line_of(text, '"km-urgent"')


def test_missing_title(tmp_path):
    text = HEADER + GOOD + item(title=None)
    e = error_for(tmp_path, text)
    assert e.field == "items[1].title"
    assert "is required" in e.message and "'km-exec-call'" in e.message
    assert e.line == line_of(text, "[[items]]", 2)  # the item's table header


def test_missing_key_names_item_by_index(tmp_path):
    text = HEADER + GOOD + item(key=None)
    e = error_for(tmp_path, text)
    assert e.field == "items[1].key" and "item #2" in e.message


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"bank_holidays": '"sometimes"'}, "items[0]", "bank-holiday policy"),
        ({"bank_holidays": '"move:mon"'}, "items[0]", "own days"),
        ({"colour": '"red"'}, "items[0].colour", "not a known field"),
        ({"duration_minutes": "-5"}, "items[0].duration_minutes", "greater than or equal"),
        ({"window_start": '"14:00"'}, "items[0]", "deadlines only"),
        ({"kind": '"meeting"'}, "items[0].kind", "call"),
    ],
)
def test_other_item_errors(tmp_path, fields, field, words):
    e = error_for(tmp_path, HEADER + item(**fields))
    assert e.field.startswith(field) and words in str(e)


def test_deadline_window_must_precede_deadline(tmp_path):
    text = HEADER + item(kind='"deadline"', duration_minutes=None, window_start='"16:30"', area_kinds='["provider"]')
    e = error_for(tmp_path, text)
    assert "window_start must be before time" in e.message


DEADLINE = dict(kind='"deadline"', duration_minutes=None, key='"opel-submission"')


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({}, "a tracked deadline names whom it chases: give area_kinds"),
        ({"area_kinds": '["provider", "trust"]'}, "unknown area kind 'trust'"),
        ({"area_kinds": '["provider", "provider"]'}, "an area kind is given twice"),
        ({"area_kinds": '["la-area"]', "methods": '["kcc-asc-2099"]'}, "unknown method 'kcc-asc-2099'"),
    ],
)
def test_deadline_says_whom_it_chases(tmp_path, fields, says):
    """Issue 9 item 11: whom a deadline chases is checked data (kinds from the areas file's kinds,
    methods from the scoring plans)."""
    text = HEADER + item(**DEADLINE, **fields)
    e = error_for(tmp_path, text)
    assert says in e.message and "opel-submission" in e.message, e
    assert e.line is not None and e.line >= text.splitlines().index("[[items]]") + 1


def test_deadline_scope_loads(tmp_path):
    text = HEADER + item(**DEADLINE, area_kinds='["la-area"]', methods='["kcc-asc", "KCC-ASC-2025"]')
    _, s = load_text(tmp_path, text)
    assert s.serves == "Test ICS"
    assert (s.items[0].area_kinds, s.items[0].methods) == (("la-area",), ("kcc-asc", "kcc-asc-2025"))
    # A call has no chase list.
    e = error_for(tmp_path, HEADER + item(area_kinds='["provider"]'))
    assert "area_kinds is for deadlines only" in e.message


def test_schedule_names_whom_it_serves(tmp_path):
    e = error_for(tmp_path, HEADER.replace('serves = "Test ICS"\n', "") + item())
    assert e.field == "schedule.serves" and "is required" in e.message
    e = error_for(tmp_path, HEADER.replace('serves = "Test ICS"\n', 'serves = ""\n') + item())
    assert e.field == "schedule.serves"


@pytest.mark.parametrize(("value", "day"), [('"sat"', 5), ('"Saturday"', 5), ('"sun"', 6)])
def test_bank_holiday_runs_as(tmp_path, value, day):
    _, s = load_text(tmp_path, HEADER.replace("serves =", f"bank_holiday_runs_as = {value}\nserves =") + item())
    assert s.bank_holiday_runs_as == day


def test_bank_holiday_runs_as_must_be_a_weekday(tmp_path):
    e = error_for(tmp_path, HEADER.replace("serves =", 'bank_holiday_runs_as = "holiday"\nserves =') + item())
    assert e.field == "schedule.bank_holiday_runs_as" and "not a weekday" in e.message


def test_duplicate_keys_and_header_errors(tmp_path):
    e = error_for(tmp_path, HEADER + item() + item())
    assert "duplicate item key 'km-exec-call'" in str(e)
    bad_header = HEADER.replace("effective_to = 2027-03-31", "effective_to = 2026-01-01")
    e = error_for(tmp_path, bad_header + item())
    assert "effective_to is before effective_from" in str(e)
    e = error_for(tmp_path, HEADER.replace('version = "1"\n', "") + item())
    assert e.field == "schedule.version" and e.line == 1


def test_not_toml_and_missing_file(tmp_path):
    e = error_for(tmp_path, HEADER + "[[items]\nkey = 1\n")
    assert "not valid TOML" in e.message and e.line == 9
    with pytest.raises(DataFileError, match="no such schedule file"):
        load_schedule(tmp_path / "nope.toml")


def test_env_overrides_default_path(tmp_path):
    assert default_schedule_path(Settings.from_environ({"SCC_SCHEDULE": str(tmp_path / "x.toml")})) == tmp_path / "x.toml"
