"""Issue 12 item 9: the discard-confirmation dialog blanked the screen (the app's ``Screen`` background
rule made the modal opaque): the form it asks about stays visible around the question."""

from __future__ import annotations

import re

from tests.helpers.board import highlight, open_board
from tests.helpers.board import make_app
from tests.pilot import wait_until


def _text(app) -> str:
    return re.sub(r"<[^>]+>", "", app.export_screenshot()).replace("&#160;", " ")


async def test_discard_question_keeps_the_form_visible(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Kent & Canterbury Hospital")
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AssessmentScreen")
        await pilot.pause()
        behind = _text(app)
        await pilot.press(*"12", "escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.pause()
        text = _text(app)
        assert "Discard this assessment?" in text
        assert "Kent &amp; Canterbury Hospital" in behind
        assert "Kent &amp; Canterbury Hospital" in text  # the form is still there, dimmed, behind the question
        await pilot.press("n")
