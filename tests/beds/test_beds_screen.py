"""Issue 15 item 2: the bed-gap screen (`B`): a plot per site (gap before and after mitigations) and the
figures; snapshots at 80×24 and 160×50."""

from __future__ import annotations

import pytest

from tests.helpers.board import make_app
from tests.pilot import screen_text, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


async def _open(pilot):
    await wait_until(pilot, lambda: pilot.app.loaded)
    await pilot.press("B")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "BedsScreen")
    await pilot.pause()


async def test_beds_screen_shows_each_site(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 36)) as pilot:
        await _open(pilot)
        text = screen_text(app)
        assert "RSUH (1/3)" in text
        assert "Peak gap -208 in Jan-25: balance = -208 + 199 = -9" in text
        assert "+9     -7     -4     -9     -5     +8     +2    +14    +12" in text
        await pilot.press("right_square_bracket")
        await pilot.pause()
        text = screen_text(app)
        assert "County (2/3)" in text and "residual bed gap of +9" in text
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert "QHB (3/3)" in screen_text(app)
        await pilot.press("escape")
        assert type(app.screen).__name__ == "BoardScreen"


@pytest.mark.parametrize("size", SIZES)
def test_beds_snapshot(board_store, board_clock, snap_compare, size):
    app = make_app(board_store, board_clock, refresh=False)
    assert snap_compare(app, terminal_size=size, run_before=_open)
