"""The suite's autouse ``_steady_cursor`` fixture (tests/conftest.py) holds in a real app: no text
cursor on a form blinks, so a snapshot taken whenever the machine gets round to it shows the same frame.
(Without it, the assessment-form snapshots fail when taken more than one blink, 0.5 s, after the
last key.)"""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tests.helpers.board import highlight, open_board
from tests.helpers.board import make_app
from tests.pilot import wait_until


async def test_no_cursor_blinks_on_the_forms(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False, prompts=False)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Kent & Canterbury Hospital")
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AssessmentScreen")
        fields = list(app.screen.query(Input))
        assert fields and app.focused in fields
        assert [f.cursor_blink for f in fields] == [False] * len(fields)
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        await pilot.press("L")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LogScreen")
        await pilot.press("D")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DecisionForm")
        areas = list(app.screen.query(TextArea))
        assert areas and not any(a.cursor_blink for a in areas)
