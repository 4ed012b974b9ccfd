"""SVG snapshots at 80x24 (the 3 a.m. SSH terminal) and 160x50 (the SCC wall screen).

Time (FixedClock), data and user are fixed; the cursor does not blink; no theme from the environment.
The board and help use in-memory AreaStatus values (``tests.helpers.statuses``); detail and forms use the seeded database.
Review changes as pictures: ``pytest tests/app --snapshot-update`` then open the SVGs.
"""

from __future__ import annotations

import pytest

from scc_tui.app.app import SccApp
from scc_tui.domain.clock import FixedClock
from tests.helpers.seam import FakeSeam
from tests.helpers.statuses import NOW, sample
from tests.helpers.board import make_app
from tests.pilot import wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


@pytest.fixture
def fake_app(monkeypatch):
    statuses = sample(n_extra=6)
    return SccApp(FakeSeam(statuses), FixedClock(NOW), "test.user", refresh=False, environ={})


async def loaded(pilot):
    await wait_until(pilot, lambda: pilot.app.loaded)
    await pilot.pause()


async def detail_loaded(pilot):
    await wait_until(pilot, lambda: pilot.app.loaded)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_board(fake_app, snap_compare, size):
    assert snap_compare(fake_app, terminal_size=size, run_before=loaded, press=["down", "down"])


@pytest.mark.parametrize("size", SIZES)
def test_board_filtered(fake_app, snap_compare, size):
    assert snap_compare(fake_app, terminal_size=size, run_before=loaded, press=["slash", "4", "enter"])


def test_board_light_theme(fake_app, snap_compare):
    assert snap_compare(fake_app, terminal_size=(80, 24), run_before=loaded, press=["t", "down", "down"])


def test_board_high_contrast(fake_app, snap_compare):
    fake_app.theme = "scc-high-contrast"
    assert snap_compare(fake_app, terminal_size=(160, 50), run_before=loaded, press=["down", "down"])


@pytest.mark.parametrize("size", SIZES)
def test_help(fake_app, snap_compare, size):
    assert snap_compare(fake_app, terminal_size=size, run_before=loaded, press=["question_mark"])


def _goto(name):
    async def run(pilot):
        from scc_tui.app.board.view import BoardView

        await loaded(pilot)
        view = pilot.app.screen.query_one(BoardView)
        area = pilot.app.find_area(name)
        view.select_area(area.area_id)
        await pilot.pause()

    return run


def _open_detail(name):
    async def run(pilot):
        await _goto(name)(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "loaded", False))
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_detail(board_store, board_clock, snap_compare, size):
    app = make_app(board_store, board_clock, refresh=False)
    assert snap_compare(app, terminal_size=size, run_before=_open_detail("Tunbridge Wells Hospital"))


@pytest.mark.parametrize("size", SIZES)
def test_assessment_form(board_store, board_clock, snap_compare, size):
    app = make_app(board_store, board_clock, refresh=False)
    # one bad value, one negative, one good: inline messages and the preview line
    press = ["n", "_", *"12x", "tab", "minus", "3", "tab", "1", "5"]
    assert snap_compare(app, terminal_size=size, run_before=_goto("Kent & Canterbury Hospital"), press=press)


@pytest.mark.parametrize("size", SIZES)
def test_declare_form(board_store, board_clock, snap_compare, size):
    app = make_app(board_store, board_clock, refresh=False)
    press = ["d", "_", "4", "ctrl+s"]
    assert snap_compare(app, terminal_size=size, run_before=_goto("Maidstone Hospital"), press=press)


@pytest.mark.parametrize("size", SIZES)
def test_board_real_data(board_store, board_clock, snap_compare, size):
    app = make_app(board_store, board_clock, refresh=False)
    assert snap_compare(app, terminal_size=size, run_before=loaded)
