"""The weekly call schedule: wall-clock rules -> dated occurrences (DOMAIN.md §4, §6; docs/schedule.md).

Pure: no file I/O, no wall clock, no SQL. A :class:`Schedule` is plain data (built by
``scc_tui.datafiles.schedules``); :func:`occurrences` expands it over a window of instants.

Every occurrence is computed from its item's wall-clock rule for each Europe/London calendar date —
never by adding 24 hours or 7 days to a previous occurrence — so the clock changes cannot shift,
double or drop anything. The two awkward hours (docs/schedule.md):

* a wall time in the **missing spring hour** (01:00–01:59 on the last Sunday of March) runs at the
  first instant that exists after the gap: 02:00 BST (01:00 UTC);
* a wall time in the **repeated autumn hour** (01:00–01:59 on the last Sunday of October) runs once,
  at its first (BST) reading.

Bank holidays (England): a schedule may say that a bank holiday runs as another weekday
(``bank_holiday_runs_as = "sat"``: the weekend pattern, e.g. the 13:30 national winter call); then each
item's own policy applies: ``skip``, ``run`` or ``move:<weekday>`` (held instead on the nearest earlier
such weekday that is not itself a bank holiday, within the six days before).

Scope: a schedule serves one ICS or region (``serves``, its name in the areas file); a deadline chases
only areas under it, of the deadline's ``area_kinds`` and, if given, scored by one of its ``methods``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from scc_tui.domain.clock import LONDON, ensure_aware
from scc_tui.domain.errors import SccError

__all__ = [
    "WEEKDAYS",
    "CATEGORIES",
    "KINDS",
    "Fortnightly",
    "ScheduleItem",
    "Schedule",
    "Occurrence",
    "england_bank_holiday",
    "local_instant",
    "occurrences",
    "occurrences_on",
    "fortnight_on",
    "owing_areas",
    "in_scope",
    "check_scope",
    "ScheduleScopeError",
]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CATEGORIES: tuple[str, ...] = ("km-escalation", "km-planned", "regional-national")
KINDS: tuple[str, ...] = ("call", "deadline")

Kind = Literal["call", "deadline"]
BankHolidayLookup = Callable[[date], "str | None"]


@dataclass(frozen=True)
class Fortnightly:
    """A note that applies every other week, counted in Monday-to-Sunday weeks from ``anchor``.

    The week containing ``anchor`` is an "on" week, as is every second week before and after it.
    """

    anchor: date
    note: str  # shown in "on" weeks
    off_note: str | None = None  # shown in the other weeks (None: nothing)
    anchor_confirmed: bool = False


@dataclass(frozen=True)
class ScheduleItem:
    """One row-cell rule of the weekly grid (a call) or a submission deadline.

    ``time`` is the Europe/London wall time of the start (a call) or of the deadline. For a deadline
    with a window (``window_start``), submissions count from ``window_start`` that day; without one,
    from 00:00 London that day.
    """

    key: str
    title: str
    kind: Kind
    days: frozenset[int]  # 0 = Monday ... 6 = Sunday
    time: time
    category: str
    duration_minutes: int = 0
    attendees: tuple[str, ...] = ()
    notes: str = ""
    category_note: str = ""
    bank_holidays: str = "run"  # "skip" | "run" | "move:<weekday>"
    fortnightly: Fortnightly | None = None
    # deadlines only
    window_start: time | None = None
    applies_at_level: int | None = None  # the deadline applies to areas at this OPEL or above
    area_kinds: tuple[str, ...] = ()  # the kinds of area it chases (empty: every area passed in)
    methods: tuple[str, ...] = ()  # and only areas scored by one of these method families/ids (empty: any)
    chases_note: str = ""  # where whom it chases comes from (document and section)
    tracks: str = "assessment"  # "assessment": owed by areas without a recent submission; "none": not tracked
    # prompts
    prompt_before_minutes: int | None = None  # None: the caller's default lead

    @property
    def weekday_only(self) -> bool:
        return bool(self.days) and self.days <= {0, 1, 2, 3, 4}

    @property
    def move_to(self) -> int | None:
        if self.bank_holidays.startswith("move:"):
            return WEEKDAYS.index(self.bank_holidays.split(":", 1)[1])
        return None


@dataclass(frozen=True)
class Schedule:
    id: str
    title: str
    version: str
    effective_from: date
    effective_to: date | None
    items: tuple[ScheduleItem, ...]
    source: str = ""
    notes: str = ""
    timezone: str = "Europe/London"
    file: str | None = None
    serves: str | None = None  # the ICS or region (its name in the areas file) whose areas it chases
    bank_holiday_runs_as: int | None = None  # on an England bank holiday, run as this weekday (5 = Saturday)

    @property
    def zone(self) -> ZoneInfo:
        return LONDON if self.timezone == "Europe/London" else ZoneInfo(self.timezone)

    def item(self, key: str) -> ScheduleItem:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)

    def in_force(self, day: date) -> bool:
        return day >= self.effective_from and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class Occurrence:
    """One dated instance of a schedule item. ``start``/``end`` are aware UTC datetimes.

    For a call, ``start`` is when it begins and ``end`` = start + duration. For a deadline, ``end`` is
    the deadline ("by") and ``start`` the opening of its window (equal to ``end`` when it has none).
    ``start`` is the occurrence's identity in stored prompt records (``occurrence_at``).
    """

    item_key: str
    title: str
    start: datetime
    end: datetime
    category: str
    kind: Kind
    notes: str
    attendees: tuple[str, ...]
    why: str
    local_date: date
    schedule_id: str = ""
    schedule_version: str = ""
    moved_from: date | None = None
    fortnight_on: bool | None = None
    # deadlines
    applies_at_level: int | None = None
    area_kinds: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    serves: str | None = None
    tracks: str = "assessment"
    submissions_from: datetime | None = None  # a submission at or after this counts for the deadline
    prompt_before_minutes: int | None = None

    @property
    def occurrence_at(self) -> datetime:
        return self.start

    @property
    def due_by(self) -> datetime:
        """The deadline (deadlines) or the start (calls)."""
        return self.end if self.kind == "deadline" else self.start

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(LONDON)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(LONDON)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.item_key,
            "kind": self.kind,
            "title": self.title,
            "start": self.local_start.isoformat(),
            "end": self.local_end.isoformat(),
            "category": self.category,
            "notes": self.notes,
            "attendees": list(self.attendees),
            "why": self.why,
            "local_date": self.local_date.isoformat(),
            "schedule": self.schedule_id,
            "schedule_version": self.schedule_version,
            "moved_from": self.moved_from.isoformat() if self.moved_from else None,
            "applies_at_level": self.applies_at_level,
            "chases": (
                {"serves": self.serves, "area_kinds": list(self.area_kinds), "methods": list(self.methods)}
                if self.kind == "deadline" and self.tracks != "none"
                else None
            ),
        }


# ---------------------------------------------------------------------------------------------
# Bank holidays and wall-clock instants


@lru_cache(maxsize=64)
def _england_year(year: int) -> dict[date, str]:
    import holidays

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=[year]).items())


def england_bank_holiday(day: date) -> str | None:
    """The name of the England bank holiday on ``day`` (incl. substitute days), else None."""
    return _england_year(day.year).get(day)


def local_instant(day: date, wall: time, zone: ZoneInfo = LONDON) -> tuple[datetime, str | None]:
    """The UTC instant of wall time ``wall`` on ``day`` in ``zone``, and a note if it was adjusted.

    * In a gap (spring forward): the first instant after the gap (the transition itself).
    * In a fold (autumn back): the first reading (fold=0, summer time).
    """
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=zone, fold=0)
    u0 = first.astimezone(UTC)
    if u0.astimezone(zone).replace(tzinfo=None) == naive:
        second = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
        if second != u0:
            return u0, f"{wall:%H:%M} occurs twice on {day:%a %d %b %Y} (clocks go back); the first ({first:%Z}) is used"
        return u0, None
    # The wall time does not exist. fold=1 reads it with the offset after the change, which lands
    # before the transition; the transition T is the first minute whose wall time is >= naive.
    u1 = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    lo, hi = min(u0, u1), max(u0, u1)
    t = lo.replace(second=0, microsecond=0)
    while t < hi and t.astimezone(zone).replace(tzinfo=None) < naive:
        t += timedelta(minutes=1)
    local = t.astimezone(zone)
    return t, (
        f"{wall:%H:%M} does not exist on {day:%a %d %b %Y} (clocks go forward); "
        f"held at {local:%H:%M %Z}, the first time after the change"
    )


def fortnight_on(f: Fortnightly, day: date) -> bool:
    """True if ``day`` falls in an "on" week of the fortnightly rule (Monday-based weeks)."""
    week0 = f.anchor - timedelta(days=f.anchor.weekday())
    week = day - timedelta(days=day.weekday())
    return ((week - week0).days // 7) % 2 == 0


def _days_text(days: frozenset[int]) -> str:
    if days == frozenset(range(7)):
        return "every day"
    if days == frozenset(range(5)):
        return "Mon-Fri"
    if days == frozenset({5, 6}):
        return "Sat-Sun"
    return ", ".join(WEEKDAYS[d].capitalize() for d in sorted(days))


# ---------------------------------------------------------------------------------------------
# Expansion


def _dates_for_item(
    item: ScheduleItem, day: date, bank_holiday: BankHolidayLookup, runs_as: int | None = None
) -> list[tuple[date | None, str]]:
    """Whether ``item`` happens on London date ``day``: [(moved_from or None, reason)], or [].

    On a bank holiday with ``runs_as`` (the schedule's ``bank_holiday_runs_as``), the day runs as that
    weekday: an item held on that weekday is held (unless its own policy is ``skip``); an item for the
    day's own weekday only is held if its policy is ``run`` (``skip``: not held; ``move``: moved).
    """
    out: list[tuple[date | None, str]] = []
    bh = bank_holiday(day)
    as_day = runs_as if (bh is not None and runs_as is not None) else None
    if as_day is not None and as_day in item.days and item.bank_holidays != "skip":
        reason = _held_text(item) + f"; {bh} is a bank holiday, run as a {_FULL_NAMES[as_day]} (bank_holiday_runs_as)"
        out.append((None, reason))
    elif day.weekday() in item.days:
        if bh is None or item.bank_holidays == "run":
            reason = _held_text(item)
            if bh is not None:
                reason += f"; runs on bank holidays ({bh})"
            out.append((None, reason))
        # skip / move: not held today
    move = item.move_to
    if move is not None and day.weekday() == move and bh is None:
        # Held here instead of a bank holiday later this week on one of the item's days, if this is
        # the nearest earlier non-holiday <move> day before it.
        for ahead in range(1, 7):
            target = day + timedelta(days=ahead)
            tbh = bank_holiday(target)
            if target.weekday() in item.days and tbh is not None:
                if day.weekday() in item.days:
                    break  # already held today by its own rule: never doubled
                out.append((target, f"moved from {target:%a %d %b} ({tbh}): bank_holidays = {item.bank_holidays}"))
                break
    return out


_FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _held_text(item: ScheduleItem) -> str:
    if item.kind == "deadline":
        reason = f"{_days_text(item.days)} by {item.time:%H:%M}"
        if item.window_start is not None:
            reason += f" (window from {item.window_start:%H:%M})"
        return reason
    return f"{_days_text(item.days)} at {item.time:%H:%M}"


def occurrences_on(
    schedule: Schedule,
    day: date,
    *,
    bank_holiday: BankHolidayLookup | None = None,
) -> list[Occurrence]:
    """Every occurrence whose local date is ``day`` (ignores the validity window)."""
    bank_holiday = bank_holiday or england_bank_holiday
    zone = schedule.zone
    out: list[Occurrence] = []
    for item in schedule.items:
        for moved_from, reason in _dates_for_item(item, day, bank_holiday, schedule.bank_holiday_runs_as):
            at, adjust = local_instant(day, item.time, zone)
            notes = item.notes
            on: bool | None = None
            why = f"{item.title}: {reason} {zone.key} (schedule {schedule.id} v{schedule.version})"
            if adjust:
                why += f"; {adjust}"
            if item.fortnightly is not None:
                on = fortnight_on(item.fortnightly, day)
                extra = item.fortnightly.note if on else item.fortnightly.off_note
                if extra:
                    notes = f"{notes} {extra}".strip() if notes else extra
                why += f"; fortnight {'on' if on else 'off'} week (anchor week of {item.fortnightly.anchor:%d %b %Y})"
            submissions_from: datetime | None = None
            if item.kind == "deadline":
                end = at
                if item.window_start is not None:
                    start, _ = local_instant(day, item.window_start, zone)
                    submissions_from = start
                else:
                    start = at
                    submissions_from, _ = local_instant(day, time(0, 0), zone)
                if item.applies_at_level:
                    why += f"; applies to areas at OPEL {item.applies_at_level} or above"
            else:
                start = at
                end = at + timedelta(minutes=item.duration_minutes)  # elapsed minutes
            out.append(
                Occurrence(
                    item_key=item.key,
                    title=item.title,
                    start=start,
                    end=end,
                    category=item.category,
                    kind=item.kind,
                    notes=notes,
                    attendees=item.attendees,
                    why=why,
                    local_date=day,
                    schedule_id=schedule.id,
                    schedule_version=schedule.version,
                    moved_from=moved_from,
                    fortnight_on=on,
                    applies_at_level=item.applies_at_level,
                    area_kinds=item.area_kinds,
                    methods=item.methods,
                    serves=schedule.serves,
                    tracks=item.tracks,
                    submissions_from=submissions_from,
                    prompt_before_minutes=item.prompt_before_minutes,
                )
            )
    out.sort(key=_sort_key)
    return out


def _sort_key(o: Occurrence) -> tuple:
    return (o.start, o.end, o.kind, o.item_key)


def occurrences(
    schedule: Schedule,
    start: datetime,
    end: datetime,
    *,
    kind: str = "all",
    ignore_validity: bool = False,
    bank_holiday: BankHolidayLookup | None = None,
) -> list[Occurrence]:
    """Occurrences with ``start <= occurrence.start < end``, sorted by start.

    ``start``/``end`` must be aware. Only dates inside the schedule's validity window
    (``effective_from``..``effective_to``) are expanded unless ``ignore_validity``.
    ``kind``: "call", "deadline" or "all". ``bank_holiday`` (date -> name or None) defaults to
    England's bank holidays.
    """
    start = ensure_aware(start).astimezone(UTC)
    end = ensure_aware(end).astimezone(UTC)
    if end <= start:
        return []
    if kind not in ("all", *KINDS):
        raise ValueError(f"kind must be call, deadline or all, not {kind!r}")
    zone = schedule.zone
    # One London day either side: an item's local date and its UTC instant can differ by a day.
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    out: list[Occurrence] = []
    while day <= last:
        if ignore_validity or schedule.in_force(day):
            for occ in occurrences_on(schedule, day, bank_holiday=bank_holiday):
                if start <= occ.start < end and (kind == "all" or occ.kind == kind):
                    out.append(occ)
        day += timedelta(days=1)
    out.sort(key=_sort_key)
    return out


# ---------------------------------------------------------------------------------------------
# Deadlines: who still owes a submission


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


class ScheduleScopeError(SccError):
    """The schedule serves an ICS or region that is not among the areas (a clear error, never an
    empty list that reads as "nobody owes")."""


def check_scope(serves: str | None, statuses: Sequence[Any], schedule_id: str = "") -> Any:
    """The status of the area a schedule ``serves`` (an ICS or region), or ``None`` when it serves
    no particular area or there are no areas at all. Raises :class:`ScheduleScopeError` naming the
    problem if it is not among ``statuses`` or is not an ICS or region."""
    if not serves or not statuses:
        return None
    want = serves.strip().casefold()
    roots = [s for s in statuses if str(_get(s, "name", "")).strip().casefold() == want]
    if not roots:
        raise ScheduleScopeError(
            f"schedule {schedule_id or '?'} serves {serves!r}, which is not an area here "
            "(check `serves` in the schedule file against `scc areas list`)"
        )
    root = roots[0]
    if _get(root, "kind") not in (None, "ics", "region"):
        raise ScheduleScopeError(
            f"schedule {schedule_id or '?'} serves {serves!r}, a {_get(root, 'kind')}: a schedule serves an ICS or a region"
        )
    return root


def _family(method: str) -> str | None:
    from scc_tui.domain.scoring import method_family

    return method_family(method)


def in_scope(
    occurrence: Occurrence,
    statuses: Sequence[Any],
    *,
    family_of: Callable[[str], str | None] | None = None,
) -> list[Any]:
    """The statuses a deadline chases, in input order: under the schedule's ``serves`` area (itself
    or a descendant, by ``area_id``/``parent_id``), of one of the deadline's ``area_kinds``, and, if
    it names ``methods``, scored by one of them (a method id counts as its family, via ``family_of``).

    Raises :class:`ScheduleScopeError` if the schedule serves an area that is not among ``statuses``
    (or is not an ICS or region), unless ``statuses`` is empty.
    """
    statuses = list(statuses)
    if occurrence.serves and statuses:
        root = check_scope(occurrence.serves, statuses, occurrence.schedule_id)
        parent = {_get(s, "area_id"): _get(s, "parent_id") for s in statuses}
        root_id = _get(root, "area_id")

        def under(s: Any) -> bool:
            node, seen = _get(s, "area_id"), set()
            while node is not None and node not in seen:
                if node == root_id:
                    return True
                seen.add(node)
                node = parent.get(node)
            return False

        statuses = [s for s in statuses if under(s)]
    if occurrence.area_kinds:
        statuses = [s for s in statuses if _get(s, "kind") in occurrence.area_kinds]
    if occurrence.methods:
        family = family_of or _family
        wanted = set(occurrence.methods)

        def scored_by(s: Any) -> bool:
            m = _get(s, "method")
            if not m:
                return False
            m = str(m).strip().lower()
            return m in wanted or family(m) in wanted

        statuses = [s for s in statuses if scored_by(s)]
    return statuses


def owing_areas(
    occurrence: Occurrence,
    statuses: Iterable[Any],
    *,
    submissions_since: datetime | None = None,
    family_of: Callable[[str], str | None] | None = None,
) -> list[str]:
    """Names of the areas that still owe a submission for a deadline occurrence, in input order.

    ``statuses`` are plain objects or mappings with ``name``, ``level`` (OPEL in force or None),
    ``last_update`` (aware datetime of the latest assessment/declaration, or None) and ``area_id``,
    ``parent_id``, ``kind`` and ``method`` (e.g. ``AreaStatus`` from ``scc_tui.store.queries``). An area
    is in scope as :func:`in_scope` says and, for a level-conditional deadline, if its level is at least
    ``applies_at_level``. It owes if it has no submission at or after ``submissions_since`` (default:
    the occurrence's window start, or 00:00 London that day). A deadline with ``tracks = "none"``
    (e.g. weekend plans uploaded to SHREWD) owes nothing here.
    """
    if occurrence.kind != "deadline" or occurrence.tracks == "none":
        return []
    since = submissions_since or occurrence.submissions_from or occurrence.start
    owing: list[str] = []
    for s in in_scope(occurrence, list(statuses), family_of=family_of):
        level = _get(s, "level")
        if occurrence.applies_at_level and (level is None or int(level) < occurrence.applies_at_level):
            continue
        last = _get(s, "last_update")
        if last is None or ensure_aware(last) < since:
            owing.append(str(_get(s, "name")))
    return owing
