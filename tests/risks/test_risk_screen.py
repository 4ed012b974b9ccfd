"""Issue 15 item 1: the register screen (`R`): open risks by residual score, a 5×5 heat map (counts,
never colour alone), the highlighted risk's history; snapshots at 80×24 and 160×50."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scc_tui.domain.risks import Score
from tests.helpers.board import make_app
from tests.pilot import screen_text, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


@pytest.fixture
def risk_store(board_store, board_clock):
    from scc_tui.store import risks

    risks.seed_demo_risks(board_store, author="scc.manager")
    risks.update_risk(board_store, 3, author="test.user", residual=Score(3, 3),
                      note="D2A moves agreed on the 10:30 system call")
    return board_store


async def _open(pilot):
    await wait_until(pilot, lambda: pilot.app.loaded)
    await pilot.press("R")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "RisksScreen" and pilot.app.screen.risks)
    await pilot.pause()


async def test_register_sorted_by_residual_with_heat_map_and_history(risk_store, board_clock):
    app = make_app(risk_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot)
        screen = app.screen
        assert [v.ref for v in screen.risks] == ["R2", "R4", "R1", "R3"]
        text = screen_text(app)
        # heat map: L5 row has one risk at C4 (R2 5×4) and one at C3 (R1 5×3); L4 row one at C5 (R4)
        row5 = next(line for line in text.splitlines() if line.lstrip().startswith("L 5"))
        assert row5.split()[2:7] == ["·", "·", "1", "1", "·"]
        row3 = next(line for line in text.splitlines() if line.lstrip().startswith("L 3"))
        assert row3.split()[2:7] == ["·", "·", "1", "·", "·"]  # R3 now 3×3
        await pilot.press("end")
        await wait_until(pilot, lambda: "History (2 versions" in screen_text(app))
        text = screen_text(app)
        assert "v1" in text and "v2" in text and "residual 9 (3×3)" in text
        await pilot.press("escape")
        assert type(app.screen).__name__ == "BoardScreen"


async def test_review_due_shown_for_risks_not_updated_today(risk_store, board_clock):
    board_clock.advance(timedelta(days=1)) if hasattr(board_clock, "advance") else None
    app = make_app(risk_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot)
        assert "4 due for review" in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
def test_register_snapshot(risk_store, board_clock, snap_compare, size):
    app = make_app(risk_store, board_clock, refresh=False)
    assert snap_compare(app, terminal_size=size, run_before=_open)
