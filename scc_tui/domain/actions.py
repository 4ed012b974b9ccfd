"""Action cards (pure): which actions are due for an area, and progress ("OPEL 3 actions 4/14").

A card lists actions per level (KCC ASC OPEL plan v1.8 Appendix 3; v1.7 Appendix 2). A level may
continue lower levels ("Continue with Level Two Actions", plan §8). When an area's run at a level
begins (:mod:`scc_tui.domain.escalation`: with the de-escalation hold), that level's items fall due;
they stay due while the run lasts. Each due item is identified by (card, area, item, occasion) where
the occasion is the run's start: a new run makes the items due again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping, Sequence

from scc_tui.domain.clock import UTC, london_date
from scc_tui.domain.escalation import DEFAULT_HOLD, AreaView, effective_level, run_at, version_in_force

__all__ = ["ActionItem", "CardLevel", "ActionCard", "DueAction", "card_in_force", "due_actions", "progress",
           "Mark"]


@dataclass(frozen=True)
class ActionItem:
    id: str
    text: str
    role: str = ""
    note: str = ""


@dataclass(frozen=True)
class CardLevel:
    level: int
    items: tuple[ActionItem, ...]
    continues: tuple[int, ...] = ()


@dataclass(frozen=True)
class ActionCard:
    id: str
    version: str
    title: str
    seed: str
    effective_from: date
    scope: str
    kinds: tuple[str, ...]
    levels: tuple[CardLevel, ...]
    in_source: bool = True
    effective_to: date | None = None
    judgement: str = ""
    source: str = ""

    def level(self, n: int) -> CardLevel | None:
        return next((lv for lv in self.levels if lv.level == n), None)


def card_in_force(versions: Sequence[ActionCard], d: date) -> ActionCard | None:
    """The card version in force on London date ``d``, chosen as rule sets are (one rule, one place)."""
    return version_in_force(versions, d)


@dataclass(frozen=True)
class Mark:
    """An item marked done or not applicable (with a reason), by a named user."""

    status: str  # done | na
    by: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class DueAction:
    card: str
    card_version: str  # the version in force when the run began
    area: str
    level: int
    item: ActionItem
    occasion: str  # the run's start (UTC ISO)
    since: datetime
    mark: Mark | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.card, self.area, self.item.id, self.occasion)

    @property
    def open(self) -> bool:
        return self.mark is None

    def to_json(self) -> dict:
        return {
            "area": self.area, "card": f"{self.card} {self.card_version}", "level": self.level, "item": self.item.id,
            "text": self.item.text, "since": self.since.astimezone(UTC).isoformat(), "occasion": self.occasion,
            "status": self.mark.status if self.mark else "due",
            "by": self.mark.by if self.mark else None,
            "at": self.mark.at.astimezone(UTC).isoformat() if self.mark else None,
            "reason": self.mark.reason if self.mark else None,
        }


def due_actions(cards: Sequence[ActionCard], areas: Iterable[AreaView], at: datetime, *,
                hold: timedelta = DEFAULT_HOLD,
                marks: Mapping[tuple[str, str, str, str], Mark] | None = None) -> list[DueAction]:
    """Every card item due at ``at`` (one per level whose run is live), with its mark if any."""
    marks = marks or {}
    by_id: dict[str, list[ActionCard]] = {}
    for c in cards:
        by_id.setdefault(c.id, []).append(c)
    today = london_date(at)
    out: list[DueAction] = []
    for area in areas:
        points = list(area.points)
        eff = effective_level(points, at, hold)
        if eff is None:
            continue
        for versions in by_id.values():
            now_card = card_in_force(versions, today)
            if now_card is None or not now_card.in_source or not area.under(now_card.scope):
                continue
            if now_card.kinds and area.rule_kind not in now_card.kinds:
                continue
            for n in range(2, eff + 1):
                run = run_at(points, n, at, hold)
                if run is None:
                    continue
                card = card_in_force(versions, london_date(run.start)) or now_card
                lv = card.level(n)
                if lv is None:
                    continue
                occ = run.start.astimezone(UTC).isoformat()
                for item in lv.items:
                    d = DueAction(card.id, card.version, area.name, n, item, occ, run.start)
                    m = marks.get(d.key)
                    out.append(d if m is None else DueAction(d.card, d.card_version, d.area, n, item, occ, run.start, m))
    return out


def progress(due: Iterable[DueAction], area: str) -> str:
    """'OPEL 3 actions 4/14' for the area's highest level with items due; '' if none."""
    rows = [d for d in due if d.area == area]
    if not rows:
        return ""
    top = max(d.level for d in rows)
    mine = [d for d in rows if d.level == top]
    closed = sum(1 for d in mine if d.mark is not None)
    return f"OPEL {top} actions {closed}/{len(mine)}"
