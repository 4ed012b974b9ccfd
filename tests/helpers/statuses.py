"""Area statuses for app tests that need no database: the real :class:`AreaStatus` (the type the store
returns), built with a board's defaults — a provider on the acute method, not stale — and a fixed ``NOW``.

``area_status`` takes the fields in :class:`AreaStatus`'s order (``area_id``, ``name``, ``kind``,
``parent_id``, ``method``, ``level`` … ``updated_by``); the rest (``short_name``, ``due_by``,
``hold_level``, the escalation ``badge``/``escalation_line`` …) by keyword.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from scc_tui.domain.clock import UTC
from scc_tui.domain.status import AreaStatus

__all__ = ["NOW", "area_status", "bump", "sample"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def area_status(area_id: int, name: str, kind: str = "provider", parent_id: int | None = None,
                method: str | None = "acute-2023", level: int | None = None,
                computed_level: int | None = None, declared_level: int | None = None,
                score: float | None = None, max_score: float | None = None, since: datetime | None = None,
                days_at_level: int | None = None, previous_level: int | None = None, trend: str = "none",
                last_update: datetime | None = None, stale: bool = False, updated_by: str | None = None,
                **more: Any) -> AreaStatus:
    """An :class:`AreaStatus` (``stale`` is False unless given: the store's default is True)."""
    return AreaStatus(area_id=area_id, name=name, kind=kind, parent_id=parent_id, method=method, level=level,
                      computed_level=computed_level, declared_level=declared_level, score=score,
                      max_score=max_score, since=since, days_at_level=days_at_level,
                      previous_level=previous_level, trend=trend, last_update=last_update, stale=stale,
                      updated_by=updated_by, **more)


def sample(n_extra: int = 0) -> list[AreaStatus]:
    t = NOW - timedelta(minutes=48)
    rows = [
        area_status(1, "Kent and Medway ICS", "ics", None, None),
        area_status(2, "East Kent", "system", 1, None),
        area_status(3, "William Harvey Hospital", "provider", 2, "acute-2023", 3, 3, None, 27, 44, t, 2, 2, "up", t, False, "jsmith"),
        area_status(4, "QEQM Hospital", "provider", 2, "acute-2023", 4, 3, 4, 31, 44, t, 3, 3, "up", t, False, "alee"),
        area_status(5, "Kent & Canterbury Hospital", "provider", 2, "acute-2023", 1, 1, None, 6, 44, t, 5, 1, "same", NOW - timedelta(days=1, hours=2), True, "jsmith"),
        area_status(6, "West Kent", "system", 1, None),
        area_status(7, "Maidstone Hospital", "provider", 6, "acute-2023", 2, 2, None, 14, 44, t, 1, 3, "down", t, False, "bkhan"),
        area_status(8, "Tunbridge Wells Hospital", "provider", 6, "acute-2023"),
    ]
    for i in range(n_extra):
        lvl = (i % 4) + 1
        rows.append(area_status(100 + i, f"Provider {i:03d}", "provider", 6, "acute-2023", lvl, lvl, None, lvl * 9, 44, t, 1, None, "none", t, i % 7 == 0, "u"))
    return rows


def bump(statuses: list[AreaStatus], area_id: int, **changes) -> list[AreaStatus]:
    """The statuses with one area's fields changed (new objects for that area; the others as they were)."""
    return [replace(s, **changes) if s.area_id == area_id else s for s in statuses]
