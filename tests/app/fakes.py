"""AreaStatus-shaped objects for widget tests that need no database."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from scc_tui.domain.clock import UTC

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class FakeStatus:
    area_id: int
    name: str
    kind: str = "provider"
    parent_id: int | None = None
    method: str | None = "acute-2023"
    level: int | None = None
    computed_level: int | None = None
    declared_level: int | None = None
    score: float | None = None
    max_score: float | None = None
    since: datetime | None = None
    days_at_level: int | None = None
    previous_level: int | None = None
    trend: str = "none"
    last_update: datetime | None = None
    stale: bool = False
    updated_by: str | None = None
    short_name: str | None = None


def sample(n_extra: int = 0) -> list[FakeStatus]:
    t = NOW - timedelta(minutes=48)
    rows = [
        FakeStatus(1, "Kent and Medway ICS", "ics", None, None),
        FakeStatus(2, "East Kent", "system", 1, None),
        FakeStatus(3, "William Harvey Hospital", "provider", 2, "acute-2023", 3, 3, None, 27, 44, t, 2, 2, "up", t, False, "jsmith"),
        FakeStatus(4, "QEQM Hospital", "provider", 2, "acute-2023", 4, 3, 4, 31, 44, t, 3, 3, "up", t, False, "alee"),
        FakeStatus(5, "Kent & Canterbury Hospital", "provider", 2, "acute-2023", 1, 1, None, 6, 44, t, 5, 1, "same", NOW - timedelta(days=1, hours=2), True, "jsmith"),
        FakeStatus(6, "West Kent", "system", 1, None),
        FakeStatus(7, "Maidstone Hospital", "provider", 6, "acute-2023", 2, 2, None, 14, 44, t, 1, 3, "down", t, False, "bkhan"),
        FakeStatus(8, "Tunbridge Wells Hospital", "provider", 6, "acute-2023"),
    ]
    for i in range(n_extra):
        lvl = (i % 4) + 1
        rows.append(FakeStatus(100 + i, f"Provider {i:03d}", "provider", 6, "acute-2023", lvl, lvl, None, lvl * 9, 44, t, 1, None, "none", t, i % 7 == 0, "u"))
    return rows


def bump(statuses: list[FakeStatus], area_id: int, **changes) -> list[FakeStatus]:
    return [replace(s, **changes) if s.area_id == area_id else s for s in statuses]
