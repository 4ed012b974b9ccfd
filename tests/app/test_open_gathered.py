"""``SccApp.open_gathered``: a screen whose content is read from the store (the handover, the sitrep,
an area's detail, the log's first page)
opens with its content in one step when the read is quick, says it is loading when the read is slow
(after ``OPEN_PATIENCE_S``), opens once however often its key is pressed meanwhile, and is not pushed
over a screen the user opened while it was read (issue 11 item 9)."""

from __future__ import annotations

import threading

import pytest

from scc_tui.app import app as app_module
from scc_tui.app.db_seam import DbSeam
from tests.helpers.board import make_app, open_board
from tests.pilot import screen_text, wait_until


class HeldSeam(DbSeam):
    """The real seam, whose handover and sitrep reads wait for ``release`` when ``hold`` is set."""

    def __init__(self, store) -> None:
        super().__init__(store)
        self.hold = False
        self.release = threading.Event()
        self.reads = 0

    def _wait(self) -> None:
        self.reads += 1
        if self.hold:
            assert self.release.wait(20), "never released"

    def handover(self, at, *, schedule=None):
        self._wait()
        return super().handover(at, schedule=schedule)

    def sitrep(self, at, *, area, cut_by):
        self._wait()
        return super().sitrep(at, area=area, cut_by=cut_by)

    def area_records(self, area_id, at, *, days):
        self._wait()
        return super().area_records(area_id, at, days=days)

    def log_page(self, flt, *, before_seq, want):
        self._wait()
        return super().log_page(flt, before_seq=before_seq, want=want)


def _app(board_store, board_clock, monkeypatch, patience: float):
    """The board on a HeldSeam, with ``OPEN_PATIENCE_S`` set to ``patience``."""
    monkeypatch.setattr(app_module, "OPEN_PATIENCE_S", patience)
    seam = HeldSeam(board_store)
    return seam, make_app(seam, board_clock, refresh=False, prompts=False)


def _pushed(app) -> list:
    pushed: list = []
    real = app.push_screen

    def push(screen, *args, **kwargs):
        pushed.append(screen)
        return real(screen, *args, **kwargs)

    app.push_screen = push
    return pushed


def _named(screens, name: str) -> list:
    return [s for s in screens if type(s).__name__ == name]


@pytest.mark.parametrize("key, screen, content", [("H", "HandoverScreen", "SCC handover"),
                                                  ("S", "SitrepScreen", "Sitrep: every area"),
                                                  ("enter", "DetailScreen", "Assessment"),
                                                  ("L", "LogScreen", " shown of #")])
async def test_a_quick_read_opens_the_screen_with_its_content_in_one_step(board_store, board_clock, monkeypatch,
                                                                        key, screen, content):
    seam, app = _app(board_store, board_clock, monkeypatch, 30.0)  # however slow this machine: read first
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, app)
        pushed = _pushed(app)
        await pilot.press(key)
        await wait_until(pilot, lambda: type(app.screen).__name__ == screen and content in screen_text(app))
        [opened] = _named(pushed, screen)
        assert opened._pending is False  # opened with the read done, never "loading…"
        assert seam.reads == 1


@pytest.mark.parametrize("key, screen, content", [("H", "HandoverScreen", "SCC handover"),
                                                  ("L", "LogScreen", " shown of #")])
async def test_a_slow_read_opens_the_screen_loading_then_shows_the_content(board_store, board_clock, monkeypatch,
                                                                         key, screen, content):
    """The handover says "Handover · loading…"; the log shows Textual's loading indicator (its
    ``loading``)."""
    seam, app = _app(board_store, board_clock, monkeypatch, 0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, app)
        pushed = _pushed(app)
        seam.hold = True
        await pilot.press(key)
        await wait_until(pilot, lambda: type(app.screen).__name__ == screen)
        await pilot.pause(0.1)
        assert app.screen._pending is True and content not in screen_text(app)
        if key == "H":
            assert "Handover · loading…" in screen_text(app)
        else:
            assert app.screen.loading is True
        seam.release.set()
        await wait_until(pilot, lambda: content in screen_text(app))
        assert len(_named(pushed, screen)) == 1 and seam.reads == 1


async def test_the_key_pressed_again_while_reading_opens_one_screen(board_store, board_clock, monkeypatch):
    seam, app = _app(board_store, board_clock, monkeypatch, 30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, app)
        pushed = _pushed(app)
        seam.hold = True
        await pilot.press("H", "H", "H")
        await pilot.pause()
        assert type(app.screen).__name__ == "BoardScreen" and seam.reads == 1
        seam.release.set()
        await wait_until(pilot, lambda: "SCC handover" in screen_text(app))
        await pilot.pause(0.2)
        assert len(_named(pushed, "HandoverScreen")) == 1 and seam.reads == 1
        assert [type(s).__name__ for s in app.screen_stack].count("HandoverScreen") == 1


async def test_a_screen_opened_while_reading_is_not_covered_by_the_result(board_store, board_clock, monkeypatch):
    seam, app = _app(board_store, board_clock, monkeypatch, 30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, app)
        pushed = _pushed(app)
        seam.hold = True
        await pilot.press("H")
        await pilot.press("B")  # the bed gap, while the handover is read
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BedsScreen")
        seam.release.set()
        await wait_until(pilot, lambda: not app._opening)
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "BedsScreen"
        assert _named(pushed, "HandoverScreen") == []
        await pilot.press("escape")
        await pilot.press("H")  # and the key works again afterwards
        await wait_until(pilot, lambda: "SCC handover" in screen_text(app))
