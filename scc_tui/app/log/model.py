"""The log screen's model: pure functions, no Textual, no SQL, no wall clock.

* :class:`LogRow` — one entry as the screen shows it (from ``store.log.entry_record``).
* :func:`parse_filter` — the filter bar's little language, e.g.
  ``from:2026-11-20 to:2026-11-23 kind:decision area:swale author:jsmith beds``.
* :func:`parse_when` — "+2h", "+30m", "-20m", "14:30" or an ISO date-time, relative to an injected now.
* :func:`decision_fields` — the decision form's values checked and turned into ``append_entry`` arguments.
* :func:`reviews_due` — decisions whose review time has come and that have not been reviewed.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Mapping, Sequence

from scc_tui.domain import log as dlog
from scc_tui.domain import text as dtext
from scc_tui.domain.area_match import AreaMatchError, AreaRef, begins_a_name, filter_names
from scc_tui.domain.clock import LONDON, UTC, london_date, parse_instant

__all__ = [
    "LogRow",
    "LogFilter",
    "FilterError",
    "parse_filter",
    "parse_when",
    "WhenError",
    "decision_fields",
    "field_of_error",
    "reviews_due",
    "reviewed_seq",
    "review_text",
    "fmt_time",
    "fmt_full",
    "KIND_SHORT",
]

#: How kinds are spelled in a narrow table column (ids are shown when there is room).
KIND_SHORT: dict[str, str] = {
    "decision": "decision",
    "action": "action",
    "call-note": "call",
    "escalation-ack": "esc-ack",
    "prompt-ack": "ack",
    "handover": "handover",
    "note": "note",
    "config": "config",
    "declaration": "declare",
    "plan-test": "plan-test",
    "correction": "correct",
}


# --------------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogRow:
    seq: int
    recorded_at: datetime
    event_at: datetime
    author: str
    kind: str
    text: str
    role: str | None = None
    areas: tuple[str, ...] = ()
    opel: tuple[tuple[str, int | None], ...] = ()
    rationale: str | None = None
    risk: str | None = None
    risk_measure: str | None = None
    owner: str | None = None
    review_at: datetime | None = None
    corrects_seq: int | None = None
    late_reason: str | None = None
    reviews_seq: int | None = None  # a review: the decision it reviews (store: log_review)
    source: str = ""
    hash: str = ""
    prev_hash: str = ""
    corrected_by: tuple[int, ...] = ()

    @classmethod
    def from_record(cls, rec: Mapping[str, Any], corrected_by: Iterable[int] = ()) -> "LogRow":
        areas = rec.get("areas") or []
        if not isinstance(areas, list):
            areas = [str(areas)]
        opel = rec.get("opel") or {}
        if not isinstance(opel, dict):
            opel = {}
        return cls(
            seq=int(rec["seq"]),
            recorded_at=rec["recorded_at"],
            event_at=rec.get("event_at") or rec["recorded_at"],
            author=str(rec.get("author") or ""),
            kind=str(rec.get("kind") or ""),
            text=str(rec.get("text") or ""),
            role=rec.get("role"),
            areas=tuple(str(a) for a in areas),
            opel=tuple((str(k), v if isinstance(v, int) else None) for k, v in opel.items()),
            rationale=rec.get("rationale"),
            risk=rec.get("risk"),
            risk_measure=rec.get("risk_measure"),
            owner=rec.get("owner"),
            review_at=rec.get("review_at"),
            corrects_seq=rec.get("corrects_seq"),
            late_reason=rec.get("late_reason"),
            reviews_seq=rec.get("reviews_seq"),
            source=str(rec.get("source") or ""),
            hash=str(rec.get("hash") or ""),
            prev_hash=str(rec.get("prev_hash") or ""),
            corrected_by=tuple(corrected_by),
        )

    @property
    def late(self) -> bool:
        return dlog.is_late(self.event_at, self.recorded_at)

    @property
    def author_role(self) -> str:
        return f"{self.author} ({self.role})" if self.role else self.author

    def with_correction(self, seq: int) -> "LogRow":
        if seq in self.corrected_by:
            return self
        return replace(self, corrected_by=tuple(sorted((*self.corrected_by, seq))))

    def haystack(self) -> str:
        parts = [self.text, self.rationale, self.risk, self.risk_measure, self.owner, self.late_reason]
        return "\n".join(p for p in parts if p).casefold()


def fmt_time(instant: datetime, today: date) -> str:
    """``14:05`` on ``today`` (Europe/London), else ``20 Nov 14:05``."""
    local = instant.astimezone(LONDON)
    if local.date() == today:
        return local.strftime("%H:%M")
    return f"{local.day:2d} {local.strftime('%b %H:%M')}"


def fmt_full(instant: datetime | None) -> str:
    """``Mon 23 Nov 2026 09:00:00 GMT`` (Europe/London)."""
    if instant is None:
        return "—"
    local = instant.astimezone(LONDON)
    return local.strftime("%a %d %b %Y %H:%M:%S %Z")


# --------------------------------------------------------------------------------------------------
# Filter
# --------------------------------------------------------------------------------------------------


class FilterError(ValueError):
    """A filter the bar cannot read; the message is one line."""


_FIELDS = {
    "kind": "kind", "k": "kind", "type": "kind",
    "area": "area", "a": "area",
    "author": "author", "by": "author", "user": "author", "u": "author",
    "from": "from", "since": "from",
    "to": "to", "until": "to",
    "on": "on", "date": "on",
    "text": "text", "t": "text",
}


@dataclass(frozen=True)
class LogFilter:
    kinds: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # case-folded full names: each area asked for and the areas under it
    authors: tuple[str, ...] = ()  # case-folded
    words: tuple[str, ...] = ()  # case-folded, all must occur
    date_from: date | None = None  # Europe/London dates, inclusive
    date_to: date | None = None
    source: str = field(default="", compare=False)
    area_terms: tuple[str, ...] = field(default=(), compare=False)  # the area names as typed

    @property
    def empty(self) -> bool:
        return not (self.kinds or self.areas or self.authors or self.words or self.date_from or self.date_to)

    @property
    def since(self) -> datetime | None:
        if self.date_from is None:
            return None
        d = self.date_from
        return datetime(d.year, d.month, d.day, tzinfo=LONDON).astimezone(UTC)

    @property
    def until(self) -> datetime | None:
        """Exclusive: 00:00 London on the day after ``date_to``."""
        if self.date_to is None:
            return None
        d = self.date_to + timedelta(days=1)
        return datetime(d.year, d.month, d.day, tzinfo=LONDON).astimezone(UTC)

    def matches(self, row: LogRow) -> bool:
        if self.kinds and row.kind not in self.kinds:
            return False
        if self.areas and not ({a.casefold() for a in row.areas} & set(self.areas)):
            return False
        if self.authors and row.author.casefold() not in self.authors:
            return False
        since, until = self.since, self.until
        if since is not None and row.recorded_at < since:
            return False
        if until is not None and row.recorded_at >= until:
            return False
        if self.words:
            hay = row.haystack()
            if not all(w in hay for w in self.words):
                return False
        return True

    def store_args(self) -> dict[str, Any]:
        """What ``store.log.list_entries`` can do itself (the rest is :meth:`matches`)."""
        args: dict[str, Any] = {}
        if self.kinds:
            args["kinds"] = list(self.kinds)
        if self.areas:
            args["areas"] = list(self.areas)
        if self.since is not None:
            args["since"] = self.since
        if self.until is not None:
            args["until"] = self.until
        return args

    @property
    def store_complete(self) -> bool:
        """True when :meth:`store_args` already selects exactly the matching rows."""
        return not (self.words or self.authors)

    def describe(self) -> str:
        parts = []
        if self.kinds:
            parts.append("kind:" + ",".join(self.kinds))
        if self.areas:
            parts.append("area:" + ",".join(_quote(a) for a in (self.area_terms or self.areas)))
        if self.authors:
            parts.append("author:" + ",".join(self.authors))
        if self.date_from:
            parts.append(f"from:{self.date_from.isoformat()}")
        if self.date_to:
            parts.append(f"to:{self.date_to.isoformat()}")
        parts.extend(_quote(w) for w in self.words)
        return " ".join(parts)


def _quote(s: str) -> str:
    return f'"{s}"' if " " in s else s


def _kind(value: str) -> str:
    v = value.strip().casefold()
    if v in dlog.KINDS:
        return v
    by_label = {label.casefold(): k for k, label in dlog.KINDS.items()}
    if v in by_label:
        return by_label[v]
    short = {s: k for k, s in KIND_SHORT.items()}
    if v in short:
        return short[v]
    hits = [k for k in dlog.KINDS if k.startswith(v)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise FilterError(f"kind: {value!r} could be {', '.join(hits)}")
    raise FilterError(f"kind: unknown kind {value!r}; one of: {', '.join(dlog.KINDS)}")


def _date(value: str, key: str, today: date | None) -> date:
    v = value.strip().casefold()
    if today is not None:
        if v == "today":
            return today
        if v == "yesterday":
            return today - timedelta(days=1)
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise FilterError(f"{key}: {value!r} is not a date (e.g. 2026-11-23, today, yesterday)") from None


def parse_filter(text: str, *, today: date | None = None, areas: Sequence[AreaRef] | None = None) -> LogFilter:
    """Read the filter bar. ``field:value`` terms (kind, area, author, from, to, on, text; values may
    be comma lists or "quoted phrases") are ANDed; values of one field are ORed; other words must all
    occur in the entry's text, rationale, risk, owner or late reason (case-insensitive).

    With ``areas`` (the area list, from ``store.areas.area_refs``) each ``area:`` value is matched by
    ``domain.area_match`` (full or short name, plan area or the start of a name, ignoring case) and
    selects that area and every area under it; a name that is no area is a :class:`FilterError`.
    Unquoted words after ``area:`` belong to the name while they continue an area's name
    (``area:east kent``, ``area:QEQM Hospital``).
    Without it, ``area:`` values are compared with entries' area names as typed."""
    text = text or ""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unbalanced quote: read it as plain words
        tokens = text.replace('"', " ").replace("'", " ").split()
    kinds: list[str] = []
    area_terms: list[str] = []
    authors: list[str] = []
    words: list[str] = []
    d_from: date | None = None
    d_to: date | None = None
    tokens = list(tokens)
    while tokens:
        tok = tokens.pop(0)
        key, sep, value = tok.partition(":")
        if sep and key.isalpha() and key.casefold() in _FIELDS:
            name = _FIELDS[key.casefold()]
            if not value.strip():
                raise FilterError(f"{key}: give a value (e.g. {key}:…)")
            values = [v.strip() for v in value.split(",") if v.strip()] if name not in ("text",) else [value]
            if name == "kind":
                kinds.extend(_kind(v) for v in values)
            elif name == "area":
                if areas is not None and not value.endswith(","):
                    # ``area:east kent`` unquoted: the next words continue the name while they still
                    # begin an area's name (``area:swale stand`` leaves "stand" a plain word).
                    while tokens and ":" not in tokens[0] and begins_a_name(f"{values[-1]} {tokens[0]}", areas):
                        values[-1] = f"{values[-1]} {tokens.pop(0)}"
                area_terms.extend(values)
            elif name == "author":
                authors.extend(v.casefold() for v in values)
            elif name == "from":
                d_from = _date(value, key, today)
            elif name == "to":
                d_to = _date(value, key, today)
            elif name == "on":
                d_from = d_to = _date(value, key, today)
            else:
                words.append(value.casefold())
        elif sep and key.isalpha() and len(key) > 1 and value:
            raise FilterError(
                f"{key}: unknown filter field; use kind:, area:, author:, from:, to:, on: or plain words"
            )
        else:
            words.append(tok.casefold())
    if d_from and d_to and d_from > d_to:
        raise FilterError(f"from:{d_from.isoformat()} is after to:{d_to.isoformat()}")
    names: Iterable[str] = area_terms
    if areas is not None and area_terms:
        try:
            names = filter_names(area_terms, areas)
        except AreaMatchError as exc:
            raise FilterError(str(exc)) from None
    return LogFilter(
        kinds=tuple(dict.fromkeys(kinds)),
        areas=tuple(dict.fromkeys(n.casefold() for n in names)),
        authors=tuple(dict.fromkeys(authors)),
        words=tuple(w for w in words if w),
        date_from=d_from,
        date_to=d_to,
        source=text.strip(),
        area_terms=tuple(dict.fromkeys(area_terms)),
    )


# --------------------------------------------------------------------------------------------------
# Times typed by a user
# --------------------------------------------------------------------------------------------------


class WhenError(ValueError):
    pass


_REL = re.compile(r"^([+-])\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$", re.IGNORECASE)
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def when_text(instant: datetime | None) -> str:
    """An instant as the form's time fields show it and :func:`parse_when` reads it back: London wall
    time with its offset, to the second (``2026-11-23T07:00:00+00:00``); ``""`` for none."""
    if instant is None:
        return ""
    return instant.astimezone(LONDON).isoformat(timespec="seconds")


def parse_when(text: str, now: datetime) -> datetime:
    """``+2h``, ``+30m``, ``+1h30m``, ``+1d``, ``-20m`` (relative to ``now``); ``14:30`` (today,
    Europe/London); or an ISO date/date-time (naive = London wall time). Returns aware UTC."""
    t = (text or "").strip()
    if not t:
        raise WhenError("empty time")
    m = _REL.match(t)
    if m and any(m.group(i) for i in (2, 3, 4)):
        sign = -1 if m.group(1) == "-" else 1
        delta = timedelta(days=int(m.group(2) or 0), hours=int(m.group(3) or 0), minutes=int(m.group(4) or 0))
        return (now + sign * delta).astimezone(UTC)
    m = _HHMM.match(t)
    if m:
        hh, mm = int(m.group(1)), int(m.group(2))
        if hh > 23 or mm > 59:
            raise WhenError(f"{t!r} is not a time of day")
        day = london_date(now)
        return parse_instant(datetime.combine(day, time(hh, mm)).isoformat())
    try:
        return parse_instant(t)
    except ValueError as exc:
        raise WhenError(f"{exc}; or +2h, +30m, -20m, 14:30") from None


# --------------------------------------------------------------------------------------------------
# The decision form
# --------------------------------------------------------------------------------------------------

#: Form field ids, in order, as the decision form names its inputs.
DECISION_FIELDS = ("text", "rationale", "risk", "risk_measure", "owner", "review_at", "areas", "event_at",
                   "late_reason")


def field_of_error(message: str) -> str | None:
    """The form field a one-line ``LogInputError`` message names (``"areas: unknown area…"``)."""
    head = message.split(":", 1)[0].strip()
    return head if head in DECISION_FIELDS else None


def decision_fields(values: Mapping[str, str], now: datetime) -> tuple[dict[str, Any], dict[str, str]]:
    """Check the decision form. Returns (``append_entry`` keyword arguments, errors by field)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def text_field(name: str, label: str, required: bool = False, max_len: int = dlog.MAX_TEXT) -> None:
        try:
            out[name] = dlog.clean_text(values.get(name) or None, name, required=required, max_len=max_len)
        except dlog.LogInputError as exc:
            msg = str(exc).split(":", 1)[1].strip()
            if "is required" in msg or "is empty" in msg:
                msg = f"{label} is required"
            errors[name] = msg

    text_field("text", "the decision", required=True)
    text_field("rationale", "the rationale (why it was taken)", required=True)
    text_field("risk", "risk")
    text_field("risk_measure", "how measured")
    text_field("late_reason", "the reason", max_len=2_000)
    try:
        out["owner"] = dlog.clean_line(values.get("owner") or None, "owner")
    except dlog.LogInputError as exc:
        errors["owner"] = str(exc).split(":", 1)[1].strip()
    raw_areas = values.get("areas") or ""
    out["areas"] = [a.strip() for a in raw_areas.split(",") if a.strip()]
    for a in out["areas"]:
        if (bad := dtext.problem(a)) is not None:
            errors["areas"] = f"an area name {bad}"
            break
    review = (values.get("review_at") or "").strip()
    out["review_at"] = None
    if review:
        try:
            when = parse_when(review, now)
            if when <= now:
                errors["review_at"] = f"{fmt_full(when)} is not in the future"
            else:
                out["review_at"] = when
        except WhenError as exc:
            errors["review_at"] = str(exc)
    event = (values.get("event_at") or "").strip()
    out["event_at"] = None
    if event:
        try:
            at = parse_when(event, now)
        except WhenError as exc:
            errors["event_at"] = str(exc)
        else:
            if at - now > dlog.FUTURE_TOLERANCE:
                errors["event_at"] = f"{fmt_full(at)} is in the future; a log records what has happened"
            else:
                out["event_at"] = at
                if dlog.is_late(at, now) and not out.get("late_reason") and "late_reason" not in errors:
                    mins = int((now - at).total_seconds() // 60)
                    errors["late_reason"] = (
                        f"recorded {mins} min after the event (more than "
                        f"{int(dlog.LATE_AFTER.total_seconds() // 60)}): say why it is late"
                    )
    return out, errors


# --------------------------------------------------------------------------------------------------
# Review times
# --------------------------------------------------------------------------------------------------

def review_text(seq: int) -> str:
    """The start of a review's text (for the reader: the link itself is ``LogRow.reviews_seq``)."""
    return f"Review of decision #{seq}: "


def reviewed_seq(row: "LogRow") -> int | None:
    """The decision a row reviews, from its link (kind ``review``, or an older review entry linked by
    migration 0009), never from its text."""
    return row.reviews_seq


def reviews_due(decisions: Mapping[int, LogRow], reviewed: set[int], now: datetime) -> list[LogRow]:
    """Decisions whose review time is at or before ``now`` and that are not yet reviewed, oldest first."""
    due = [
        r for seq, r in decisions.items()
        if r.review_at is not None and r.review_at <= now and seq not in reviewed
    ]
    return sorted(due, key=lambda r: (r.review_at, r.seq))
