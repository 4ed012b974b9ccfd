"""Issue 12 item 2: a prompt is one line above the footer at the item's own time (not the prompt's),
moves with the user from screen to screen, hides with Esc, and leaves the board's OPEL labels in view;
the agenda keeps the full list. Real store, real controller, fixed clock."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static

from scc_tui.app.prompt_bar import PromptBar
from scc_tui.domain.clock import UTC, FixedClock
from tests.helpers.board import make_app
from tests.pilot import screen_text, wait_until

AT_1025 = datetime(2026, 11, 23, 10, 25, tzinfo=UTC)  # the 10:30 escalation call's 5-minute prompt


def _bar(app) -> PromptBar | None:
    bars = list(app.screen.query(PromptBar))
    return bars[0] if bars else None


async def test_prompt_is_one_dismissible_line_at_the_items_own_time(board_store):
    clock = FixedClock(AT_1025)
    app = make_app(board_store, clock, environ={})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded and _bar(app) is not None)
        await pilot.pause()
        bar = _bar(app)
        text = str(bar.query_one("#prompt-bar-text", Static).render())
        # the call's own time (10:30), not the prompt's (10:25)
        assert text.startswith("10:30 System escalation calls (in 5 min)"), text
        assert "10:25" not in text
        assert bar.region.height == 1 and bar.region.width == 80
        assert not [n for n in app._notifications if "escalation" in n.message.lower()]  # no toast
        shown = screen_text(app)
        for level in (1, 2, 3, 4):
            assert f"OPEL {level}" in shown  # the board is not covered
        assert all(len(line.rstrip()) <= 80 for line in shown.splitlines())

        # it follows the user to the agenda (the full list) ...
        await pilot.press("c")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AgendaScreen" and _bar(app) is not None)
        assert "System escalation calls" in screen_text(app)
        # ... where Esc hides it first, and only then goes back
        assert "esc Back" not in screen_text(app).splitlines()[-1]  # Esc is the bar's while it shows
        await pilot.press("escape")
        await wait_until(pilot, lambda: _bar(app) is None)
        assert type(app.screen).__name__ == "AgendaScreen"
        assert app.prompt_notice is None
        await wait_until(pilot, lambda: "esc Back" in screen_text(app).splitlines()[-1])  # and the screen's again
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        assert _bar(app) is None


async def test_esc_on_the_board_without_a_prompt_still_clears_the_filter(board_store, board_clock):
    app = make_app(board_store, board_clock, environ={}, prompts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.press("slash", "q", "e", "q", "m", "enter")
        await wait_until(pilot, lambda: "Maidstone" not in screen_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Maidstone" in screen_text(app))


async def test_on_a_form_esc_cancels_the_form_even_with_a_prompt_due(board_store):
    """The prompt line stays off the declaration and assessment forms: there Esc is Cancel, as the
    form's footer says (one Esc closes the form; the line is back on the screen underneath)."""
    app = make_app(board_store, FixedClock(AT_1025), environ={})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded and _bar(app) is not None)
        await pilot.press("down", "down", "down", "enter")  # a provider's detail
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DetailScreen")
        for key, form in (("d", "DeclareScreen"), ("n", "AssessmentScreen")):
            await pilot.press(key)
            await wait_until(pilot, lambda: type(app.screen).__name__ == form)
            assert _bar(app) is None and app.prompt_notice is not None
            await pilot.press("escape")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "DetailScreen" and _bar(app) is not None)
            assert app.prompt_notice is not None  # cancelling the form did not hide the prompt
