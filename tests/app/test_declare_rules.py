"""Issue 12: the declare form pre-selects the level in force (not the computed one), and an area
with no computed level (a region, an ICS, a system) follows the same reason rule as any area, the
level in force standing in for the computed one (``domain.levels.declaration_needs_reason``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from scc_tui.domain.levels import declaration_needs_reason
from scc_tui.store.assessments import RecordError, record_declaration
from scc_tui.store.models import Declaration
from tests.helpers.board import count, highlight, open_board, status
from tests.helpers.board import at, make_app
from tests.pilot import screen_text, wait_until


@pytest.mark.parametrize(("level", "computed", "in_force", "needed"), [
    (3, 2, 3, True),  # differs from the computed level (the level in force does not matter)
    (2, 2, 3, False),
    (3, None, 3, False),  # no computed level: confirming the level in force
    (4, None, 3, True),  # no computed level: changing the level in force
    (2, None, None, False),  # no computed level, nothing in force: a first declaration
])
def test_the_rule(level, computed, in_force, needed):
    assert (declaration_needs_reason(level, computed, in_force) is not None) == needed


def test_the_store_refuses_a_region_declaration_without_a_reason(board_store):
    when = at("2026-11-23T10:00")
    with pytest.raises(RecordError, match="no computed level, changing the level in force .OPEL 3."):
        record_declaration(board_store, "Kent and Medway ICS", 4, when, "t", None, "cli")
    assert record_declaration(board_store, "Kent and Medway ICS", 3, when, "t", None, "cli").id  # confirms
    assert record_declaration(board_store, "East Kent", 2, when, "t", "", "cli").id  # a first declaration
    with pytest.raises(RecordError, match="changing the level in force .OPEL 2."):
        record_declaration(board_store, "East Kent", 3, when + timedelta(minutes=1), "t", None, "cli")
    assert record_declaration(board_store, "East Kent", 3, when + timedelta(minutes=2), "t", "QEQM at 4", "cli").id


async def test_the_form_starts_at_the_level_in_force(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Tunbridge Wells Hospital")  # computed OPEL 2, declared OPEL 3 in force
        s = status(app, "Tunbridge Wells Hospital")
        assert (s.level, s.computed_level) == (3, 2)
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        assert app.screen.level == 3
        assert not app.screen.has_unsaved_input()  # nothing chosen yet: Esc leaves without asking


async def test_the_form_asks_a_region_for_a_reason(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Kent and Medway ICS")  # no computed level; OPEL 3 declared
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        assert app.screen.level == 3
        rows = count(board_store, Declaration)
        await pilot.press("4", "ctrl+s")
        await wait_until(pilot, lambda: "reason is needed" in screen_text(app))
        assert "differs from OPEL 3 in force" in screen_text(app)
        assert count(board_store, Declaration) == rows
        await pilot.press("tab", *"QEQM and WHH at 4", "ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")  # OPEL 4: plan test?
        await pilot.press("n")
        await wait_until(pilot, lambda: count(board_store, Declaration) == rows + 1)
        with board_store.read() as session:
            latest = session.exec(select(Declaration).order_by(Declaration.id.desc())).first()
        assert (latest.level, latest.reason) == (4, "QEQM and WHH at 4")
