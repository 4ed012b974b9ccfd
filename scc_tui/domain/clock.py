"""The one clock.

Every module that needs "now" takes a :class:`Clock`. :class:`SystemClock` is the only place in the
code base that reads the wall clock. Tests use :class:`FixedClock`; exercises use
:class:`SimulatedClock` (an accelerated clock that starts at a scenario time).

All instants are timezone-aware. Internally we keep UTC; :data:`LONDON` is for display and for
wall-clock rules (schedules, "the calendar day" of an escalation run).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Callable, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

__all__ = [
    "LONDON",
    "UTC",
    "Clock",
    "SystemClock",
    "FixedClock",
    "SimulatedClock",
    "ensure_aware",
    "london_date",
    "parse_instant",
]


@runtime_checkable
class Clock(Protocol):
    """Something that tells the time. ``now()`` is always timezone-aware (UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock. The only reader of the system time in scc-tui."""

    exercise = False

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return "SystemClock()"


@dataclass
class FixedClock:
    """A clock that only moves when told to (tests, ``--at``)."""

    at: datetime
    exercise: bool = False

    def __post_init__(self) -> None:
        self.at = ensure_aware(self.at).astimezone(UTC)

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = ensure_aware(at).astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        self.at = self.at + delta
        return self.at


@dataclass
class SimulatedClock:
    """An exercise clock: starts at ``start`` and runs ``speed`` times faster than real time.

    ``monotonic`` is injectable so that tests can drive it without sleeping. The simulated time can
    be paused, resumed and jumped, as an exercise controller does.
    """

    start: datetime
    speed: float = 1.0
    monotonic: Callable[[], float] = field(default=time.monotonic, repr=False)
    exercise: bool = True
    _origin: float = field(init=False, repr=False)
    _base: datetime = field(init=False, repr=False)
    _paused: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        self._base = ensure_aware(self.start).astimezone(UTC)
        self._origin = self.monotonic()

    def now(self) -> datetime:
        if self._paused:
            return self._base
        return self._base + timedelta(seconds=(self.monotonic() - self._origin) * self.speed)

    def pause(self) -> None:
        self._base = self.now()
        self._paused = True

    def resume(self) -> None:
        self._origin = self.monotonic()
        self._paused = False

    def jump(self, to: datetime) -> None:
        self._base = ensure_aware(to).astimezone(UTC)
        self._origin = self.monotonic()

    def set_speed(self, speed: float) -> None:
        """Change the tempo from now on (the simulated time does not move)."""
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.jump(self.now())
        self.speed = speed

    @property
    def paused(self) -> bool:
        return self._paused


def ensure_aware(dt: datetime) -> datetime:
    """Reject naive datetimes: an instant without an offset is ambiguous around clock changes."""
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        raise ValueError(f"naive datetime {dt.isoformat()} has no timezone; give an offset (e.g. +00:00)")
    return dt


def london_date(instant: datetime) -> date:
    """The Europe/London calendar date of an instant (what "Day N" and "today" count in)."""
    return ensure_aware(instant).astimezone(LONDON).date()


#: Dates a user may give (inclusive years): wide enough for any SCC record, narrow enough that adding a day
#: or a week, or converting between zones, can never overflow (``--at 0001-01-01``, ``--to 9999-12-31``).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2099


def check_year(year: int, text: object = None) -> None:
    """ValueError unless ``year`` is within :data:`EARLIEST_YEAR`..:data:`LATEST_YEAR`."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        what = f"{text!s}: " if text is not None else ""
        raise ValueError(f"{what}out of range (dates from {EARLIEST_YEAR} to {LATEST_YEAR} are accepted)")


def parse_instant(text: str, *, default_tz: ZoneInfo = LONDON) -> datetime:
    """Parse an ISO date or date-time given by a user.

    A bare date means 00:00 Europe/London that day. A naive date-time is read as Europe/London wall
    time (what a user in an SCC means); in the repeated autumn hour the first (BST) reading is taken,
    and a time in the skipped spring hour is rejected. Returns an aware UTC datetime.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty date/time")
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            naive = datetime(d.year, d.month, d.day)
        else:
            naive = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO date or date-time: {text!r} (e.g. 2026-11-23 or 2026-11-23T09:30)") from None
    check_year(naive.year, text)
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    local = naive.replace(tzinfo=default_tz, fold=0)
    # Round-trip to detect a wall time that does not exist (the spring-forward gap).
    back = local.astimezone(UTC).astimezone(default_tz)
    if back.replace(tzinfo=None) != naive:
        raise ValueError(f"{text} does not exist in {default_tz.key} (clocks go forward then)")
    return local.astimezone(UTC)
