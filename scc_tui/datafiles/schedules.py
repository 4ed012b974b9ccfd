"""Load and validate a call schedule TOML file (``schedules/*.toml``) into a domain ``Schedule``.

Errors are :class:`~scc_tui.domain.errors.DataFileError` naming the file, the item (index and key),
the field and the line, e.g.::

    schedules/x.toml:41: field 'items[3].time' item 'km-exec-call': '25:00' is not a time (HH:MM, 00:00-23:59)

The file format is described in docs/schedule.md.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scc_tui.datafiles.base import check_strings
from scc_tui.domain.errors import DataFileError, find_line
from scc_tui.domain.schedule import CATEGORIES, WEEKDAYS, Fortnightly, Schedule, ScheduleItem
from scc_tui.settings import Settings, current

__all__ = ["load_schedule", "parse_schedule", "default_schedule_path", "schedules_dir", "DEFAULT_SCHEDULE"]

DEFAULT_SCHEDULE = "kent-medway-winter.toml"

_DAY_SETS = {
    "daily": WEEKDAYS,
    "every day": WEEKDAYS,
    "weekdays": WEEKDAYS[:5],
    "weekends": WEEKDAYS[5:],
}
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _parse_time(v: Any) -> time:
    if isinstance(v, time):
        return v.replace(second=0, microsecond=0)
    if not isinstance(v, str) or not _TIME.match(v.strip()):
        raise ValueError(f"{v!r} is not a time (HH:MM, 00:00-23:59)")
    h, m = v.strip().split(":")
    return time(int(h), int(m))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Fortnightly(_Strict):
    anchor: date
    note: str = Field(min_length=1)
    off_note: str | None = None
    anchor_confirmed: bool = False


class _Item(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)
    kind: Literal["call", "deadline"] = "call"
    title: str = Field(min_length=1, max_length=300)
    days: list[str] | str
    time: str
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    category: str
    category_note: str = ""
    attendees: list[str] = []
    notes: str = ""
    bank_holidays: str | None = None
    fortnightly: _Fortnightly | None = None
    window_start: str | None = None
    applies_at_level: int | None = Field(default=None, ge=1, le=4)
    area_kinds: list[str] = []
    methods: list[str] = []
    chases_note: str = ""
    tracks: Literal["assessment", "none"] = "assessment"
    prompt_before_minutes: int | None = Field(default=None, ge=0, le=24 * 60)

    @field_validator("days")
    @classmethod
    def _days(cls, v: list[str] | str) -> list[str]:
        if isinstance(v, str):
            key = v.strip().lower()
            if key in _DAY_SETS:
                return list(_DAY_SETS[key])
            v = [v]
        out: list[str] = []
        for d in v:
            name = str(d).strip().lower()[:3]
            if str(d).strip().lower() not in (name, _FULL.get(name)) or name not in WEEKDAYS:
                raise ValueError(
                    f"unknown weekday {d!r}: use mon, tue, wed, thu, fri, sat, sun (or daily, weekdays, weekends)"
                )
            if name in out:
                raise ValueError(f"weekday {name!r} given twice")
            out.append(name)
        if not out:
            raise ValueError("no days given")
        return out

    @field_validator("time", "window_start")
    @classmethod
    def _time(cls, v: str | None) -> str | None:
        if v is None:
            return v
        _parse_time(v)
        return v.strip()

    @field_validator("area_kinds")
    @classmethod
    def _area_kinds(cls, v: list[str]) -> list[str]:
        from scc_tui.datafiles.areas import KINDS

        for kind in v:
            if kind not in KINDS:
                raise ValueError(f"unknown area kind {kind!r}: one of {', '.join(KINDS)}")
        if len(set(v)) != len(v):
            raise ValueError("an area kind is given twice")
        return v

    @field_validator("methods")
    @classmethod
    def _methods(cls, v: list[str]) -> list[str]:
        return [m.strip().lower() for m in v]

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v not in CATEGORIES:
            raise ValueError(f"unknown category {v!r}: one of {', '.join(CATEGORIES)}")
        return v

    @field_validator("bank_holidays")
    @classmethod
    def _bank_holidays(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = v.strip().lower()
        if v in ("skip", "run"):
            return v
        if v.startswith("move:") and v[5:] in WEEKDAYS:
            return v
        raise ValueError(f"{v!r} is not a bank-holiday policy: skip, run or move:<mon..sun>")

    @model_validator(mode="after")
    def _kind_fields(self) -> "_Item":
        if self.kind == "call":
            for name in ("window_start", "applies_at_level"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name} is for deadlines only (kind = \"deadline\")")
            if self.area_kinds or self.methods:
                raise ValueError(f"{'area_kinds' if self.area_kinds else 'methods'} is for deadlines only (kind = \"deadline\")")
        else:
            if self.tracks == "assessment" and not self.area_kinds:
                # Whom a deadline chases is data: never "every area" by default.
                raise ValueError("a tracked deadline names whom it chases: give area_kinds (or tracks = \"none\")")
            if self.duration_minutes:
                raise ValueError("a deadline has no duration_minutes; give window_start for a window")
            if self.window_start is not None and _parse_time(self.window_start) >= _parse_time(self.time):
                raise ValueError("window_start must be before time (the deadline)")
        if self.bank_holidays and self.bank_holidays.startswith("move:"):
            if self.bank_holidays[5:] in self.days:
                raise ValueError(f"bank_holidays = {self.bank_holidays!r} moves to one of the item's own days")
        return self


_FULL = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}


class _Header(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    effective_from: date
    effective_to: date | None = None
    timezone: Literal["Europe/London"] = "Europe/London"
    source: str = ""
    notes: str = ""
    serves: str = Field(min_length=1, max_length=200)
    bank_holiday_runs_as: str | None = None

    @field_validator("bank_holiday_runs_as")
    @classmethod
    def _runs_as(cls, v: str | None) -> str | None:
        if v is None:
            return v
        name = v.strip().lower()[:3]
        if name not in WEEKDAYS or v.strip().lower() not in (name, _FULL.get(name)):
            raise ValueError(f"{v!r} is not a weekday (mon..sun): the day of the week a bank holiday runs as")
        return name

    @model_validator(mode="after")
    def _window(self) -> "_Header":
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


class _File(_Strict):
    schedule: _Header
    items: list[_Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> "_File":
        seen: set[str] = set()
        for it in self.items:
            if it.key in seen:
                raise ValueError(f"duplicate item key {it.key!r}")
            seen.add(it.key)
        return self


# ---------------------------------------------------------------------------------------------


def _item_line(text: str, index: int, field: str | None) -> int | None:
    """Line of ``field`` inside the ``index``-th ``[[items]]`` table (or of its header)."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\[\s*items\s*\]\]")
    table = re.compile(r"^\s*\[")
    starts = [i for i, ln in enumerate(lines) if header.match(ln)]
    if index >= len(starts):
        return find_line(text, f"items.{field}" if field else "items")
    begin = starts[index]
    end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    if field:
        pat = re.compile(rf"^\s*\"?{re.escape(field)}\"?\s*=|^\s*\[\s*items\.{re.escape(field)}\s*\]")
        for i in range(begin, end):
            if pat.search(lines[i]):
                return i + 1
            if i > begin and table.match(lines[i]) and not lines[i].strip().startswith("[items."):
                break
    return begin + 1


def _line_of(text: str, dotted: str) -> int | None:
    """Line of a field path such as ``items[3].title`` (items are found by position) or ``schedule.notes``."""
    m = re.match(r"^items\[(\d+)\](?:\.([^.\[]+))?", dotted)
    if m:
        return _item_line(text, int(m.group(1)), m.group(2))
    return find_line(text, dotted)


def _raise_validation(path: str, text: str, raw: dict[str, Any], err: ValidationError) -> None:
    first = err.errors()[0]
    loc = [p for p in first["loc"]]
    msg = first["msg"]
    # pydantic prefixes custom errors with "Value error, "
    msg = re.sub(r"^(Value error|Assertion failed), ", "", msg)
    if first["type"] == "missing":
        msg = "is required"
    elif first["type"] == "extra_forbidden":
        msg = "is not a known field (typo?)"
    if loc and loc[0] == "items" and len(loc) >= 2 and isinstance(loc[1], int):
        index = loc[1]
        rest = [str(p) for p in loc[2:] if not isinstance(p, int)]
        field = rest[0] if rest else None
        items = raw.get("items") or []
        key = items[index].get("key") if index < len(items) and isinstance(items[index], dict) else None
        dotted = f"items[{index}]" + (("." + ".".join(rest)) if rest else "")
        who = f"item {key!r}" if key else f"item #{index + 1} (no key)"
        raise DataFileError(path, dotted, f"{who}: {msg}", _item_line(text, index, field))
    dotted = ".".join(str(p) for p in loc) or None
    raise DataFileError(path, dotted, msg, find_line(text, dotted))


def parse_schedule(text: str, path: str | os.PathLike[str] = "<schedule>") -> Schedule:
    """Validate TOML source text and build a :class:`Schedule`."""
    path = str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise DataFileError(path, None, f"not valid TOML: {e}", int(m.group(1)) if m else None) from None
    check_strings(raw, path, text, line_of=lambda dotted: _line_of(text, dotted))
    try:
        model = _File.model_validate(raw)
    except ValidationError as e:
        _raise_validation(path, text, raw, e)
        raise  # unreachable
    h = model.schedule
    _check_methods(path, text, model)
    items = []
    for it in model.items:
        days = frozenset(WEEKDAYS.index(d) for d in it.days)  # type: ignore[union-attr]
        policy = it.bank_holidays
        if policy is None:
            # Default: weekday-only items skip bank holidays; anything that runs at weekends runs.
            policy = "skip" if days <= {0, 1, 2, 3, 4} else "run"
        items.append(
            ScheduleItem(
                key=it.key,
                title=it.title,
                kind=it.kind,
                days=days,
                time=_parse_time(it.time),
                category=it.category,
                duration_minutes=it.duration_minutes if it.duration_minutes is not None else (30 if it.kind == "call" else 0),
                attendees=tuple(it.attendees),
                notes=it.notes,
                category_note=it.category_note,
                bank_holidays=policy,
                fortnightly=(
                    Fortnightly(
                        anchor=it.fortnightly.anchor,
                        note=it.fortnightly.note,
                        off_note=it.fortnightly.off_note,
                        anchor_confirmed=it.fortnightly.anchor_confirmed,
                    )
                    if it.fortnightly
                    else None
                ),
                window_start=_parse_time(it.window_start) if it.window_start else None,
                applies_at_level=it.applies_at_level,
                area_kinds=tuple(it.area_kinds),
                methods=tuple(it.methods),
                chases_note=it.chases_note,
                tracks=it.tracks,
                prompt_before_minutes=it.prompt_before_minutes,
            )
        )
    return Schedule(
        id=h.id,
        title=h.title,
        version=h.version,
        effective_from=h.effective_from,
        effective_to=h.effective_to,
        items=tuple(items),
        serves=h.serves,
        bank_holiday_runs_as=WEEKDAYS.index(h.bank_holiday_runs_as) if h.bank_holiday_runs_as else None,
        source=h.source,
        notes=h.notes,
        timezone=h.timezone,
        file=path,
    )


def _check_methods(path: str, text: str, model: "_File") -> None:
    """Each deadline's ``methods`` names a known scoring method family or plan id."""
    if not any(it.methods for it in model.items):
        return
    from scc_tui.datafiles.methods import default_registry

    registry = default_registry()
    known = set(registry.plans) | set(registry.families())
    for index, it in enumerate(model.items):
        for m in it.methods:
            if m not in known:
                raise DataFileError(
                    path,
                    f"items[{index}].methods",
                    f"item {it.key!r}: unknown method {m!r} (known: {', '.join(sorted(known))})",
                    _item_line(text, index, "methods"),
                )


_cache: dict[tuple[str, int, int], Schedule] = {}


def load_schedule(path: str | os.PathLike[str] | None = None) -> Schedule:
    """Load and validate a schedule file (default: :func:`default_schedule_path`). Cached per
    (path, mtime, size). Raises :class:`DataFileError`."""
    p = Path(path) if path is not None else default_schedule_path()
    try:
        st = p.stat()
        ck = (str(p.resolve()), st.st_mtime_ns, st.st_size)
        if ck in _cache:
            return _cache[ck]
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(p, None, "no such schedule file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(p, None, f"cannot read: {e}") from None
    sched = parse_schedule(text, p)
    _cache[ck] = sched
    return sched


def default_schedule_path(settings: Settings | None = None) -> Path:
    """``$SCC_SCHEDULE`` (the settings') if set, else ``kent-medway-winter.toml`` from :func:`schedules_dir`."""
    return (settings or current()).schedule or schedules_dir() / DEFAULT_SCHEDULE


def schedules_dir() -> Path:
    """Where the shipped schedules are: the copy inside an installed package (``scc_tui/schedules``,
    put there from the top-level ``schedules/`` when a wheel is built: see setup.py), else the
    checkout's top-level ``schedules/`` (a source checkout or an editable install)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "schedules"
    if packaged.is_dir():
        return packaged
    return package.parent / "schedules"
