"""SVG snapshots of the agenda (80x24 as a full panel, 160x50 docked beside the board) and of the
handover screen. Fixed clock, data and user; SQLite only (the picture does not depend on the backend).
Review as pictures: ``pytest tests/app/agenda --snapshot-update`` then open the SVGs."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.app import App

from scc_tui.domain.clock import UTC, FixedClock
from scc_tui.app.db_seam import DbSeam
from scc_tui.domain.handover import EntryLine, ItemLine, PromptLine, build_handover
from tests.helpers.agenda import STATUSES, T, AgendaHarness, _app, _ready, _ready_with_toast, make_controller
from tests.helpers.seam import FakeSeam
from tests.pilot import screen_strips, screen_text, wait_until


def test_agenda_80x24(day_store, snap_compare):
    store, clock = day_store
    assert snap_compare(_app(store, clock, docked=False), terminal_size=(80, 24), run_before=_ready)


def test_agenda_160x50_docked(day_store, snap_compare):
    store, clock = day_store
    assert snap_compare(_app(store, clock, docked=True), terminal_size=(160, 50), run_before=_ready)


def test_agenda_80x24_missed_toast(closed_store, snap_compare):
    """What the first session of the day, opening at 11:00, sees: one summary of what was missed, no
    bell storm."""
    store, clock = closed_store
    assert snap_compare(_app(store, clock, docked=False), terminal_size=(80, 24), run_before=_ready_with_toast)


def test_agenda_watcher_warning_80x24(day_store, snap_compare):
    store, clock = day_store

    async def stalled(pilot):
        await _ready(pilot)
        clock.set(T(10, 34))  # the scheduler and the tick stall: 10:30 passes unseen
        pilot.app.controller.monotonic = lambda: 300.0
        await pilot.pause()
        pilot.app.query_one("AgendaPanel").refresh()
        await pilot.pause()

    assert snap_compare(_app(store, clock, docked=False), terminal_size=(80, 24), run_before=stalled)


HANDOVER_AT = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def _handover():
    return build_handover(
        HANDOVER_AT,
        STATUSES,
        {"QEQM Hospital": 4, "William Harvey Hospital": 2, "Maidstone Hospital": 3, "Tunbridge Wells Hospital": 2,
         "DGS": 3, "Swale": 2},
        [PromptLine("KCC update (OPEL 2 and above) (deadline)", T(10, 15), "missed"),
         PromptLine("System escalation calls (starting)", T(15, 0), "not acknowledged")],
        [EntryLine(4, T(10, 52), "alice", "decision", "Open 6 escalation beds at QEQM"),
         EntryLine(7, T(15, 40), "bob", "action", "Chase DGS for the afternoon KCC update")],
        [ItemLine("NHSE/I SECAmb call", datetime(2026, 11, 24, 8, 30, tzinfo=UTC)),
         ItemLine("OPEL assessment submitted (deadline)", datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
         ItemLine("System escalation calls", datetime(2026, 11, 24, 10, 30, tzinfo=UTC))],
    )


class _HandoverHarness(App):
    def on_mount(self) -> None:
        from scc_tui.app.screens.handover_screen import HandoverScreen

        self.push_screen(HandoverScreen(FakeSeam(), user="alice", handover=_handover()))


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_handover_screen(snap_compare, size):
    async def ready(pilot):
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(_HandoverHarness(), terminal_size=size, run_before=ready)


async def test_handover_screen_saves_and_logs_once(store, clock, tmp_path):
    from scc_tui.app.screens.handover_screen import HandoverScreen
    from scc_tui.store.log import list_entries

    clock.set(HANDOVER_AT)
    screen = HandoverScreen(DbSeam(store), user="alice", handover=_handover(), save_dir=tmp_path)

    class _App(App):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with _App().run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.press("l")  # l is "right" elsewhere: it logs nothing here
        await pilot.pause()
        assert [e for e in list_entries(store) if e.kind == "handover"] == []
        await pilot.press("L", "n")  # asks first; "n" logs nothing
        await pilot.pause()
        assert [e for e in list_entries(store) if e.kind == "handover"] == []
        await pilot.press("L", "y")
        await pilot.press("L")  # a second press, while it is written or after, does not log twice
        await wait_until(pilot, lambda: screen.logged_seq is not None, what="the handover logged (a worker)")
        await pilot.press("L")
        await pilot.pause()
    saved = tmp_path / "handover-20261123-1800.md"
    assert saved.read_text(encoding="utf-8").startswith("# SCC handover — Monday 23 November 2026 18:00")
    entries = [e for e in list_entries(store) if e.kind == "handover"]
    assert len(entries) == 1 and entries[0].author == "alice"
    assert "QEQM Hospital: OPEL 4, day 3 at level" in entries[0].text
    assert screen.logged_seq == entries[0].seq


async def test_handover_save_goes_to_the_export_folder_not_the_working_directory(store, clock, tmp_path,
                                                                                monkeypatch):
    """Issue 12 item 8: ``s`` wrote into whatever directory scc was started in and showed the path only in
    a fading notification. It saves to ~/Documents (or home, or $SCC_EXPORT_DIR) and the status line keeps
    the full path."""
    from scc_tui.app.screens.handover_screen import HandoverScreen, export_dir
    from scc_tui.settings import Settings

    home, cwd = tmp_path / "home", tmp_path / "cwd"
    (home / "Documents").mkdir(parents=True)
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SCC_EXPORT_DIR", raising=False)
    assert export_dir(Settings.from_environ({"HOME": str(tmp_path / "nodocs")})) == tmp_path / "nodocs"
    assert export_dir(Settings.from_environ({"HOME": str(home), "SCC_EXPORT_DIR": str(cwd)})) == cwd
    clock.set(HANDOVER_AT)
    screen = HandoverScreen(DbSeam(store), user="alice", handover=_handover())

    class _App(App):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with _App().run_test(size=(200, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        status = str(screen.query_one("#handover-status").render())
    saved = home / "Documents" / "handover-20261123-1800.md"
    assert saved.is_file() and list(cwd.iterdir()) == []
    assert screen.saved_to == saved
    assert f"Saved to {saved}" in status


async def test_handover_screen_prints_a_logged_link_as_text_never_as_a_terminal_hyperlink():
    """Logged text is typed by people: a Markdown link in it is shown with its address in plain
    sight, never made into a terminal hyperlink (OSC 8) that hides where it goes."""
    from textual.app import App

    from scc_tui.app.screens.handover_screen import HandoverScreen

    h = build_handover(
        HANDOVER_AT, STATUSES, {}, [],
        [EntryLine(9, T(11, 0), "mallory", "decision", "See [the bed plan](https://evil.example/x) now")], [],
    )

    class Harness(App):
        def on_mount(self) -> None:
            self.push_screen(HandoverScreen(FakeSeam(), user="alice", handover=h))

    app = Harness()
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: "the bed plan" in screen_text(app), what="the handover drawn")
        strips = screen_strips(app)
        text = screen_text(app)
        assert "the bed plan" in text and "https://evil.example/x" in text
        assert [seg.text for s in strips for seg in s if seg.style and seg.style.link] == []
