"""The 18:00 handover summary (seed 004: "close down and handover to on-call").

Pure: built from plain data the caller gathers (statuses now and at the start of the day, the day's
moves between levels, prompt records, the day's log entries, the next day's first schedule items).
Rendered as Markdown or plain text.

**The handover's day** (:func:`handover_day`): the London date of ``at``, except before the SCC opens
(08:00; SCC hours 08:00–18:30, Staffordshire and Stoke-on-Trent System Surge Plan 2024/25) when the
night still belongs to the previous day's handover: at 00:20 on Tuesday the summary covers Monday (from
00:00 Monday to now) and its "next day" is Tuesday, not Wednesday.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Protocol, Sequence

from scc_tui.domain.clock import LONDON, london_date
from scc_tui.domain.text import inert


class _Status(Protocol):
    name: str
    kind: str
    level: int | None
    days_at_level: int | None
    stale: bool


#: Before this London time the night belongs to the previous day's handover (the SCC opens at 08:00).
DAY_OPENS = time(8, 0)


def handover_day(at: datetime) -> date:
    """The day a handover made at ``at`` covers (see the module doc)."""
    local = at.astimezone(LONDON)
    return local.date() - timedelta(days=1) if local.time() < DAY_OPENS else local.date()


def _collapse(levels: Iterable[int | None]) -> tuple[int | None, ...]:
    out: list[int | None] = []
    for lv in levels:
        if not out or out[-1] != lv:
            out.append(lv)
    return tuple(out)


@dataclass(frozen=True)
class AreaLine:
    name: str
    kind: str
    level: int | None
    level_at_start_of_day: int | None
    days_at_level: int | None
    stale: bool
    #: every level in force through the day, the start-of-day level first (repeats collapsed);
    #: empty when the caller gave no moves (then only the start and the end are compared)
    moves: tuple[int | None, ...] = ()

    @property
    def path(self) -> tuple[int | None, ...]:
        return _collapse((self.level_at_start_of_day, *self.moves[1:], self.level)) if self.moves else _collapse(
            (self.level_at_start_of_day, self.level))

    @property
    def change(self) -> str:
        a, b = self.level_at_start_of_day, self.level
        if b is None:
            return "no level"
        path = self.path
        if a is None:
            path = path[1:]
            if len(path) <= 1:
                return f"new today at OPEL {b}"
            return "new today: OPEL " + " → ".join(str(x) for x in path)
        if len(path) == 1:
            return "no change"
        word = " (up)" if b > a else " (down)" if b < a else " (back where it started)"
        return "OPEL " + " → ".join("—" if x is None else str(x) for x in path) + word


@dataclass(frozen=True)
class PromptLine:
    title: str
    due_at: datetime
    state: str  # "missed" | "not acknowledged"


@dataclass(frozen=True)
class EntryLine:
    seq: int
    recorded_at: datetime
    author: str
    kind: str
    text: str
    corrects_seq: int | None = None
    corrected_by: tuple[int, ...] = ()  # later entries that correct this one


@dataclass(frozen=True)
class ItemLine:
    title: str
    start: datetime


@dataclass
class Handover:
    at: datetime
    areas: list[AreaLine]
    prompts: list[PromptLine]
    decisions: list[EntryLine]
    tomorrow: list[ItemLine]
    exercise: bool = False
    escalations: list[str] = field(default_factory=list)  # filled when escalation rules arrive
    log_head: tuple[int, str] | None = None  # (seq, hash) of the log when the handover was made
    day: date | None = None  # the day it covers (:func:`handover_day`)
    logged: int | None = None  # every entry logged in the day so far, of any kind (listed or not)
    risks: list[str] = field(default_factory=list)  # top risks of the register, highest residual first

    @property
    def next_day(self) -> date:
        return (self.day or handover_day(self.at)) + timedelta(days=1)

    @property
    def logged_count(self) -> int:
        return self.logged if self.logged is not None else len(self.decisions)

    @property
    def pressured(self) -> list[AreaLine]:
        """Areas at OPEL 3 or 4, worst first, then longest at level."""
        rows = [a for a in self.areas if a.level is not None and a.level >= 3]
        return sorted(rows, key=lambda a: (-(a.level or 0), -(a.days_at_level or 0), a.name))

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "exercise": self.exercise,
            "areas": [
                {
                    "name": a.name,
                    "kind": a.kind,
                    "level": a.level,
                    "level_at_start_of_day": a.level_at_start_of_day,
                    "change": a.change,
                    "moves": list(a.path),
                    "days_at_level": a.days_at_level,
                    "stale": a.stale,
                }
                for a in self.areas
            ],
            "opel_3_4": [a.name for a in self.pressured],
            "prompts": [{"title": p.title, "due_at": p.due_at.isoformat(), "state": p.state} for p in self.prompts],
            "decisions": [
                {"seq": d.seq, "recorded_at": d.recorded_at.isoformat(), "author": d.author, "kind": d.kind,
                 "text": d.text, "corrects_seq": d.corrects_seq, "corrected_by": list(d.corrected_by)}
                for d in self.decisions
            ],
            "day": (self.day or handover_day(self.at)).isoformat(),
            "logged": self.logged_count,
            "next_day": self.next_day.isoformat(),
            "tomorrow": [{"title": t.title, "start": t.start.isoformat()} for t in self.tomorrow],
            "escalations": list(self.escalations),
            "risks": list(self.risks),
            "log_head": {"seq": self.log_head[0], "hash": self.log_head[1]} if self.log_head else None,
        }


def build_handover(
    at: datetime,
    statuses: Iterable[_Status],
    start_of_day_levels: dict[str, int | None],
    prompts: Iterable[PromptLine],
    entries: Iterable[EntryLine],
    tomorrow: Sequence[ItemLine],
    *,
    exercise: bool = False,
    first_items: int = 4,
    log_head: tuple[int, str] | None = None,
    moves: dict[str, Sequence[int | None]] | None = None,
    logged: int | None = None,
) -> Handover:
    """Assemble the summary. Only scored areas (with a level or a method) are listed. ``moves``: each
    area's levels through the day in order (from :func:`day_moves`); ``logged``: how many entries of
    any kind were logged in the day (the listed kinds are a subset)."""
    moves = moves or {}
    areas = [
        AreaLine(
            name=s.name,
            kind=s.kind,
            level=s.level,
            level_at_start_of_day=start_of_day_levels.get(s.name),
            days_at_level=s.days_at_level,
            stale=s.stale,
            moves=_collapse((start_of_day_levels.get(s.name), *moves.get(s.name, ()))) if s.name in moves else (),
        )
        for s in statuses
        if s.kind not in ("region", "ics", "system") or s.level is not None
    ]
    day = handover_day(at)
    decisions = [e for e in entries if day <= london_date(e.recorded_at) and e.recorded_at <= at]
    return Handover(
        at=at,
        areas=areas,
        prompts=sorted(prompts, key=lambda p: p.due_at),
        decisions=sorted(decisions, key=lambda e: e.seq),
        tomorrow=sorted(tomorrow, key=lambda t: t.start)[:first_items],
        exercise=exercise,
        log_head=log_head,
        day=day,
        logged=logged,
    )


def _hm(dt: datetime) -> str:
    return dt.astimezone(LONDON).strftime("%H:%M")


def _level(level: int | None) -> str:
    return f"OPEL {level}" if level is not None else "—"


def _cell(text: str) -> str:
    """One line of stored text for Markdown/text: inert (control characters shown as ``\\x1b``), pipes escaped."""
    return " ".join(inert(text).split()).replace("|", "\\|")


def _corr(d: EntryLine) -> str:
    parts = []
    if d.corrects_seq is not None:
        parts.append(f"corrects #{d.corrects_seq}")
    if d.corrected_by:
        parts.append("corrected by " + ", ".join(f"#{n}" for n in d.corrected_by))
    return f" ({'; '.join(parts)})" if parts else ""


def _next_day_words(h: Handover) -> str:
    nd = h.next_day
    today = h.at.astimezone(LONDON).date()
    rel = "today" if nd == today else "tomorrow" if nd == today + timedelta(days=1) else None
    return f"{rel}, {nd:%A %d %B}" if rel else f"{nd:%A %d %B}"


def render_markdown(h: Handover) -> str:
    local = h.at.astimezone(LONDON)
    out: list[str] = []
    if h.exercise:
        out.append("**EXERCISE EXERCISE EXERCISE**\n")
    out.append(f"# SCC handover — {local:%A %d %B %Y %H:%M} ({local:%Z})\n")
    out.append("## Areas at OPEL 3 or 4\n")
    if h.pressured:
        out += [f"- **{_cell(a.name)}**: {_level(a.level)}, day {a.days_at_level or '?'} at level"
                + (f"; today {a.change}" if len(a.path) > 2 else "") for a in h.pressured]
    else:
        out.append("- None.")
    out.append("\n## Every area: level and change today\n")
    out.append("| Area | Level | Today | Day at level | Stale |")
    out.append("|---|---|---|---|---|")
    for a in h.areas:
        out.append(
            f"| {_cell(a.name)} | {_level(a.level)} | {a.change} | {a.days_at_level or '—'} | {'STALE' if a.stale else ''} |"
        )
    out.append("\n## Prompts missed or not acknowledged\n")
    out += [f"- {_hm(p.due_at)} {_cell(p.title)} — {p.state}" for p in h.prompts] or ["- None."]
    out.append("\n## Decisions and actions logged today\n")
    n, listed = h.logged_count, len(h.decisions)
    if n != listed:
        out.append(f"{n} entr{'y' if n == 1 else 'ies'} logged today, {listed} listed here; the other {n - listed} "
                   "(prompt acknowledgements, reviews, configuration, handovers) are in `scc log list`.\n")
    out += [f"- #{d.seq} {_hm(d.recorded_at)} {_cell(d.kind)} ({_cell(d.author)}): {_cell(d.text)}{_corr(d)}"
            for d in h.decisions] or ["- None."]
    out.append("\n## Open escalations and action cards\n")
    out += [f"- {_cell(e)}" for e in h.escalations] or ["- None recorded."]
    if h.risks:
        out.append("\n## Top risks (risk register, highest residual score first)\n")
        out += [f"- {_cell(r)}" for r in h.risks]
    out.append(f"\n## First items {_next_day_words(h)}\n")
    out += [f"- {t.start.astimezone(LONDON):%a %H:%M} {_cell(t.title)}" for t in h.tomorrow] or ["- None scheduled."]
    if h.log_head is not None:
        seq, digest = h.log_head
        out.append("\n## Log head\n")
        out.append(f"- #{seq} `{_cell(digest)}`: keep this (it is the log's anchor); later, "
                   f"`scc log verify --anchor {seq}:{_cell(digest)}` shows the log was not cut short or rewritten since.")
    return "\n".join(out) + "\n"


def render_text(h: Handover) -> str:
    """Plain text: the Markdown without its markup, for a terminal or an e-mail body."""
    md = render_markdown(h).splitlines()
    rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in md if line.startswith("|") and not line.startswith("|---")]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))] if rows else []
    lines = []
    for line in md:
        if line.startswith("|---"):
            continue
        line = line.replace("**", "").lstrip("# ")
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")]
            line = "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
        lines.append(line)
    return "\n".join(lines) + "\n"
