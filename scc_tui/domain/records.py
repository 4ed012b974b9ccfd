"""What is recorded about one area, as plain data: the detail screen's read (``store.queries.area_detail``).

No SQL here and no rules: the store fills these from its rows; the app re-scores the stored values
through :mod:`scc_tui.domain.scoring` to show each parameter's points and band.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = ["AreaRecords", "AssessmentFacts", "DeclarationFacts"]


@dataclass(frozen=True)
class AssessmentFacts:
    """The assessment in force: the values as entered, who, when, under which bands."""

    method: str
    values: dict[str, Any]
    assessed_at: datetime
    author: str
    source: str | None = None
    plan_version: str | None = None


@dataclass(frozen=True)
class DeclarationFacts:
    """The latest declaration at or before the read."""

    level: int
    declared_at: datetime
    author: str
    computed_level: int | None = None
    reason: str | None = None


@dataclass
class AreaRecords:
    """One area's records at an instant. ``name`` is None when no such area exists (any more)."""

    area_id: int
    name: str | None
    plan_area: str | None = None  # the label the scoring plan knows the area by (e.g. "Swale")
    assessment: AssessmentFacts | None = None
    declaration: DeclarationFacts | None = None
    history: list[tuple[date, int | None]] = field(default_factory=list)  # level at each day's end
    scores: list[tuple[date, float | None, float | None]] = field(default_factory=list)  # (day, score, max)
    escalations: list[Any] = field(default_factory=list)  # store.escalations.ActiveFiring for this area
    actions: list[Any] = field(default_factory=list)  # domain.actions.DueAction for this area
    problems: list[str] = field(default_factory=list)  # e.g. the escalation rules did not evaluate
