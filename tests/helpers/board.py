"""Board test data: real areas, assessments and declarations, written
through the store's API, at a fixed time (Monday 23 Nov 2026, 10:30 London) as a fixed user."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import func, select

from scc_tui.domain.clock import UTC
from tests.pilot import wait_until

BOARD_NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # GMT: London = UTC
USER = "test.user"
METHOD = "acute-2023"

KEYS = [
    "ambulance_handover_mins",
    "ed_4hr_pct",
    "ed_attendances_vs_expected_pct",
    "majors_resus_occupancy_pct",
    "time_to_treatment_mins",
    "over_12hr_in_ed_pct",
    "ga_bed_occupancy_pct",
    "escalation_beds_pct",
    "nctr_pct",
]
# Values (DOMAIN.md §3a) chosen to land in each level.
VALUES = {
    1: dict(zip(KEYS, [10, 96, 1, 70, 50, 1, 90, 1, 8])),  # 0 points
    2: dict(zip(KEYS, [20, 80, 5, 90, 70, 3, 93, 3, 11])),  # 13 points
    3: dict(zip(KEYS, [45, 70, 15, 110, 100, 6, 96, 5, 14])),  # 26 points
    4: dict(zip(KEYS, [70, 55, 25, 125, 130, 11, 99, 7, 16])),  # 44 points
}

# (name, kind, parent, method)
AREAS = [
    ("Kent and Medway ICS", "ics", None, None),
    ("East Kent", "system", "Kent and Medway ICS", None),
    ("William Harvey Hospital", "provider", "East Kent", METHOD),
    ("QEQM Hospital", "provider", "East Kent", METHOD),
    ("Kent & Canterbury Hospital", "provider", "East Kent", METHOD),
    ("West Kent", "system", "Kent and Medway ICS", None),
    ("Maidstone Hospital", "provider", "West Kent", METHOD),
    ("Tunbridge Wells Hospital", "provider", "West Kent", METHOD),
]

# (area, ISO time UTC, level of values, author)
ASSESSMENTS = [
    ("QEQM Hospital", "2026-11-21T09:10", 4, "a.lee"),
    ("QEQM Hospital", "2026-11-22T09:05", 4, "a.lee"),
    ("QEQM Hospital", "2026-11-23T08:50", 4, "a.lee"),
    ("William Harvey Hospital", "2026-11-22T09:00", 2, "j.smith"),
    ("William Harvey Hospital", "2026-11-23T09:15", 3, "j.smith"),
    ("Kent & Canterbury Hospital", "2026-11-22T09:30", 1, "j.smith"),  # nothing today: STALE
    ("Maidstone Hospital", "2026-11-22T09:20", 3, "b.khan"),
    ("Maidstone Hospital", "2026-11-23T09:40", 2, "b.khan"),
    ("Tunbridge Wells Hospital", "2026-11-23T09:05", 2, "b.khan"),
]
# (area, time, level, author, reason)
DECLARATIONS = [
    ("Tunbridge Wells Hospital", "2026-11-23T09:20", 3, "on.call", "Two wards closed (norovirus); computed score lags"),
    ("Kent and Medway ICS", "2026-11-23T09:45", 3, "scc.lead", "QEQM at OPEL 4: ICS acts at OPEL 3/4"),
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def store_api():
    """The store pieces the board fixtures write through (imported: a broken import fails, never skips)."""
    from scc_tui.store import assessments, queries

    return queries, assessments


def seed(store) -> dict[str, int]:
    from scc_tui.store.models import Area

    _, assessments = store_api()
    ids: dict[str, int] = {}
    with store.write() as session:
        for order, (name, kind, parent, method) in enumerate(AREAS):
            area = Area(
                name=name, key=name.casefold(), kind=kind, parent_id=ids.get(parent) if parent else None,
                method=method, sort_order=order, created_at=BOARD_NOW, updated_at=BOARD_NOW,
            )
            session.add(area)
            session.flush()
            ids[name] = area.id
    for name, when, level, author in ASSESSMENTS:
        assessments.record_assessment(store, name, VALUES[level], at(when), author, "tui")
    for name, when, level, author, reason in DECLARATIONS:
        assessments.record_declaration(store, name, level, at(when), author, reason, "tui")
    return ids


def seeded_board_store(path, clock):
    """A seeded SQLite database at ``path`` (the board's behaviour is backend-independent; the store's
    own tests cover PostgreSQL). The caller disposes of it."""
    from scc_tui.store.db import Store

    store = Store(f"sqlite:///{path}", clock)
    seed(store)
    return store


def make_app(store, clock, **kw):
    """The board app on ``store`` through the real seam (``DbSeam(store)``; a seam given is used as is)."""
    from scc_tui.app.app import SccApp
    from scc_tui.app.db_seam import DbSeam

    kw.setdefault("environ", {})
    return SccApp(store if isinstance(store, DbSeam) else DbSeam(store), clock, USER, **kw)


# Driving the board through Pilot.

def count(store, model) -> int:
    with store.read() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def status(app, name):
    return app.find_area(name)


async def open_board(pilot, app):
    from scc_tui.app.board.view import BoardView

    await wait_until(pilot, lambda: app.loaded)
    await pilot.pause()
    return app.screen.query_one(BoardView)


async def highlight(pilot, view, name):
    await pilot.press("home")
    for _ in range(len(view.items)):
        if view.current.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name} not on the board")
