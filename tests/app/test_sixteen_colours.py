"""Issue 12 item 1: at 16 colours each level's label has a background of its own (1 green, 2 yellow,
3 red, 4 bright magenta: the brightest, OPEL 4 stands out most), and every "OPEL n" on the board is
drawn in its level's colours. The app is run as a ``TERM=xterm`` terminal (Rich: the standard
16-colour system) and what it draws is checked through Rich's own downgrade to that system; the
snapshots show the 16-colour picture (``levelstyle.Sixteen`` maps every colour to the palette colour
the terminal would pick)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from rich.color import ColorSystem

from scc_tui.app import levelstyle
from scc_tui.app.app import SccApp
from scc_tui.domain.clock import UTC, FixedClock
from tests.helpers.seam import FakeSeam
from tests.helpers.statuses import NOW, sample
from tests.helpers.board import make_app
from tests.pilot import screen_strips, wait_until

XTERM = {"TERM": "xterm"}
OPEL = re.compile(r"OPEL (\d)")


@pytest.mark.parametrize(
    "env, depth",
    [
        ({"TERM": "xterm"}, 16),
        ({"TERM": "vt220"}, 16),
        ({"TERM": "screen"}, 16),
        ({"TERM": "xterm-16color"}, 16),
        ({"TERM": "xterm-256color"}, 256),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, 16_777_216),
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, 16),
        ({}, 16_777_216),
    ],
)
def test_colour_depth_as_rich_decides_it(env, depth):
    assert levelstyle.colour_depth(env) == depth


def test_each_level_lands_on_its_own_palette_colour():
    numbers = {}
    for level in levelstyle.LEVELS:
        style = levelstyle.rich_style(level, levelstyle.level_variables({}, sixteen=True))
        numbers[level] = style.bgcolor.downgrade(ColorSystem.STANDARD).number
    assert numbers == {1: 2, 2: 11, 3: 1, 4: 13}  # green, bright yellow, red, bright magenta


@pytest.fixture
def fake_app(monkeypatch):
    statuses = sample(n_extra=6)
    return SccApp(FakeSeam(statuses), FixedClock(NOW), "test.user", refresh=False, environ=XTERM)


def _labels(app) -> dict[int, set[int]]:
    """Every "OPEL n" drawn on the board (the tiles or rows, not the status line's counts) -> the
    16-colour palette numbers of its backgrounds."""
    region = app.screen.query_one("BoardView").region  # by type name: the widget's module may move
    found: dict[int, set[int]] = {}
    for strip in screen_strips(app)[region.y:region.bottom]:
        for seg in strip:
            for m in OPEL.finditer(seg.text):
                bg = seg.style.bgcolor if seg.style else None
                number = bg.downgrade(ColorSystem.STANDARD).number if bg is not None else None
                found.setdefault(int(m.group(1)), set()).add(number)
    return found


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
async def test_every_opel_label_on_the_board_in_its_level_colour(fake_app, size):
    async with fake_app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: fake_app.loaded)
        await pilot.pause()
        assert fake_app.sixteen_colours
        found = _labels(fake_app)
    assert set(found) == {1, 2, 3, 4}, found
    assert found == {level: {n} for level, n in levelstyle.ANSI16_NUMBER.items()}


# --------------------------------------------------------------------------------------------------
# Snapshots at 80x24 in the 16-colour palette: the board, the agenda with a prompt due, the log.

AT_1025 = datetime(2026, 11, 23, 10, 25, tzinfo=UTC)  # the 10:30 escalation call's 5-minute prompt


async def _loaded(pilot):
    await wait_until(pilot, lambda: pilot.app.loaded)
    await pilot.pause()


def test_board_16_colours(fake_app, snap_compare):
    assert snap_compare(fake_app, terminal_size=(80, 24), run_before=_loaded, press=["down", "down"])


@pytest.fixture
def store_app(board_store):
    return make_app(board_store, FixedClock(AT_1025), environ=XTERM)


def test_agenda_with_a_prompt_due_16_colours(store_app, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await wait_until(pilot, lambda: app.loaded and app.prompt_notice is not None)
        await pilot.press("c")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AgendaScreen"
                         and app.screen.query("#prompt-bar"))
        await pilot.pause()

    assert snap_compare(store_app, terminal_size=(80, 24), run_before=run_before)


def test_log_16_colours(store_app, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await wait_until(pilot, lambda: app.loaded and app.prompt_notice is not None)
        await pilot.press("escape", "L")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False) and not app.screen.loading
                         and len(app.screen.rows) >= 10)
        await pilot.pause()

    assert snap_compare(store_app, terminal_size=(80, 24), run_before=run_before)
