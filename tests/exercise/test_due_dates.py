"""The due date a trainer types for a lesson (``domain.dates.parse_due_date``) and the lesson's checks
(``domain.exercise.check_lesson``), at their edges. "Today" is given: the clock's London date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from scc_tui.domain.clock import UTC, london_date
from scc_tui.domain.dates import DateInputError, parse_due_date
from scc_tui.domain.exercise import Lesson, check_lesson

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize("typed, due", [
    ("today", TODAY),
    ("  Today ", TODAY),
    ("TOMORROW", date(2026, 12, 3)),
    ("2026-12-02", TODAY),  # today itself is not in the past
    ("2026-12-30", date(2026, 12, 30)),
    ("30/12/2026", date(2026, 12, 30)),
    ("3/4/2027", date(2027, 4, 3)),  # day first, always: 3 April, never 4 March
    ("03/04/2027", date(2027, 4, 3)),
    ("+0d", TODAY),
    ("+7d", date(2026, 12, 9)),
    ("+30d", date(2027, 1, 1)),  # across the year end
    ("+2w", date(2026, 12, 16)),
    ("+2W", date(2026, 12, 16)),
    ("29/02/2028", date(2028, 2, 29)),  # a leap year
    ("2028-02-29", date(2028, 2, 29)),
])
def test_accepted(typed, due):
    assert parse_due_date(typed, TODAY) == due


@pytest.mark.parametrize("typed, says", [
    ("yesterday", "not a date this field reads"),
    ("2026-12-01", "01/12/2026 is in the past (today is 02/12/2026)"),
    ("01/12/2026", "is in the past"),
    ("31/02/2026", "'31/02/2026' is not a real date"),
    ("2026-02-31", "not a real date"),
    ("29/02/2027", "not a real date"),  # not a leap year
    ("2027-02-29", "not a real date"),
    ("12/30/2026", "not a real date"),  # month first is never guessed
    ("30/12/26", "ambiguous: write the year in full"),
    ("next friday", "not a date this field reads"),
    ("+7", "not a date this field reads"),
    ("+1y", "not a date this field reads"),
    ("-3d", "not a date this field reads"),
    ("2026/12/30", "not a date this field reads"),
    ("30.12.2026", "not a date this field reads"),
    ("", "is required"),
    ("   ", "is required"),
    ("+9999w", "out of range"),
    ("30/12/9999", "out of range"),
])
def test_refused_in_one_line(typed, says):
    with pytest.raises(DateInputError) as err:
        parse_due_date(typed, TODAY)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_today_is_the_london_date_the_caller_passes():
    """23:30 UTC on 31 May is already 1 June in London (BST): "today" there is 1 June."""
    late = datetime(2027, 5, 31, 23, 30, tzinfo=UTC)
    today = london_date(late)
    assert parse_due_date("today", today) == date(2027, 6, 1)
    with pytest.raises(DateInputError, match="in the past"):
        parse_due_date("2027-05-31", today)


def test_a_lesson_needs_every_field_and_each_refusal_names_its_field():
    lesson, errors = check_lesson("  Brief the 10:30 call earlier ", " SCC duty manager ", "+2w", TODAY)
    assert errors == {} and lesson == Lesson("Brief the 10:30 call earlier", "SCC duty manager", date(2026, 12, 16))
    lesson, errors = check_lesson("", " ", "31/02/2026", TODAY)
    assert lesson is None
    assert errors == {"text": "Lesson: is required (what was learnt)", "owner": "Owner: is required (who acts on it)",
                      "due": "Due date: '31/02/2026' is not a real date"}
