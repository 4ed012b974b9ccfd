"""Snapshots of the log screen and the decision form at 80x24 and 160x50.

Fixed data (``tests.helpers.log.seed_log``), fixed clock (Mon 23 Nov 2026 09:00 GMT), fixed user (jsmith),
SQLite only. Review the SVGs as pictures when they change (``pytest --snapshot-update``)."""

from __future__ import annotations

import pytest

from tests.helpers.log import Harness
from tests.pilot import wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


async def ready(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.log_screen is not None and pilot.app.log_screen.loaded
                   and not pilot.app.log_screen.loading)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_log_screen(seeded_sqlite, snap_compare, size):
    """Newest first; corrections, a late entry and a review due marked; the review prompt shown."""
    app = Harness(seeded_sqlite, seeded_sqlite.clock)
    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_decision_form(seeded_sqlite, snap_compare, size):
    """A decision typed without its rationale and saved: refused, the field marked."""

    async def run_before(pilot) -> None:
        await ready(pilot)
        pilot.app.clear_notifications()  # the review prompt is pictured in test_log_screen
        await pilot.press("D")
        await pilot.pause()
        form = pilot.app.screen
        form.query_one("#df-text").load_text("Open 6 escalation beds at Swale community hospital")
        form.query_one("#df-review_at").value = "+2h"
        form.query_one("#df-areas").value = "Swale"
        await pilot.press("ctrl+s")
        await pilot.pause()

    app = Harness(seeded_sqlite, seeded_sqlite.clock)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_log_filtered_with_quick_entry_open(seeded_sqlite, snap_compare):
    """80x24: filtered to Medway, the quick-entry bar open after an empty Enter."""

    async def run_before(pilot) -> None:
        await ready(pilot)
        pilot.app.clear_notifications()  # the review prompt is pictured in test_log_screen
        screen = pilot.app.log_screen
        screen.apply_filter("area:medway")
        await wait_until(pilot, lambda: not screen.loading and len(screen.rows) == 5)
        await pilot.press("a", "tab", "enter")
        await pilot.pause()

    app = Harness(seeded_sqlite, seeded_sqlite.clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_entry_detail(seeded_sqlite, snap_compare):
    """80x24: a decision in full, with its hash prefix."""

    async def run_before(pilot) -> None:
        await ready(pilot)
        pilot.app.clear_notifications()  # the review prompt is pictured in test_log_screen
        screen = pilot.app.log_screen
        screen.table.move_cursor(row=5)  # #4
        await pilot.press("enter")
        await pilot.pause()

    app = Harness(seeded_sqlite, seeded_sqlite.clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
