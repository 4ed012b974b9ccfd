"""Group rows on the board (issue 9 items 9, 14, 15): a provider serving the whole ICS sits under the
ICS heading in the tile grid; group rows are never STALE for their children; a system shows its own
level beside the level it acts at, and can be declared from the board."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scc_tui.app.app import SccApp
from scc_tui.app.board.model import build_board, filter_items
from scc_tui.app.board.view import BoardView
from scc_tui.domain.clock import FixedClock
from scc_tui.domain.status import AreaStatus
from tests.helpers.statuses import NOW, area_status, sample
from tests.helpers.seam import FakeSeam
from tests.pilot import screen_text, wait_until


def with_ics_wide() -> list[AreaStatus]:
    rows = sample()
    t = NOW
    rows.append(area_status(30, "SECAmb", "provider", 1, None, 2, None, 2, None, None, t, 1, None, "none", t, False, "oncall"))
    rows.append(area_status(31, "KMPT", "provider", 1, None, 1, None, 1, None, None, t, 1, None, "none", t, False, "oncall"))
    return rows


def test_ics_wide_providers_come_before_the_systems():
    names = [i.name for i in build_board(with_ics_wide()).items]
    assert names[:3] == ["Kent and Medway ICS", "SECAmb", "KMPT"]
    assert names.index("East Kent") > names.index("KMPT")


@pytest.fixture
def ics_source():
    return FakeSeam(with_ics_wide())


async def test_tile_grid_shows_ics_wide_providers_under_the_ics_heading(ics_source):
    app = SccApp(ics_source, FixedClock(NOW), "tester", refresh=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.pause()
        assert app.screen.query_one(BoardView).wide
        lines = screen_text(app).splitlines()
        heading = lambda name: next(i for i, line in enumerate(lines) if line.lstrip(" ▶").startswith(name))  # noqa: E731
        secamb = next(i for i, line in enumerate(lines) if "SECAmb" in line)
        assert heading("Kent and Medway ICS") < secamb < heading("East Kent") < heading("West Kent")


def test_group_rows_are_not_stale_for_their_children():
    rows = [replace(r, stale=False) if r.kind in ("ics", "system") else r for r in sample()]
    board = build_board(rows)
    ids = [i.area_id for i in filter_items(board, "stale")]
    assert ids == [1, 2, 5]  # K&C is stale; its ICS and system are shown for context only
    assert not board.by_id[1].status.stale and board.by_id[1].summary.stale == 1


async def test_a_system_declares_its_own_level_beside_the_level_it_acts_at(board_store, board_clock):
    """Issue 9 item 9: from the board, d on a system's row declares the system's own level; the row
    then shows it beside "acts at"; the declare screen shows what the areas below say."""
    from tests.helpers.board import highlight, open_board
    from tests.helpers.board import make_app
    from tests.pilot import screen_text, wait_until

    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "East Kent")
        east = lambda: next(line for line in screen_text(app).splitlines() if "East Kent" in line)  # noqa: E731
        assert "own —" in east() and "acts at  OPEL 4  because QEQM Hospital" in east()
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        assert "Own level of this system; the areas below: acts at OPEL 4 because QEQM Hospital" in screen_text(app)
        await pilot.press("3", "ctrl+s")  # no computed level: no reason needed
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        await wait_until(pilot, lambda: app.find_area("East Kent").level == 3)
        await pilot.pause()
        assert "own  OPEL 3   acts at  OPEL 4  because QEQM Hospital" in east()
