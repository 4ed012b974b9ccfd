"""Issue 9 item 5: in the agenda k is "up" (as on the board and the log) and logs nothing; Enter or A
asks first, naming the item under the cursor; the cursor is a text mark, distinct from ▶ (next)."""

from __future__ import annotations

from scc_tui.app.screens.confirm import ConfirmScreen
from scc_tui.app.agenda.panel import CURSOR, AgendaPanel
from scc_tui.store.log import list_entries
from tests.helpers.agenda import _app, _ready
from tests.pilot import wait_until


def _acks(store) -> list:
    return [e for e in list_entries(store) if e.kind == "prompt-ack"]


def _row_lines(app) -> list[str]:
    panel = app.query_one(AgendaPanel)
    return [line.plain for line in panel.render().split() if any(m in line.plain[:3] for m in "✓●✗z▶!·")]


async def test_k_moves_up_and_logs_nothing(day_store):  # noqa: F811
    store, clock = day_store
    app = _app(store, clock, docked=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        panel = app.query_one(AgendaPanel)
        before = _acks(store)
        start = panel.cursor
        assert start > 0
        await pilot.press("k")
        await pilot.pause()
        assert panel.cursor == start - 1 and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("j")
        await pilot.pause()
        assert panel.cursor == start
        assert _acks(store) == before


async def test_acknowledge_asks_naming_the_item_under_the_cursor(day_store):  # noqa: F811
    store, clock = day_store
    app = _app(store, clock, docked=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        panel = app.query_one(AgendaPanel)
        before = len(_acks(store))
        first = panel.selected
        await pilot.press("home")  # move off the preselected item: the question follows the cursor
        await pilot.pause()
        row = panel.selected
        assert row is not first and row.state == "missed", row
        for key, answer in (("enter", "n"), ("A", "y")):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            question = str(app.screen.query_one("#question").render())
            assert row.title in question and "08:30" in question and first.title not in question
            await pilot.press(answer)
            await pilot.pause()
            if answer == "y":  # written in a worker
                await wait_until(pilot, lambda: len(_acks(store)) > before, what="the acknowledgement logged")
            assert len(_acks(store)) == before + (answer == "y")
        assert row.title in _acks(store)[-1].text


async def test_cursor_is_a_text_mark_distinct_from_next(day_store):  # noqa: F811
    store, clock = day_store
    app = _app(store, clock, docked=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        panel = app.query_one(AgendaPanel)
        lines = _row_lines(app)
        marked = [i for i, line in enumerate(lines) if line.startswith(CURSOR)]
        assert len(marked) == 1
        nxt = [i for i, line in enumerate(lines) if "▶" in line[:3]]
        assert nxt, lines
        await pilot.press("end")  # cursor elsewhere than the next item: both marks still shown
        await pilot.pause()
        lines = _row_lines(app)
        cursor_rows = [line for line in lines if line.startswith(CURSOR)]
        assert len(cursor_rows) == 1 and panel.selected.title[:20] in cursor_rows[0]
        assert any("▶" in line[:3] and not line.startswith(CURSOR) for line in lines)
