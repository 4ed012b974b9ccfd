"""Escalation over time: runs at a level, the de-escalation hold, and rule firings (pure).

Nothing here reads the clock, a file or a database: the caller passes the level history, the instant
and the bank-holiday calendar. Rules come from data files (``scc_tui.datafiles.rules``).

Runs and the hold (DOMAIN.md §4; KCC ASC OPEL plan v1.8 §8: "Each indicator will be maintained at a
lower level ... before the step down of appropriate actions"):

* A **run at OPEL n** is a period during which the area's level in force is n or above. A drop below
  n does not end it at once: the run ends only when the area has stayed below n for the whole
  de-escalation **hold** (default 24 hours, set per rule set). A return to n or above within the hold
  continues the run, and its day count. During the hold the area is "stepping down" and the higher
  level's actions stay in force.
* **Day N** of a run: Europe/London calendar days, Day 1 = the London date on which the run began,
  counted to the London date of the instant asked about (so a run begun at 23:50 is on Day 2 ten
  minutes later; clock changes do not move a day).
* The **effective level** is the highest n whose run is live (in force or in its hold).

Firings (:func:`evaluate`): deterministic in (rule sets, areas, history, instant, bank holidays); one
per (rule key, area, occasion). A rule whose inclusions differ in whether they are optional yields one
firing per optional-ness (key ``<rule id>`` for the required part, ``<rule id>~optional`` for the
optional part).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable, Iterable, Literal, Sequence

from scc_tui.domain.clock import LONDON, UTC, ensure_aware, london_date

__all__ = [
    "DEFAULT_HOLD",
    "LevelPoint",
    "Run",
    "level_points",
    "runs_at",
    "run_at",
    "effective_level",
    "run_resolved",
    "DayType",
    "day_type",
    "Inclusion",
    "Rule",
    "RuleSet",
    "AreaView",
    "AreaEvent",
    "Firing",
    "ruleset_in_force",
    "version_in_force",
    "evaluate",
    "fmt_when",
]

DEFAULT_HOLD = timedelta(hours=24)
MAX_LEVEL = 4

BankHolidayLookup = Callable[[date], "str | None"]
DayType = Literal["any", "weekday", "weekend"]
Occasion = Literal["day", "run", "event"]


# ---------------------------------------------------------------------------------------------
# Level history -> runs


@dataclass(frozen=True)
class LevelPoint:
    """The level in force changes (or is re-stated) at ``at``."""

    at: datetime
    level: int


def level_points(records: Iterable) -> list[LevelPoint]:
    """Levelled records (``scc_tui.domain.status.StatusRecord`` or anything with ``at``, ``level`` and
    ``order``) in event order, as points. Records with no level are skipped (they do not change the
    level in force)."""
    recs = sorted((r for r in records if r.level is not None), key=lambda r: r.order)
    out = []
    for r in recs:
        if r.at.tzinfo is None:
            ensure_aware(r.at)  # raises: a naive instant is a bug upstream
        out.append(LevelPoint(r.at, r.level))
    return out


@dataclass(frozen=True)
class Run:
    """A run at OPEL ``level`` or above."""

    level: int
    start: datetime  # the event time of the record that began it
    end: datetime | None  # when it ended (the drop + the hold); None if still live
    below_since: datetime | None = None  # the current drop below ``level``, if in its hold
    hold_until: datetime | None = None  # below_since + hold

    def live_at(self, at: datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)

    def day(self, at: datetime) -> int:
        """Day N at ``at`` (Day 1 = the London date the run began)."""
        return (london_date(at) - london_date(self.start)).days + 1

    def stepping_down(self, at: datetime) -> bool:
        return self.below_since is not None and self.below_since <= at and self.live_at(at)


def runs_at(points: Sequence[LevelPoint], level: int, at: datetime, hold: timedelta = DEFAULT_HOLD) -> list[Run]:
    """Every run at OPEL ``level`` or above that began at or before ``at``, oldest first. The last one
    is live at ``at`` if its ``end`` is None."""
    at = ensure_aware(at)
    out: list[Run] = []
    start: datetime | None = None
    below: datetime | None = None
    for p in points:
        if p.at > at:
            break
        if start is None:
            if p.level >= level:
                start, below = p.at, None
            continue
        if p.level >= level:
            if below is not None and p.at - below >= hold:
                out.append(Run(level, start, below + hold))  # the hold ran out before this return
                start = p.at
            below = None
        elif below is None:
            below = p.at
    if start is not None:
        if below is not None and at - below >= hold:
            out.append(Run(level, start, below + hold))
        elif below is not None:
            out.append(Run(level, start, None, below, below + hold))
        else:
            out.append(Run(level, start, None))
    return out


def run_at(points: Sequence[LevelPoint], level: int, at: datetime, hold: timedelta = DEFAULT_HOLD) -> Run | None:
    """The run at OPEL ``level`` or above live at ``at`` (in force or in its hold), else None."""
    runs = runs_at(points, level, at, hold)
    if runs and runs[-1].end is None:
        return runs[-1]
    return None


def effective_level(points: Sequence[LevelPoint], at: datetime, hold: timedelta = DEFAULT_HOLD) -> int | None:
    """The highest level whose run is live at ``at`` (the level in force, or a higher one in its hold)."""
    for n in range(MAX_LEVEL, 0, -1):
        if run_at(points, n, at, hold) is not None:
            return n
    return None


def run_resolved(points: Sequence[LevelPoint], level: int, at: datetime, hold: timedelta = DEFAULT_HOLD) -> bool:
    """True if ``points`` (the newest part of a history up to ``at``, oldest first) surely contain the
    start of any run at OPEL ``level`` or above live at ``at``: they hold a stretch below ``level``
    that lasted at least the hold (to the next point at or above it, or to ``at``). The store uses
    this to decide how far back to read."""
    for i, p in enumerate(points):
        if p.level < level:
            nxt = next((q for q in points[i + 1:] if q.level >= level), None)
            end = nxt.at if nxt is not None else at
            if end - p.at >= hold:
                return True
    return False


# ---------------------------------------------------------------------------------------------
# Rules


def day_type(d: date, bank_holiday: BankHolidayLookup | None = None) -> Literal["weekday", "weekend"]:
    """"weekend" on Saturday, Sunday and (England) bank holidays, else "weekday"."""
    if d.weekday() >= 5:
        return "weekend"
    if bank_holiday is not None and bank_holiday(d):
        return "weekend"
    return "weekday"


@dataclass(frozen=True)
class Inclusion:
    """Someone to include. ``days``: on which day types; ``from_``: London wall time from which it
    applies that day; ``optional``: "as deemed helpful" rather than required."""

    role: str
    optional: bool = False
    days: DayType = "any"
    from_: time = time(0)
    note: str = ""

    def applies(self, local: datetime, dtype: str) -> bool:
        return (self.days == "any" or self.days == dtype) and local.time() >= self.from_


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    message: str  # template: {area} {level} {day} {since} {system} {ics} {event_at} {review}
    seed: str = ""
    quote: str = ""
    judgement: str = ""
    kinds: tuple[str, ...] = ()  # empty: any kind
    within: str | None = None  # the area must be of this kind or under one (e.g. "system")
    level_at_least: int | None = None  # on the effective level; the run counted is the run at this level
    level_below: int | None = None  # effective level < this
    day_min: int | None = None  # Day N of the run at level_at_least
    day_max: int | None = None
    days: DayType = "any"
    from_: time = time(0)  # London wall time from which the rule applies each day
    occasion: Occasion = "day"
    event: str | None = None  # occasion "event": the event that starts the timed follow-up
    stop_event: str | None = None  # ...and the one that ends it
    after: timedelta | None = None  # first follow-up after the event
    repeat: timedelta | None = None  # then every ... until stop_event
    include: tuple[Inclusion, ...] = ()
    calls: tuple[str, ...] = ()  # schedule item keys, e.g. escalation-am
    deadlines: tuple[str, ...] = ()  # London wall times or ranges, e.g. "10:30", "14:00-15:30"
    needs_ack: bool = False
    line: int | None = None  # where it is in its file (for messages)


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: str
    effective_from: date
    scope: str  # the ICS it serves, named as in the areas file
    rules: tuple[Rule, ...]
    hold: timedelta = DEFAULT_HOLD
    title: str = ""
    effective_to: date | None = None
    source: str = ""  # file path, for messages


def ruleset_in_force(versions: Sequence[RuleSet], d: date) -> RuleSet | None:
    """The rule-set version in force on London date ``d`` (see :func:`version_in_force`)."""
    return version_in_force(versions, d)


def version_in_force(versions: Sequence, d: date):
    """The version in force on London date ``d`` (latest ``effective_from`` <= d, not past its
    ``effective_to``); if ``d`` is before every version, the earliest (a run that began before the
    rules were written is judged by the first rules we have). Any versioned data with
    ``effective_from``/``effective_to`` dates: rule sets, action cards."""
    ok = [v for v in versions if v.effective_from <= d and (v.effective_to is None or d <= v.effective_to)]
    if ok:
        return max(ok, key=lambda v: v.effective_from)
    earlier = sorted(versions, key=lambda v: v.effective_from)
    return earlier[0] if earlier and d < earlier[0].effective_from else None


@dataclass(frozen=True)
class AreaEvent:
    name: str  # e.g. 111-dos-activated
    at: datetime
    ref: str = ""  # e.g. the log entry number


@dataclass(frozen=True)
class AreaView:
    """What the rules see of one area."""

    name: str
    kind: str
    ancestors: tuple[tuple[str, str], ...] = ()  # (name, kind), nearest first
    points: tuple[LevelPoint, ...] = ()
    events: tuple[AreaEvent, ...] = ()
    child_kinds: frozenset[str] = frozenset()

    @property
    def rule_kind(self) -> str:
        """The kind the rules see. A ``provider`` row that parents local-authority areas is a council's
        adult social care (areas files written before the ``council`` kind): not an NHS provider
        (seed 000 App. 4 is about NHS providers; DOMAIN.md §10)."""
        if self.kind == "provider" and "la-area" in self.child_kinds:
            return "council"
        return self.kind

    def under(self, scope: str) -> bool:
        key = scope.strip().casefold()
        return self.name.casefold() == key or any(n.casefold() == key for n, _ in self.ancestors)

    def nearest(self, kind: str) -> str | None:
        if self.kind == kind:
            return self.name
        return next((n for n, k in self.ancestors if k == kind), None)


@dataclass(frozen=True)
class Firing:
    rule_key: str  # rule id, or "<id>~optional" for the optional part
    rule_id: str
    ruleset: str  # rule set id
    ruleset_version: str  # the version in force when the run (or event) began
    area: str
    occasion: str  # a London date (day), the run's start instant (run), or "<event at>#<k>" (event)
    title: str
    message: str
    why: str  # "QEQM Hospital: OPEL 4 since Mon 09:10, Day 2"
    include: tuple[str, ...]
    optional: bool
    since: datetime  # active from
    until: datetime | None  # active until (None: while the condition holds)
    day: int | None  # the run day, where the rule counts days
    level: int | None  # the effective level
    needs_ack: bool
    calls: tuple[str, ...] = ()
    deadlines: tuple[str, ...] = ()
    due_at: datetime | None = None  # timed follow-ups: when it fell due
    stepping_down: bool = False
    hold_until: datetime | None = None
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule_key, self.area, self.occasion)

    def to_json(self) -> dict:
        return {
            "area": self.area,
            "rule": self.rule_key,
            "rule_set": f"{self.ruleset} {self.ruleset_version}",
            "day": self.day,
            "level": self.level,
            "message": self.message,
            "why": self.why,
            "include": list(self.include),
            "optional": self.optional,
            "needs_ack": self.needs_ack,
            "since": self.since.astimezone(UTC).isoformat(),
            "occasion": self.occasion,
            "calls": list(self.calls),
            "deadlines": list(self.deadlines),
            "stepping_down": self.stepping_down,
            "hold_until": self.hold_until.astimezone(UTC).isoformat() if self.hold_until else None,
        }


def fmt_when(at: datetime) -> str:
    """'Mon 09:10' in London time."""
    return f"{at.astimezone(LONDON):%a %H:%M}"


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=LONDON)


def _wall(d: date, t: time) -> datetime:
    """London wall time ``t`` on ``d`` as an aware instant (a time in the spring gap reads as after it)."""
    return datetime.combine(d, t, tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)


def _render(template: str, **values) -> str:
    class _Safe(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    return template.format_map(_Safe({k: ("" if v is None else v) for k, v in values.items()}))


def evaluate(
    rulesets: Sequence[RuleSet],
    areas: Iterable[AreaView],
    at: datetime,
    *,
    bank_holiday: BankHolidayLookup | None = None,
) -> list[Firing]:
    """The firings active at ``at``, in (area order, rule file order) — deterministic.

    ``rulesets``: every version of every rule set (grouped by id). Each area is judged by the rule
    sets whose scope it is under. The hold is the version in force at ``at``; each firing takes its
    rules from the version in force on the London date its run (or event) began.
    """
    at = ensure_aware(at).astimezone(UTC)
    local = at.astimezone(LONDON)
    today = local.date()
    dtype = day_type(today, bank_holiday)
    by_id: dict[str, list[RuleSet]] = {}
    for rs in rulesets:
        by_id.setdefault(rs.id, []).append(rs)
    out: list[Firing] = []
    for area in areas:
        for rs_id, versions in by_id.items():
            now_rs = ruleset_in_force(versions, today)
            if now_rs is None or not area.under(now_rs.scope):
                continue
            out.extend(_evaluate_area(versions, now_rs, area, at, local, dtype))
    return out


def _evaluate_area(versions, now_rs: RuleSet, area: AreaView, at, local, dtype) -> list[Firing]:
    hold = now_rs.hold
    points = list(area.points)
    eff = effective_level(points, at, hold)
    now_level = next((p.level for p in reversed(points) if p.at <= at), None)
    out: list[Firing] = []
    for rule in now_rs.rules:
        if rule.kinds and area.rule_kind not in rule.kinds:
            continue
        if rule.within and area.nearest(rule.within) is None:
            continue
        if rule.occasion == "event":
            out.extend(_event_firings(versions, now_rs, rule, area, at, eff))
            continue
        if rule.level_at_least is None or eff is None or eff < rule.level_at_least:
            continue
        if rule.level_below is not None and eff >= rule.level_below:
            continue
        run = run_at(points, rule.level_at_least, at, hold)
        if run is None:  # pragma: no cover - eff >= level_at_least implies a live run
            continue
        day = run.day(at)
        if rule.day_min is not None and day < rule.day_min:
            continue
        if rule.day_max is not None and day > rule.day_max:
            continue
        if rule.days != "any" and rule.days != dtype:
            continue
        if local.time() < rule.from_:
            continue
        # The rules of the version in force when the run began (same rule id).
        began_rs = ruleset_in_force(versions, london_date(run.start)) or now_rs
        r = next((x for x in began_rs.rules if x.id == rule.id), rule)
        out.extend(_split(r, began_rs, area, run, eff, now_level, at, local, dtype))
    return out


def _context(area: AreaView, run: Run | None, eff: int | None, at: datetime) -> dict:
    return {
        "area": area.name,
        "level": eff,
        "day": run.day(at) if run else None,
        "since": fmt_when(run.start) if run else None,
        "system": area.nearest("system") or area.name,
        "ics": area.nearest("ics") or "",
    }


def _why(area: AreaView, run: Run, now_level: int | None, at: datetime, counts_days: bool) -> str:
    text = f"{area.name}: OPEL {run.level} since {fmt_when(run.start)}"
    if counts_days:
        text += f", Day {run.day(at)}"
    if run.stepping_down(at) and run.hold_until is not None:
        text += f"; stepping down (OPEL {now_level} now), hold until {fmt_when(run.hold_until)}"
    elif now_level is not None and now_level > run.level:
        text += f" (OPEL {now_level} now)"
    return text


def _split(rule: Rule, rs: RuleSet, area: AreaView, run: Run, eff, now_level, at, local, dtype) -> list[Firing]:
    day_start = _day_start(local.date())
    counts_days = rule.day_min is not None or rule.day_max is not None
    if rule.occasion == "day":
        occasion = local.date().isoformat()
        base_since = max(run.start, _wall(local.date(), rule.from_) if rule.from_ != time(0) else day_start)
    else:  # run
        occasion = run.start.astimezone(UTC).isoformat()
        base_since = run.start
    ctx = _context(area, run, eff, at)
    why = _why(area, run, now_level, at, counts_days)
    groups: dict[bool, list[Inclusion]] = {}
    for inc in rule.include:
        if inc.applies(local, dtype):
            groups.setdefault(inc.optional, []).append(inc)
    if not rule.include:
        groups = {False: []}
    elif not groups:
        return []  # every inclusion is for another day type or later in the day
    out = []
    for optional in sorted(groups):  # required first
        incs = groups[optional]
        since = base_since
        for inc in incs:
            if inc.from_ != time(0) and rule.occasion == "day":
                since = max(since, _wall(local.date(), inc.from_))
        key = rule.id + ("~optional" if optional and any(not i.optional for i in rule.include) else "")
        include = tuple(dict.fromkeys(_render(i.role, **ctx) for i in incs))
        out.append(Firing(
            rule_key=key, rule_id=rule.id, ruleset=rs.id, ruleset_version=rs.version, area=area.name,
            occasion=occasion, title=rule.title,
            message=_render(rule.message, include=" & ".join(include), **ctx)
            + (" (optional: as deemed helpful)" if optional else ""),
            why=why, include=include, optional=optional, since=since, until=None,
            day=run.day(at) if counts_days else None, level=eff, needs_ack=rule.needs_ack,
            calls=rule.calls, deadlines=rule.deadlines,
            stepping_down=run.stepping_down(at), hold_until=run.hold_until if run.stepping_down(at) else None,
        ))
    return out


def _event_firings(versions, now_rs: RuleSet, rule: Rule, area: AreaView, at, eff) -> list[Firing]:
    """Timed follow-ups: the k-th review falls due ``after + (k-1)*repeat`` after the event, while no
    ``stop_event`` came first. Only the latest due review is active (the earlier ones are history)."""
    if rule.event is None or rule.after is None:
        return []
    events = sorted((e for e in area.events if e.at <= at), key=lambda e: e.at)
    out = []
    for i, ev in enumerate(events):
        if ev.name != rule.event:
            continue
        # The follow-ups of this activation end at a stop event or at the next activation.
        ends = [e.at for e in events[i + 1:] if e.name in (rule.stop_event, rule.event)]
        stop = ends[0] if ends else None
        first_due = ev.at + rule.after
        if at < first_due or (stop is not None and stop <= first_due):
            continue
        k = 1
        if rule.repeat:
            k = 1 + int((at - first_due) // rule.repeat)
        due = first_due + (rule.repeat or timedelta(0)) * (k - 1)
        if stop is not None and stop <= due:
            continue  # stood down (or re-activated: that activation has its own reviews)
        nxt = due + rule.repeat if rule.repeat else None
        began_rs = ruleset_in_force(versions, london_date(ev.at)) or now_rs
        r = next((x for x in began_rs.rules if x.id == rule.id), rule)
        ctx = {"area": area.name, "level": eff, "day": None, "since": fmt_when(ev.at),
               "system": area.nearest("system") or area.name, "ics": area.nearest("ics") or "",
               "event_at": fmt_when(ev.at), "review": k}
        include = tuple(_render(i.role, **ctx) for i in r.include)
        out.append(Firing(
            rule_key=r.id, rule_id=r.id, ruleset=began_rs.id, ruleset_version=began_rs.version, area=area.name,
            occasion=f"{ev.at.astimezone(UTC).isoformat()}#{k}", title=r.title,
            message=_render(r.message, include=" & ".join(include), **ctx),
            why=f"{area.name}: {ev.name} at {fmt_when(ev.at)}; review {k} due {fmt_when(due)}",
            include=include, optional=False, since=due, until=nxt, day=None, level=eff,
            needs_ack=r.needs_ack, calls=r.calls, deadlines=r.deadlines, due_at=due,
        ))
    return out


def inclusion_text(f: Firing) -> str:
    """'East Kent: include STP (now Kent and Medway ICB) – Day 2 in OPEL 4 (optional)'."""
    who = " & ".join(f.include)
    text = f"{f.area}: include {who} – {f.title}" if who else f"{f.area}: {f.message}"
    if f.optional:
        text += " (optional: as deemed helpful)"
    return text


def inclusions_for_call(firings: Iterable[Firing], call_key: str) -> list[str]:
    """What the escalation call ``call_key`` (a schedule item key) must include, one line per firing."""
    return [inclusion_text(f) for f in firings if call_key in f.calls]


def needs_escalation_call(firings: Iterable[Firing], call_keys: Iterable[str], d: date,
                          bank_holiday: BankHolidayLookup | None = None) -> list[Firing]:
    """On a weekend or bank holiday with no scheduled escalation call (none of ``call_keys`` occurs on
    ``d``), the firings that name an escalation call: they need an "escalation call as needed"."""
    if day_type(d, bank_holiday) != "weekend" or list(call_keys):
        return []
    return [f for f in firings if f.calls]
