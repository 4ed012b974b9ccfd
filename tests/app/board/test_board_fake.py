"""The board widget and app loop on in-memory AreaStatus values (no database): layout, keys, filter,
partial refresh, the refresh loop and the minute tick."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scc_tui.app.app import SccApp
from scc_tui.app.board.view import BoardView
from scc_tui.domain.clock import FixedClock
from tests.helpers.statuses import NOW, bump, sample
from tests.helpers.seam import FakeSeam
from tests.pilot import screen_text, wait_until


@pytest.fixture
def source():
    """The app's store seam, in memory: ``statuses`` are what it reads; ``changed`` fires its feed."""
    return FakeSeam(sample())


async def test_compact_board_keys_and_filter(source):
    app = SccApp(source, FixedClock(NOW), "tester", refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.pause()
        view = app.screen.query_one(BoardView)
        assert not view.wide
        text = screen_text(app)
        assert "William Harvey Hospital" in text and "OPEL 3" in text and "27/44" in text
        assert "STALE" in text and "acts at  OPEL 4  because QEQM Hospital" in text
        await pilot.press("j", "j")
        assert view.current.name == "William Harvey Hospital"
        await pilot.press("end")
        assert view.current.name == "Tunbridge Wells Hospital"
        await pilot.press("home", "down")
        assert view.current.name == "East Kent"
        await pilot.press("slash", *"maid")
        await pilot.pause()
        assert [i.name for i in view.items] == ["Kent and Medway ICS", "West Kent", "Maidstone Hospital"]
        await pilot.press("enter")  # leaves the filter field, keeps the filter
        assert view.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert len(view.items) == 8


async def test_wide_grid_and_arrow_keys(source):
    app = SccApp(source, FixedClock(NOW), "tester", refresh=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        view = app.screen.query_one(BoardView)
        assert view.wide
        await pilot.press("down", "down")
        assert view.current.name == "William Harvey Hospital"
        await pilot.press("right")
        assert view.current.name == "QEQM Hospital"
        await pilot.press("down")  # the row below: the West Kent header
        assert view.current.name == "West Kent"


async def test_change_repaints_only_its_lines_and_groups(source):
    app = SccApp(source, FixedClock(NOW), "tester", poll_interval=0.02, prompts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.pause()
        view = app.screen.query_one(BoardView)
        before = view.renders
        source.statuses = bump(source.statuses, 7, level=4, score=40, trend="up")
        source.changed = True
        await wait_until(pilot, lambda: view.items[6].status.level == 4)
        await pilot.pause()
        # Maidstone and its two groups (West Kent, the ICS) re-rendered, nothing else
        assert view.renders - before == 3
        assert "40/44" in screen_text(app)


async def test_minute_tick_rereads_without_a_feed_change(source):
    clock = FixedClock(NOW)
    app = SccApp(source, clock, "tester", poll_interval=0.02, prompts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        reads = source.reads
        clock.advance(timedelta(minutes=1))
        await wait_until(pilot, lambda: source.reads > reads)


async def test_help_lists_every_board_key(source):
    from scc_tui.app.screens.help import declared, keys_label

    app = SccApp(source, FixedClock(NOW), "tester", refresh=False)
    async with app.run_test(size=(100, 60)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for b in declared("BoardScreen"):
            assert keys_label(b) in text
        await pilot.press("escape")
        assert type(app.screen).__name__ == "BoardScreen"


async def test_theme_key_cycles_and_quit(source):
    app = SccApp(source, FixedClock(NOW), "tester", refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        assert app.theme == "scc-dark"
        await pilot.press("t")
        assert app.theme == "scc-light"
        await pilot.press("t")
        assert app.theme == "scc-high-contrast"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def test_ssh_turns_animations_off():
    app = SccApp(source, FixedClock(NOW), "tester", environ={"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"}, prompts=False)
    assert app.animation_level == "none"


async def test_escalation_marks_and_hold_on_lines_and_tiles():
    """The status's escalation marks (``badge``, ``escalation_line``, ``action_progress``) and a level
    stepping down (``hold_level``/``hold_until``) are drawn from the AreaStatus fields themselves, on
    the compact lines and on the tiles; a change to a mark alone repaints the board."""
    statuses = bump(sample(), 4, badge="⚑2", escalation_line="include STP")
    statuses = bump(statuses, 7, action_progress="2/5 done")
    statuses = bump(statuses, 3, hold_level=4, hold_until=NOW + timedelta(hours=25))
    seam = FakeSeam(statuses)
    for size in ((80, 24), (160, 50)):
        app = SccApp(seam, FixedClock(NOW), "tester", poll_interval=0.02, prompts=False)
        async with app.run_test(size=size) as pilot:
            await wait_until(pilot, lambda: app.loaded)
            await pilot.pause()
            text = screen_text(app)
            assert "include STP" in text and "⚑2" in text
            if size == (160, 50):  # the tiles' last line (the compact line has no room for these)
                assert "2/5 done" in text
                assert "hold until Tue 10:" in text  # stepping down from 4 (the tile cuts the minutes)
            seam.statuses = bump(seam.statuses, 4, badge="·", escalation_line="")
            seam.changed = True
            await wait_until(pilot, lambda: "include STP" not in screen_text(app))
            seam.statuses = statuses
