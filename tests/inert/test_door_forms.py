"""Text is inert at the door of the TUI: a form refuses a control character inline and writes nothing."""

from __future__ import annotations

from tests.helpers.board import count as _count
from tests.helpers.board import highlight as _highlight
from tests.helpers.board import make_app
from tests.helpers.board import open_board as _board
from tests.pilot import screen_text, wait_until


async def test_declaration_reason_with_osc52_is_refused_inline(board_store, board_clock):
    from textual.widgets import Input

    from scc_tui.store.models import Declaration, LogEntry

    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await _board(pilot, app)
        await _highlight(pilot, view, "Maidstone Hospital")  # computed OPEL 2
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        before = (_count(board_store, Declaration), _count(board_store, LogEntry))
        await pilot.press("3")
        app.screen.query_one("#reason", Input).value = "pasted \x1b]52;c;aGk=\x07 text"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "control character" in screen_text(app))
        text = screen_text(app)
        # named as the reason, checked before anything is sent to the store (today's main only refused
        # it by accident, through the log entry's text, as "text: contains ...")
        assert "Not declared: The reason contains a control character (ESC" in " ".join(text.split())
        assert type(app.screen).__name__ == "DeclareScreen"  # the form stays open with what was typed
        await pilot.pause()  # the refusal comes before any write: nothing is left pending
        assert (_count(board_store, Declaration), _count(board_store, LogEntry)) == before
        app.screen.query_one("#reason", Input).value = "pasted text"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _count(board_store, Declaration) == before[0] + 1)
