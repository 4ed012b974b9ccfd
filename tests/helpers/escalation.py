"""Escalation test helpers: London times, a declaration written straight to the store, and the demo areas
with East Kent and QEQM Hospital at OPEL 4 since Monday 30 November 2026 09:10."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from scc_tui.domain.clock import LONDON, FixedClock
from scc_tui.store.areas import import_areas
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.models import Declaration
from scc_tui.store.queries import find_area

ROOT = Path(__file__).resolve().parents[2]
DEMO_AREAS = ROOT / "scc_tui" / "data" / "areas" / "demo.toml"


def L(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def declare(store, name: str, at: str, level: int) -> None:
    with store.write() as s:
        area = find_area(s, name)
        s.add(Declaration(area_id=area.id, declared_at=L(at), recorded_at=L(at), level=level, author="mgr",
                          reason="test"))


def seeded(db_url: str, now: str) -> Store:
    st = Store(resolve_url(db_url), FixedClock(L(now)))
    import_areas(st, DEMO_AREAS, author="test", log=False)
    declare(st, "East Kent", "2026-11-30T09:10", 4)  # Mon 09:10
    declare(st, "QEQM Hospital", "2026-11-30T09:10", 4)
    return st
