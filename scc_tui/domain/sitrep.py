"""The upward sitrep (pure): the position an ICS or the SCC sends up, cut at a time by a named person.

K&M STP Winter Approach (seed 004): "pre-emptive upwards briefing … limiting ad-hoc requests"; KCC ASC
OPEL plan v1.7 §3.1: "ICS must, in turn, submit this to NHSE regions". Each area's level, score, days at
level and trend; for an ICS or region its own level and the level it acts at (OPEL 3/4 actions when any
NHS provider below is at 3/4, seed 000 Appendix 4) with the reason; open escalation firings and
action-card items; the top risks of the register; today's decisions. Rendered as Markdown (80 columns),
CSV rows (for ``scc_tui.csvout``) or JSON.

No Textual, no SQL, no wall clock, no file I/O.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scc_tui.domain.clock import LONDON
from scc_tui.domain.text import inert

__all__ = ["SitrepArea", "SitrepDecision", "Sitrep", "render_markdown", "csv_rows", "CSV_HEADER", "WIDTH"]

WIDTH = 80
TREND_WORDS = {"up": "rising", "down": "falling", "same": "steady", "none": "—"}


@dataclass(frozen=True)
class SitrepArea:
    name: str
    kind: str
    depth: int
    level: int | None
    score: float | None
    max_score: float | None
    days_at_level: int | None
    trend: str
    stale: bool
    acts_at: int | None = None
    acts_because: tuple[str, ...] = ()

    @property
    def score_text(self) -> str:
        if self.score is None:
            return "—"
        s = f"{self.score:g}"
        return f"{s}/{self.max_score:g}" if self.max_score else s


@dataclass(frozen=True)
class SitrepDecision:
    seq: int
    at: datetime
    author: str
    text: str
    rationale: str | None


@dataclass
class Sitrep:
    at: datetime
    cut_by: str
    scope: str | None  # the ICS or region named with --area; None: every area
    areas: list[SitrepArea]
    firings: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    decisions: list[SitrepDecision] = field(default_factory=list)
    exercise: bool = False

    @property
    def scope_text(self) -> str:
        return self.scope or "every area"

    @property
    def cut_text(self) -> str:
        local = self.at.astimezone(LONDON)
        return f"cut {local:%a %d %b %Y %H:%M} ({local:%Z}) by {self.cut_by}"

    def to_json(self) -> dict[str, Any]:
        return {
            "cut_at": self.at.isoformat(),
            "cut_by": self.cut_by,
            "scope": self.scope,
            "exercise": self.exercise,
            "areas": [{"name": a.name, "kind": a.kind, "level": a.level, "score": a.score, "max_score": a.max_score,
                       "days_at_level": a.days_at_level, "trend": a.trend, "stale": a.stale, "acts_at": a.acts_at,
                       "acts_because": list(a.acts_because)} for a in self.areas],
            "escalations": list(self.firings),
            "actions": list(self.actions),
            "risks": list(self.risks),
            "decisions": [{"seq": d.seq, "at": d.at.isoformat(), "author": d.author, "text": d.text,
                           "rationale": d.rationale} for d in self.decisions],
        }


def _line(text: str) -> str:
    return " ".join(inert(text).split())


def _wrap(text: str, first: str = "- ", rest: str = "  ") -> list[str]:
    return textwrap.wrap(_line(text), WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False) or [first.rstrip()]


def _level(level: int | None) -> str:
    return f"OPEL {level}" if level is not None else "—"


def _area_name(a: SitrepArea, width: int) -> str:
    name = "  " * min(a.depth, 4) + _line(a.name)
    return name if len(name) <= width else name[:width - 1] + "…"


def render_markdown(s: Sitrep) -> str:
    """Markdown that reads as plain text in an 80-column terminal or an e-mail."""
    out: list[str] = []
    if s.exercise:
        out.append("**EXERCISE EXERCISE EXERCISE**\n")
    out += _wrap(f"# Sitrep: {s.scope_text}", "", "  ")
    out.append("")
    out += _wrap(f"{s.cut_text}.", "", "")
    groups = [a for a in s.areas if a.acts_at is not None]
    out.append("\n## Systems: own level and the level they act at\n")
    if groups:
        for a in groups:
            why = ", ".join(a.acts_because)
            out += _wrap(f"**{a.name}**: own level {_level(a.level)}; acts at {_level(a.acts_at)} because "
                         f"{why} (an NHS provider below is at OPEL 3 or 4)")
    else:
        out.append("- None acting at OPEL 3 or 4.")
    out.append("\n## Areas\n")
    # "Area" column fits what is left of 80 columns after the fixed ones.
    fixed = "| {} | OPEL 4 | 100/100 | 999 | falling | STALE |"
    name_w = max(12, WIDTH - len(fixed.format("")))
    out.append(f"| {'Area'.ljust(name_w)} | Level  | Score   | Day | Trend   | Stale |")
    out.append(f"|{'-' * (name_w + 2)}|--------|---------|-----|---------|-------|")
    for a in s.areas:
        out.append(f"| {_area_name(a, name_w).ljust(name_w)} | {_level(a.level):<6} | {a.score_text:<7} | "
                   f"{str(a.days_at_level or '—'):>3} | {TREND_WORDS.get(a.trend, a.trend):<7} | "
                   f"{'STALE' if a.stale else '':<5} |")
    out.append("\n## Open escalations and action cards\n")
    body = [ln for f in s.firings + s.actions for ln in _wrap(f)]
    out += body or ["- None."]
    out.append("\n## Top risks\n")
    out += [ln for r in s.risks for ln in _wrap(r)] or ["- None recorded."]
    out.append("\n## Decisions today\n")
    for d in s.decisions:
        out += _wrap(f"#{d.seq} {d.at.astimezone(LONDON):%H:%M} ({d.author}): {d.text}"
                     + (f" Rationale: {d.rationale}" if d.rationale else ""))
    if not s.decisions:
        out.append("- None.")
    return "\n".join(out) + "\n"


CSV_HEADER = ["Section", "Area", "Kind", "Level", "Score", "Max score", "Days at level", "Trend", "Acts at", "Detail"]


def csv_rows(s: Sitrep) -> list[list[Any]]:
    """One table: a first ``cut`` row (time and who), one row per area, then escalations, actions,
    risks and decisions as rows with their text in Detail."""
    rows: list[list[Any]] = [["cut", s.scope_text, "", "", "", "", "", "", "", s.cut_text]]
    if s.exercise:
        rows.append(["exercise", "", "", "", "", "", "", "", "", "EXERCISE EXERCISE EXERCISE"])
    for a in s.areas:
        rows.append(["area", a.name, a.kind, a.level, a.score, a.max_score, a.days_at_level, a.trend, a.acts_at,
                     ("acts at OPEL %d because %s" % (a.acts_at, ", ".join(a.acts_because))) if a.acts_at else
                     ("STALE" if a.stale else "")])
    rows += [["escalation", "", "", "", "", "", "", "", "", f] for f in s.firings]
    rows += [["action", "", "", "", "", "", "", "", "", x] for x in s.actions]
    rows += [["risk", "", "", "", "", "", "", "", "", r] for r in s.risks]
    rows += [["decision", "", "", "", "", "", "", "", "", f"#{d.seq} {d.at.astimezone(LONDON):%H:%M} ({d.author}): "
              f"{d.text}" + (f" Rationale: {d.rationale}" if d.rationale else "")] for d in s.decisions]
    return rows
