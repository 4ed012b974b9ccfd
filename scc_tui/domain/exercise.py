"""Exercise mode (pure): scenarios, inject times, contradictions, the headless timeline, the debrief.

A tabletop exercise plays a scripted scenario into an exercise database on a simulated clock
(``scc_tui.domain.clock.SimulatedClock``); participants respond as if live and the log is the debrief
record (DOMAIN.md §1, §9; KCC ASC OPEL plan v1.8 Appendix 5 keeps exercises in the history of plan
tests). Nothing here reads a clock, a file or a database: the loader (``scc_tui.datafiles.scenarios``)
builds a :class:`Scenario`; the store (``scc_tui.store.exercise``) applies it.

Times in a scenario:

* ``+0h30m``, ``+2h``, ``+45m``, ``+1d2h15m``: an offset from STARTEX (simulated time);
* ``day 2 10:15``: London wall time on the scenario's Day 2 (Day 1 = the London date of STARTEX).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Mapping, Sequence

from scc_tui.domain.clock import LONDON, UTC, ensure_aware, london_date

__all__ = [
    "BANNER",
    "CONTROL",
    "MIN_SPEED",
    "MAX_SPEED",
    "INJECT_KINDS",
    "EXPECTED_KINDS",
    "Role",
    "Objective",
    "Inject",
    "Expected",
    "Scenario",
    "parse_when",
    "parse_duration",
    "contradictions",
    "timeline_instants",
    "ResponseRecord",
    "match_expected",
    "Lesson",
    "lessons_from_missed",
    "LESSON_FIELDS",
    "check_lesson",
    "render_md",
    "render_csv",
    "timeline_rows",
]

#: The convention on every exercise message (DOMAIN.md §1): exports are headed by it.
BANNER = "EXERCISE EXERCISE EXERCISE"
#: The author of every injected row.
CONTROL = "EXERCISE CONTROL"
MIN_SPEED, MAX_SPEED = 1.0, 600.0
INJECT_KINDS = ("declare", "assess", "message")
EXPECTED_KINDS = ("log", "declaration", "escalation-ack", "prompt-ack", "observed")
#: Lessons from a missed expected response fall due this many days after ENDEX unless the scenario
#: says otherwise (``lesson_due_days``): a judgement, a month to act on a lesson before the next test.
DEFAULT_LESSON_DUE_DAYS = 28

_OFFSET = re.compile(r"^\+(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_DAY = re.compile(r"^day\s+(\d+)\s+(\d{1,2}):(\d{2})$", re.IGNORECASE)
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


def parse_duration(text: str) -> timedelta:
    """``0h30m``, ``2h``, ``45m``, ``1d`` -> timedelta (ValueError otherwise)."""
    t = str(text).strip().lower()
    m = _DURATION.match(t)
    if not t or not m or not any(m.groups()):
        raise ValueError(f"{text!r} is not a duration (e.g. 0h30m, 2h, 45m, 1d)")
    d, h, mi = (int(x or 0) for x in m.groups())
    return timedelta(days=d, hours=h, minutes=mi)


def parse_when(text: str, start: datetime) -> datetime:
    """An inject time: ``+0h30m`` (offset from ``start``) or ``day 2 10:15`` (London wall time on
    Day 2, Day 1 being ``start``'s London date). Returns an aware UTC instant; ValueError names the
    accepted forms."""
    start = ensure_aware(start).astimezone(UTC)
    t = " ".join(str(text).strip().split())
    m = _OFFSET.match(t.lower())
    if m and any(m.groups()):
        d, h, mi = (int(x or 0) for x in m.groups())
        return start + timedelta(days=d, hours=h, minutes=mi)
    m = _DAY.match(t)
    if m:
        n, hh, mm = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if n < 1:
            raise ValueError(f"{text!r}: days count from 1 (day 1 is the start's date)")
        if hh > 23 or mm > 59:
            raise ValueError(f"{text!r}: {hh:02d}:{mm:02d} is not a time of day")
        d = london_date(start) + timedelta(days=n - 1)
        local = datetime.combine(d, time(hh, mm), tzinfo=LONDON)
        back = local.astimezone(UTC).astimezone(LONDON)
        if back.replace(tzinfo=None) != local.replace(tzinfo=None):
            raise ValueError(f"{text!r} does not exist in Europe/London (clocks go forward then)")
        return local.astimezone(UTC)
    raise ValueError(f"{text!r} is not an inject time (e.g. +0h30m, +2h, +1d4h, day 2 10:15)")


@dataclass(frozen=True)
class Role:
    name: str
    description: str = ""


@dataclass(frozen=True)
class Objective:
    id: str
    text: str


@dataclass(frozen=True)
class Inject:
    """One row of the master events list."""

    id: str
    when: str  # as written
    at: datetime  # simulated instant
    kind: str  # declare | assess | message
    area: str | None = None
    level: int | None = None
    reason: str | None = None
    values: Mapping[str, float] = field(default_factory=dict)
    text: str = ""
    to: tuple[str, ...] = ()
    contingency: bool = False
    release_if_missed: str | None = None  # a contingency: released when that expected response is missed
    index: int = 0  # position in the file (for messages)

    def summary(self) -> str:
        if self.kind == "declare":
            s = f"{self.area} declared OPEL {self.level}"
            return s + (f" – {self.reason}" if self.reason else "")
        if self.kind == "assess":
            vals = ", ".join(f"{k}={_num(v)}" for k, v in self.values.items())
            return f"{self.area} assessment: {vals}"
        return self.text

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "when": self.when, "at": self.at.astimezone(UTC).isoformat(), "kind": self.kind,
                "area": self.area, "level": self.level, "values": dict(self.values), "text": self.summary(),
                "to": list(self.to), "contingency": self.contingency, "release_if_missed": self.release_if_missed}


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


@dataclass(frozen=True)
class Expected:
    """An expected response (for the debrief), checked against what participants did."""

    id: str
    text: str
    kind: str  # log | declaration | escalation-ack | prompt-ack | observed
    within: timedelta
    after: str | None = None  # an inject id (the clock starts when it was released)
    at: datetime | None = None  # ...or a fixed simulated instant
    area: str | None = None
    contains: str | None = None  # log: text to find (case-insensitive)
    rule: str | None = None  # escalation-ack: the rule key (prefix)
    item: str | None = None  # prompt-ack: the schedule item key
    level: int | None = None  # declaration: the level
    objective: str | None = None
    owner: str | None = None  # who owns the lesson if it is missed (a role)
    index: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "kind": self.kind, "after": self.after,
                "within_minutes": int(self.within.total_seconds() // 60), "area": self.area,
                "objective": self.objective, "owner": self.owner}


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    start: datetime
    end: datetime
    speed: float = 60.0
    description: str = ""
    roles: tuple[Role, ...] = ()
    objectives: tuple[Objective, ...] = ()
    injects: tuple[Inject, ...] = ()
    expected: tuple[Expected, ...] = ()
    lesson_due_days: int = DEFAULT_LESSON_DUE_DAYS
    source: str = ""  # file path

    def inject(self, inject_id: str) -> Inject:
        for i in self.injects:
            if i.id == inject_id:
                return i
        raise KeyError(inject_id)

    @property
    def areas(self) -> list[str]:
        """Every area the scenario names, as written, first use first."""
        out: dict[str, str] = {}
        for i in self.injects:
            if i.area:
                out.setdefault(i.area.casefold(), i.area)
        for e in self.expected:
            if e.area:
                out.setdefault(e.area.casefold(), e.area)
        return list(out.values())

    def scheduled(self) -> list[Inject]:
        """Injects on the timeline (not contingencies), in time then file order."""
        return sorted((i for i in self.injects if not i.contingency), key=lambda i: (i.at, i.index))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "start": self.start.astimezone(UTC).isoformat(),
                "end": self.end.astimezone(UTC).isoformat(), "speed": self.speed,
                "roles": [r.name for r in self.roles], "injects": len(self.injects),
                "objectives": [o.text for o in self.objectives]}


def contradictions(injects: Sequence[Inject]) -> list[tuple[Inject, Inject, str]]:
    """Pairs of timeline injects at the same instant for the same area that cannot both be true: two
    declarations of different levels, or two assessments giving one value two numbers."""
    out: list[tuple[Inject, Inject, str]] = []
    timed = [i for i in injects if not i.contingency and i.area]
    for n, a in enumerate(timed):
        for b in timed[n + 1:]:
            if a.at != b.at or a.area.casefold() != b.area.casefold():
                continue
            if a.kind == b.kind == "declare" and a.level != b.level:
                out.append((a, b, f"both set {a.area} at the same time: OPEL {a.level} and OPEL {b.level}"))
            elif a.kind == b.kind == "assess":
                clash = sorted(k for k in set(a.values) & set(b.values) if a.values[k] != b.values[k])
                if clash:
                    k = clash[0]
                    out.append((a, b, f"both give {a.area} {k} at the same time: {_num(a.values[k])} and "
                                      f"{_num(b.values[k])}"))
    return out


def timeline_instants(scenario: Scenario, extra: Iterable[datetime] = (),
                      wall_times: Iterable[time] = (time(0),)) -> list[datetime]:
    """Every instant a headless run must stop at, from STARTEX to ENDEX: injects, expected-response
    deadlines, ``extra`` (prompt instants), and each London day's ``wall_times`` (midnight, when Day N
    moves on; the rules' "from" times such as 12:00, when a weekend "PM only" inclusion begins)."""
    start, end = scenario.start, scenario.end
    out = {start, end}
    out.update(i.at for i in scenario.injects if not i.contingency)
    out.update(x for x in extra)
    d = london_date(start)
    while d <= london_date(end):
        for wt in wall_times:
            t = datetime.combine(d, wt, tzinfo=LONDON).astimezone(UTC)
            out.add(t)
        d += timedelta(days=1)
    return sorted(t for t in out if start <= t <= end)


# ------------------------------------------------------------------------------------------------
# The debrief: what participants did, matched against what was expected


@dataclass(frozen=True)
class ResponseRecord:
    """Something a participant (or the system) did, as the debrief sees it."""

    kind: str  # log | declaration | escalation-ack | prompt-ack
    at: datetime
    author: str
    text: str = ""
    area: str | None = None
    rule: str | None = None
    item: str | None = None
    level: int | None = None
    areas: tuple[str, ...] = ()


def _matches(e: Expected, r: ResponseRecord) -> bool:
    if r.author == CONTROL:
        return False
    if e.kind == "log":
        if r.kind not in ("log", "declaration-log"):
            return False
        if e.contains and e.contains.casefold() not in r.text.casefold():
            return False
        return not e.area or any(a.casefold() == e.area.casefold() for a in r.areas)
    if e.kind != r.kind:
        return False
    if e.area and (r.area or "").casefold() != e.area.casefold():
        return False
    if e.kind == "declaration":
        return e.level is None or r.level == e.level
    if e.kind == "escalation-ack":
        return not e.rule or (r.rule or "").startswith(e.rule)
    if e.kind == "prompt-ack":
        return not e.item or r.item == e.item
    return False


def match_expected(e: Expected, released_at: datetime | None, records: Sequence[ResponseRecord]
                   ) -> tuple[str, ResponseRecord | None, datetime | None]:
    """(state, the first matching record, the deadline). State: ``met``, ``late`` (after the
    deadline), ``missed``, ``not-released`` (its inject never went in), ``observed`` (for the
    controller to judge: nothing in the database says it)."""
    if e.kind == "observed":
        return "observed", None, None
    start = e.at if e.at is not None else released_at
    if start is None:
        return "not-released", None, None
    deadline = start + e.within
    hits = sorted((r for r in records if r.at >= start and _matches(e, r)), key=lambda r: r.at)
    if not hits:
        return "missed", None, deadline
    first = hits[0]
    return ("met" if first.at <= deadline else "late"), first, deadline


@dataclass(frozen=True)
class Lesson:
    text: str
    owner: str
    due: date

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "owner": self.owner, "due": self.due.isoformat()}


def lessons_from_missed(scenario: Scenario, missed: Iterable[Expected], endex: datetime) -> list[Lesson]:
    """One lesson identified per missed (or late) expected response: owned by the expected response's
    ``owner`` (else the exercise lead) and due ``lesson_due_days`` after ENDEX (London date)."""
    due = london_date(endex) + timedelta(days=scenario.lesson_due_days)
    return [Lesson(f"Expected response {e.id} not met: {e.text}", e.owner or "Exercise lead", due) for e in missed]


#: A lesson typed at the hot debrief: (field, the label a refusal names it by).
LESSON_FIELDS: tuple[tuple[str, str], ...] = (("text", "Lesson"), ("owner", "Owner"), ("due", "Due date"))


def check_lesson(text: str, owner: str, due: str, today: date) -> tuple[Lesson | None, dict[str, str]]:
    """A lesson typed at the hot debrief, checked before anything is written: (the lesson, {}) or
    (None, {field: one line naming the field}). Every field is required; the due date is read by
    :func:`scc_tui.domain.dates.parse_due_date` with ``today`` (the clock's London date)."""
    from scc_tui.domain.dates import DateInputError, parse_due_date

    label = dict(LESSON_FIELDS)
    errors: dict[str, str] = {}
    text, owner = (text or "").strip(), (owner or "").strip()
    if not text:
        errors["text"] = f"{label['text']}: is required (what was learnt)"
    if not owner:
        errors["owner"] = f"{label['owner']}: is required (who acts on it)"
    when: date | None = None
    try:
        when = parse_due_date(due, today)
    except DateInputError as exc:
        errors["due"] = f"{label['due']}: {exc}"
    if errors or when is None:
        return None, errors
    return Lesson(text, owner, when), {}


# ------------------------------------------------------------------------------------------------
# Rendering the debrief (a dict from ``scc_tui.store.exercise.debrief``): markdown and CSV


def _local(iso: str | None) -> str:
    if not iso:
        return ""
    return f"{datetime.fromisoformat(iso).astimezone(LONDON):%a %d %b %H:%M}"


def _md(value: Any) -> str:
    from scc_tui.domain.text import inert

    if value is None:
        return ""
    text = inert(str(value))
    return (text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\n", "<br>"))


def timeline_rows(d: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Injects, participants' log entries and escalation firings on one timeline (simulated time)."""
    rows: list[dict[str, Any]] = []
    for i in d["injects"]:
        if i["released_at"]:
            rows.append({"at": i["released_at"], "what": "inject", "who": CONTROL, "ref": i["id"],
                         "area": i["area"] or "", "text": ("SKIPPED: " if i["state"] == "skipped" else "") + i["text"]})
    for e in d["entries"]:
        if not e["control"]:
            rows.append({"at": e["at"], "what": f"log #{e['seq']} {e['kind']}", "who": e["author"], "ref": str(e["seq"]),
                         "area": "; ".join(e["areas"]), "text": e["text"]})
    for f in d["firings"]:
        ack = f"acknowledged by {f['acknowledged_by']} {_local(f['acknowledged_at'])}" if f["acknowledged_by"] \
            else ("NOT ACKNOWLEDGED" if f["needs_ack"] else "")
        rows.append({"at": f["at"], "what": "escalation", "who": "rules", "ref": f["rule"], "area": f["area"],
                     "text": f"{f['message']} (Day {f['day']}) {ack}".strip() if f["day"] else f"{f['message']} {ack}".strip()})
    rows.sort(key=lambda r: (r["at"] or "", r["what"] != "inject"))
    return rows


def render_md(d: Mapping[str, Any]) -> str:
    out = [BANNER, "", f"# Exercise debrief: {_md(d['title'])} ({_md(d['scenario'])})", "",
           f"Exercise database: `{_md(d['exercise_db'])}` · state {_md(d['state'])} · "
           f"simulated {_local(d['start'])} to {_local(d['end'])}", "",
           "## Timeline", "", "| Simulated time | What | Who | Ref | Area | Text |", "|---|---|---|---|---|---|"]
    for r in timeline_rows(d):
        out.append(f"| {_local(r['at'])} | {_md(r['what'])} | {_md(r['who'])} | {_md(r['ref'])} | {_md(r['area'])} | "
                   f"{_md(r['text'])} |")
    out += ["", "## Escalation rules fired", "", "| Area | Rule | Day | First at | Acknowledged |", "|---|---|---:|---|---|"]
    for f in d["firings"]:
        ack = f"{_md(f['acknowledged_by'])} {_local(f['acknowledged_at'])}" if f["acknowledged_by"] else (
            "NOT ACKNOWLEDGED" if f["needs_ack"] else "–")
        out.append(f"| {_md(f['area'])} | {_md(f['rule'])} | {f['day'] if f['day'] is not None else ''} | "
                   f"{_local(f['at'])} | {ack} |")
    out += ["", "## Prompts and response times", "", "| Item | Stage | Due | Acknowledged | Minutes |",
            "|---|---|---|---|---:|"]
    for p in d["prompts"]:
        ack = f"{_md(p['acknowledged_by'])} {_local(p['acknowledged_at'])}" if p["acknowledged_by"] else "not acknowledged"
        mins = "" if p["response_minutes"] is None else f"{p['response_minutes']:g}"
        out.append(f"| {_md(p['item'])} | {_md(p['stage'])} | {_local(p['due_at'])} | {ack} | {mins} |")
    out += ["", "## Expected responses", "", "| Id | Expected | State | Deadline | Response | Minutes |",
            "|---|---|---|---|---|---:|"]
    for e in d["expected"]:
        resp = f"{_md(e['by'])} {_local(e['response_at'])}" if e["by"] else ""
        mins = "" if e["response_minutes"] is None else f"{e['response_minutes']:g}"
        out.append(f"| {_md(e['id'])} | {_md(e['text'])} | {_md(e['state']).upper()} | {_local(e['deadline'])} | "
                   f"{resp} | {mins} |")
    out += ["", "## Lessons identified", ""]
    out += [f"- {_md(x['text'])} — owner: {_md(x['owner'])}; due {_md(x['due'])}" for x in d["lessons"]] or ["None recorded."]
    out += ["", BANNER, ""]
    return "\n".join(out)


CSV_COLUMNS = ("section", "simulated_time", "what", "who", "ref", "area", "text", "state", "response_minutes")


def render_csv(d: Mapping[str, Any]) -> str:
    """One CSV: a heading line "EXERCISE EXERCISE EXERCISE", then the timeline, firings, prompts,
    expected responses and lessons as rows (``section`` says which)."""
    from scc_tui.csvout import csv_text

    rows: list[list[Any]] = []
    for r in timeline_rows(d):
        rows.append(["timeline", r["at"], r["what"], r["who"], r["ref"], r["area"], r["text"], "", None])
    for f in d["firings"]:
        rows.append(["firing", f["at"], f"Day {f['day']}" if f["day"] else "", f["acknowledged_by"] or "", f["rule"],
                     f["area"], f["message"], "acknowledged" if f["acknowledged_by"] else
                     ("not acknowledged" if f["needs_ack"] else ""), f["response_minutes"]])
    for p in d["prompts"]:
        rows.append(["prompt", p["due_at"], p["stage"], p["acknowledged_by"] or "", p["item"], "", "",
                     "acknowledged" if p["acknowledged_by"] else "not acknowledged", p["response_minutes"]])
    for e in d["expected"]:
        rows.append(["expected", e["deadline"], e["kind"], e["by"] or "", e["id"], e["area"] or "", e["text"], e["state"],
                     e["response_minutes"]])
    for x in d["lessons"]:
        rows.append(["lesson", x["due"], "lesson", x["owner"], "", "", x["text"], "", None])
    return BANNER + "\n" + csv_text(CSV_COLUMNS, rows)
