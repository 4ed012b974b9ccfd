"""Issue 12 item 5: Ctrl+P offers what an SCC user needs, not Textual's own Keys, Maximize and
Screenshot."""

from __future__ import annotations

import pytest
from textual.command import CommandList
from textual.widgets import Input

from scc_tui.app.app import SccApp
from scc_tui.domain.clock import FixedClock
from tests.helpers.seam import FakeSeam
from tests.helpers.statuses import NOW, sample
from tests.pilot import wait_until

TEXTUAL_OWN = {"Keys", "Maximize", "Minimize", "Screenshot", "Theme"}


@pytest.fixture
def app(monkeypatch):
    statuses = sample()
    return SccApp(FakeSeam(statuses), FixedClock(NOW), "test.user", refresh=False, environ={})


async def test_system_commands_are_the_scc_ones(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        titles = [c.title for c in app.get_system_commands(app.screen)]
    assert not TEXTUAL_OWN & set(titles), titles
    assert {"Quit", "Help: keys", "Theme: dark", "Theme: light", "Theme: high contrast"} <= set(titles)


def _searched(app, query: str) -> bool:
    """The palette holds ``query`` and its search (a worker per keystroke) has finished."""
    palette = app.screen
    return palette.query_one(Input).value == query and all(w.is_finished for w in app.workers if w.node is palette)


@pytest.mark.parametrize("query", ["screenshot", "maximize", "keys"])
async def test_the_palette_does_not_offer_textuals_own_commands(app, query):
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: bool(app.screen.query(CommandList)))
        await pilot.press(*query)
        await wait_until(pilot, lambda: _searched(app, query), what=f"the palette's search for {query!r}")
        options = app.screen.query_one(CommandList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    assert not [s for s in shown if any(own in s for own in ("Screenshot", "Maximize", "Show help for the focused"))], shown
