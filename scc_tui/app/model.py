"""The board's data model: pure functions over ``AreaStatus``-shaped objects. No Textual, no SQL.

The board shows, in hierarchy order, every area as either a *group* (an area with children: an ICS,
a system, a provider with local-authority areas) or a *tile* (a leaf). A group carries a summary of
its descendants: the worst level, and whether the ICS "acts at OPEL 3/4" because a single provider
is at 3 or 4 (DOMAIN.md §3b).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Protocol, Sequence

from scc_tui.domain.clock import LONDON, london_date

TREND_ARROWS = {"up": "↑", "down": "↓", "same": "→", "none": " "}
TREND_WORDS = {"up": "rising", "down": "falling", "same": "steady", "none": ""}


class StatusLike(Protocol):
    area_id: int
    name: str
    kind: str
    parent_id: int | None
    method: str | None
    level: int | None
    computed_level: int | None
    declared_level: int | None
    score: float | None
    max_score: float | None
    since: datetime | None
    days_at_level: int | None
    previous_level: int | None
    trend: str
    last_update: datetime | None
    stale: bool
    updated_by: str | None


@dataclass(frozen=True)
class GroupSummary:
    worst: int | None
    acts_at: int | None  # 3 or 4 when any descendant is at 3/4, else None
    because: tuple[str, ...] = ()  # the descendants that make the group act at acts_at
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # how many descendants at OPEL 1..4
    stale: int = 0  # descendants overdue

    def text(self) -> str:
        if self.acts_at is not None:
            names = ", ".join(self.because[:2]) + (f" +{len(self.because) - 2}" if len(self.because) > 2 else "")
            return f"acts at OPEL {self.acts_at} because {names}"
        if self.worst is not None:
            return f"worst OPEL {self.worst}"
        return "no levels yet"


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


def aggregate_levels(levels: dict[str, int | None]) -> GroupSummary:
    """Worst level and the ICS rule; uses ``scoring.aggregate`` when it is available."""
    present = {k: v for k, v in levels.items() if v is not None}
    counts = [0, 0, 0, 0]
    for v in present.values():
        if 1 <= v <= 4:
            counts[v - 1] += 1
    worst = max(present.values()) if present else None
    acts_at: int | None = None
    because: tuple[str, ...] = ()
    try:  # the scoring engine owns the rule; fall back to its documented meaning
        from scc_tui.domain.scoring import aggregate  # type: ignore[attr-defined]

        result = aggregate(levels)
        acts_at = getattr(result, "acts_at", None)
        because = tuple(getattr(result, "because", ()) or ())
        if acts_at is None and worst is not None and worst >= 3:
            acts_at = worst
    except Exception:  # noqa: BLE001 - missing module or different shape: use the rule as documented
        pass
    if acts_at is None and worst is not None and worst >= 3:
        acts_at = worst
    if acts_at is not None and not because:
        because = tuple(k for k, v in present.items() if v == acts_at)
    return GroupSummary(worst=worst, acts_at=acts_at, because=because, counts=tuple(counts))  # type: ignore[arg-type]


def build_board(statuses: Sequence[StatusLike]) -> Board:
    """Order statuses as a tree (parents before children, input order among siblings)."""
    by_id = {s.area_id: s for s in statuses}
    children: dict[int | None, list[StatusLike]] = {}
    for s in statuses:
        parent = s.parent_id if s.parent_id in by_id else None
        children.setdefault(parent, []).append(s)
    board = Board()

    def descendants(area_id: int) -> Iterable[StatusLike]:
        for c in children.get(area_id, ()):
            yield c
            yield from descendants(c.area_id)

    def walk(parent: int | None, depth: int, ancestors: tuple[int, ...]) -> None:
        for s in children.get(parent, ()):
            is_group = bool(children.get(s.area_id))
            summary = None
            if is_group:
                desc = list(descendants(s.area_id))
                summary = aggregate_levels({d.name: d.level for d in desc if not children.get(d.area_id)})
                summary = GroupSummary(
                    worst=summary.worst,
                    acts_at=summary.acts_at,
                    because=summary.because,
                    counts=summary.counts,
                    stale=sum(1 for d in desc if d.stale and not children.get(d.area_id)),
                )
            item = BoardItem(status=s, depth=depth, is_group=is_group, summary=summary, parent_ids=ancestors)
            board.items.append(item)
            board.by_id[s.area_id] = item
            walk(s.area_id, depth + 1, ancestors + (s.area_id,))

    walk(None, 0, ())
    return board


def status_key(s: StatusLike) -> tuple:
    """What the board shows of a status: equal keys mean nothing visible changed."""
    return (
        s.name, s.kind, s.parent_id, s.level, s.computed_level, s.declared_level, s.score, s.max_score,
        s.days_at_level, s.trend, s.last_update, s.stale, s.updated_by, s.since,
    )


def changed_ids(old: Sequence[StatusLike], new: Sequence[StatusLike]) -> set[int] | None:
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


def fmt_day(status: StatusLike) -> str:
    if status.level is None or not status.days_at_level:
        return ""
    return f"Day {status.days_at_level} at OPEL {status.level}"


def fmt_trend(status: StatusLike) -> str:
    return TREND_ARROWS.get(status.trend or "none", " ")


def describe(status: StatusLike, now: datetime) -> str:
    """A one-line plain-text description (for screen readers, notifications and tests)."""
    parts = [status.name, fmt_level(status.level), fmt_score(status.score, status.max_score)]
    if day := fmt_day(status):
        parts.append(day)
    if status.trend in ("up", "down", "same"):
        parts.append(TREND_WORDS[status.trend])
    parts.append("updated " + fmt_when(status.last_update, now))
    if status.stale:
        parts.append("STALE")
    return ", ".join(parts)
