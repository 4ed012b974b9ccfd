"""Calendar dates as a person types them (pure: ``today`` is given, never read from a clock).

:func:`parse_due_date` reads a due date typed into a form — a lesson's at the hot debrief:

* ISO ``2026-12-30``; UK ``30/12/2026`` (day first, always: this is an English NHS tool, and a date is
  never guessed to be month first);
* ``today``, ``tomorrow``;
* ``+7d`` (days from today), ``+2w`` (weeks).

Refused, each with one line (:class:`DateInputError`): a date before ``today``; a date that does not exist
(``31/02/2026``, ``29/02/2027``); a two-digit year (``30/12/26``: which century is a guess) and anything
else not in the forms above. The caller passes the Europe/London date of its injected clock as ``today``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from scc_tui.domain.clock import check_year

__all__ = ["DateInputError", "FORMS", "parse_due_date"]

#: The forms accepted, as a hint line says them.
FORMS = "2026-12-30, 30/12/2026, today, tomorrow, +7d or +2w"

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_UK_SHORT_YEAR = re.compile(r"^\d{1,2}/\d{1,2}/\d{2}$")
_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*([dw])$")


class DateInputError(ValueError):
    """A typed date that is not accepted: the message is one line, without the field's name (the form
    names its field)."""


def _real(year: int, month: int, day: int, typed: str) -> date:
    try:
        check_year(year)
    except ValueError as exc:
        raise DateInputError(f"{typed!r}: {exc}") from None
    try:
        return date(year, month, day)
    except ValueError:
        raise DateInputError(f"{typed!r} is not a real date") from None


def parse_due_date(text: str, today: date) -> date:
    """The date ``text`` means, on or after ``today`` (see the module doc); :class:`DateInputError` otherwise."""
    typed = (text or "").strip()
    t = typed.casefold()
    if not t:
        raise DateInputError(f"is required ({FORMS})")
    if t == "today":
        due = today
    elif t == "tomorrow":
        due = today + timedelta(days=1)
    elif m := _RELATIVE.match(t):
        n, unit = int(m.group(1)), m.group(2)
        due = today + timedelta(days=n * (7 if unit == "w" else 1))
        try:
            check_year(due.year)
        except ValueError as exc:
            raise DateInputError(f"{typed!r}: {exc}") from None
    elif m := _ISO.match(t):
        due = _real(int(m.group(1)), int(m.group(2)), int(m.group(3)), typed)
    elif m := _UK.match(t):
        due = _real(int(m.group(3)), int(m.group(2)), int(m.group(1)), typed)
    elif _UK_SHORT_YEAR.match(t):
        raise DateInputError(f"{typed!r} is ambiguous: write the year in full, e.g. 30/12/2026")
    else:
        raise DateInputError(f"{typed!r} is not a date this field reads ({FORMS})")
    if due < today:
        raise DateInputError(f"{due:%d/%m/%Y} is in the past (today is {today:%d/%m/%Y})")
    return due
