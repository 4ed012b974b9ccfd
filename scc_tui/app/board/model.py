"""The board's data model: pure functions over ``AreaStatus``-shaped objects. No Textual, no SQL.

The board shows, in hierarchy order, every area as either a *group* (an area with children: an ICS,
a system, a council with its local-authority areas) or a *tile* (a leaf). A group carries the
domain's view of the areas below it (:func:`scc_tui.domain.groups.group_views`): the worst level,
whether it "acts at OPEL 3/4" because a single NHS provider is at 3 or 4, a council's suggested
level, and how many areas below are overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

from scc_tui.domain.clock import LONDON, london_date
from scc_tui.domain.groups import GroupView, group_views
from scc_tui.domain.status import AreaStatus

TREND_ARROWS = {"up": "↑", "down": "↓", "same": "→", "none": " "}
TREND_WORDS = {"up": "rising", "down": "falling", "same": "steady", "none": ""}


#: What a group row shows: the domain's view (acts at OPEL 3/4 because …, a council's suggestion, the
#: stale count). One rule for every screen and ``scc status``: :mod:`scc_tui.domain.groups`.
GroupSummary = GroupView


@dataclass
class BoardItem:
    """One cursor stop on the board: a group header or an area tile."""

    status: Any
    depth: int
    is_group: bool
    summary: GroupSummary | None = None
    parent_ids: tuple[int, ...] = ()  # ancestors, outermost first

    @property
    def area_id(self) -> int:
        return self.status.area_id

    @property
    def name(self) -> str:
        return self.status.name


@dataclass
class Board:
    items: list[BoardItem] = field(default_factory=list)
    by_id: dict[int, BoardItem] = field(default_factory=dict)


def build_board(statuses: Sequence[AreaStatus]) -> Board:
    """Order statuses as a tree: parents before children; among siblings, areas with nothing under
    them first, then groups, each in input order."""
    from scc_tui.domain.hierarchy import bounded_parents

    # Bounded (see domain.hierarchy): no recursion deeper than MAX_DEPTH, cycles cut, no area hidden.
    parents = bounded_parents({s.area_id: s.parent_id for s in statuses})
    children: dict[int | None, list[AreaStatus]] = {}
    for s in statuses:
        children.setdefault(parents[s.area_id], []).append(s)
    board = Board()
    views = group_views(statuses)  # the domain's rule; an error here is an error on the board

    def walk(parent: int | None, depth: int, ancestors: tuple[int, ...]) -> None:
        # A group's own areas (e.g. providers serving the whole ICS: ambulance, community, mental
        # health, 111) come straight under its heading, before its sub-groups; otherwise the tile
        # grid would show them under the last system's heading.
        for s in sorted(children.get(parent, ()), key=lambda c: bool(children.get(c.area_id))):
            is_group = bool(children.get(s.area_id))
            summary = views[s.area_id] if is_group else None
            item = BoardItem(status=s, depth=depth, is_group=is_group, summary=summary, parent_ids=ancestors)
            board.items.append(item)
            board.by_id[s.area_id] = item
            walk(s.area_id, depth + 1, ancestors + (s.area_id,))

    walk(None, 0, ())
    return board


def status_key(s: AreaStatus) -> tuple:
    """What the board shows of a status: equal keys mean nothing visible changed."""
    return (
        s.name, s.kind, s.parent_id, s.level, s.computed_level, s.declared_level, s.score, s.max_score,
        s.days_at_level, s.trend, s.last_update, s.stale, s.updated_by, s.since,
        s.hold_level, s.hold_until, s.badge, s.escalation_line, s.action_progress,
    )


def changed_ids(old: Sequence[AreaStatus], new: Sequence[AreaStatus]) -> set[int] | None:
    """Area ids whose visible status changed, or None when the set or order of areas changed."""
    if [s.area_id for s in old] != [s.area_id for s in new] or [s.parent_id for s in old] != [
        s.parent_id for s in new
    ]:
        return None
    return {n.area_id for o, n in zip(old, new) if status_key(o) != status_key(n)}


# ---------------------------------------------------------------- filtering


def parse_level_query(query: str) -> int | None:
    q = query.strip().lower().replace("opel", "").strip()
    if q in ("1", "2", "3", "4"):
        return int(q)
    return None


def matches(item: BoardItem, query: str) -> bool:
    q = query.strip().lower()
    if not q:
        return True
    level = parse_level_query(q)
    if level is not None:
        return item.status.level == level
    if q == "stale":
        return bool(item.status.stale)
    return q in item.status.name.lower()


def filter_items(board: Board, query: str) -> list[BoardItem]:
    """Items matching the query, with their ancestors for context (a matching group keeps its children)."""
    if not query.strip():
        return list(board.items)
    keep: set[int] = set()
    for item in board.items:
        if matches(item, query) or any(a in keep and board.by_id[a].is_group and _name_hit(board.by_id[a], query)
                                       for a in item.parent_ids):
            keep.add(item.area_id)
            keep.update(item.parent_ids)
    return [i for i in board.items if i.area_id in keep]


def _name_hit(item: BoardItem, query: str) -> bool:
    return parse_level_query(query) is None and query.strip().lower() in item.status.name.lower()


# ---------------------------------------------------------------- formatting


def fmt_number(x: float) -> str:
    if abs(x - round(x)) < 0.05:
        return str(int(round(x)))
    return f"{x:.1f}"


def fmt_score(score: float | None, max_score: float | None) -> str:
    if score is None:
        return "—"
    if max_score is None:
        return fmt_number(score)
    return f"{fmt_number(score)}/{fmt_number(max_score)}"


def fmt_level(level: int | None) -> str:
    return f"OPEL {level}" if level is not None else "no level"


def fmt_when(instant: datetime | None, now: datetime, *, short: bool = False) -> str:
    """HH:MM Europe/London today, else '22 Nov 18:05' (or '22 Nov' when short)."""
    if instant is None:
        return "—"
    local = instant.astimezone(LONDON)
    if london_date(instant) == london_date(now):
        return local.strftime("%H:%M")
    if short:
        return f"{local.day} {local.strftime('%b')}"
    return f"{local.day} {local.strftime('%b %H:%M')}"


def fmt_day(status: AreaStatus) -> str:
    if status.level is None or not status.days_at_level:
        return ""
    return f"Day {status.days_at_level} at OPEL {status.level}"


def fmt_hold(status: AreaStatus, *, short: bool = False) -> str:
    """'stepping down – hold until Tue 10:30' while a higher level is in its de-escalation hold
    (KCC ASC OPEL plan v1.8 §8; scc_tui.domain.escalation); '' otherwise."""
    level, until = status.hold_level, status.hold_until
    if level is None or until is None:
        return ""
    when = f"{until.astimezone(LONDON):%a %H:%M}"
    if short:
        return f"stepping down – hold until {when}"
    return f"stepping down from OPEL {level} – hold until {when}"


def fmt_trend(status: AreaStatus) -> str:
    return TREND_ARROWS.get(status.trend or "none", " ")


def describe(status: AreaStatus, now: datetime) -> str:
    """A one-line plain-text description (for screen readers, notifications and tests)."""
    parts = [status.name, fmt_level(status.level), fmt_score(status.score, status.max_score)]
    if day := fmt_day(status):
        parts.append(day)
    if hold := fmt_hold(status):
        parts.append(hold)
    if status.trend in ("up", "down", "same"):
        parts.append(TREND_WORDS[status.trend])
    parts.append("updated " + fmt_when(status.last_update, now))
    if status.stale:
        parts.append("STALE")
    return ", ".join(parts)
