"""Every store call the app makes goes through its seam, and none runs on the UI thread: a walk through
the screens (board, detail, an assessment saved, a declaration, the log, a note and an area filter,
escalations, risks, the handover logged, the sitrep, an agenda item acknowledged, a lesson recorded at the
hot debrief) on the real ``DbSeam``, each call's thread recorded."""

from __future__ import annotations

import threading

from scc_tui.app.db_seam import DbSeam
from scc_tui.app.seam import StoreSeam
from tests.helpers.board import highlight, open_board
from tests.helpers.keys import VALUES_TYPED
from tests.helpers.board import make_app
from tests.helpers.seam import FakeSeam
from tests.pilot import wait_until

METHODS = sorted(n for n in vars(StoreSeam) if not n.startswith("_"))


def test_both_seams_have_every_method_of_the_protocol():
    assert len(METHODS) >= 20
    for cls in (DbSeam, FakeSeam):
        assert [m for m in METHODS if not callable(getattr(cls, m, None))] == [], cls


class WatchedSeam(DbSeam):
    """DbSeam that notes, per call, the method and whether it ran on the main (UI) thread."""

    def __init__(self, store) -> None:
        super().__init__(store)
        self.calls: list[tuple[str, bool]] = []


def _watched(name):
    real = getattr(DbSeam, name)

    def call(self, *args, **kwargs):
        self.calls.append((name, threading.current_thread() is threading.main_thread()))
        return real(self, *args, **kwargs)

    return call


for _name in METHODS:
    setattr(WatchedSeam, _name, _watched(_name))


async def to_board(pilot) -> None:
    """Esc until the board (the first Esc may hide the prompt line instead)."""
    for _ in range(5):
        if type(pilot.app.screen).__name__ == "BoardScreen":
            return
        await pilot.press("escape")
        await pilot.pause()
    assert type(pilot.app.screen).__name__ == "BoardScreen"


async def test_no_store_call_on_the_ui_thread(board_store, board_clock, winter):
    seam = WatchedSeam(board_store)
    app = make_app(seam, board_clock, poll_interval=0.05, schedule=winter)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Kent & Canterbury Hospital")
        await pilot.press("enter")  # the detail
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False), what="the detail read")
        await pilot.press("n")  # an assessment, saved
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AssessmentScreen")
        form = app.screen
        for key, value in VALUES_TYPED.items():
            form.query_one(f"#v-{key}").value = value
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DetailScreen", what="the assessment saved")
        await pilot.press("d")  # a declaration
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        await pilot.press("3", "tab", *"Two wards reopened", "ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DetailScreen", what="the declaration saved")
        await to_board(pilot)
        await pilot.press("L")  # the log, and a note
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LogScreen" and app.screen.loaded,
                         what="the log read")
        await pilot.press("a")
        await wait_until(pilot, lambda: app.screen.quick.is_open, what="the quick entry open")
        await pilot.press(*"checked the doors", "enter")
        await wait_until(pilot, lambda: ("append_log", False) in seam.calls, what="the note written")
        log = app.screen
        await pilot.press("slash")  # an area filter (matched against the areas the workers read)
        log.query_one("#log-filter").value = "area:qeqm"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not log.filter.empty and not log.loading, what="the log filtered")
        await to_board(pilot)
        await pilot.press("e")  # escalations
        await wait_until(pilot, lambda: "active_escalations" in [n for n, _ in seam.calls])
        await to_board(pilot)
        await pilot.press("R")  # risks
        await wait_until(pilot, lambda: "open_risks" in [n for n, _ in seam.calls])
        await to_board(pilot)
        await pilot.press("H")  # the handover, logged
        await wait_until(pilot, lambda: getattr(app.screen, "handover", None) is not None, what="the handover read")
        await pilot.press("L", "y")
        await wait_until(pilot, lambda: app.screen.logged_seq is not None, what="the handover logged")
        await to_board(pilot)
        await pilot.press("S")  # the upward sitrep
        await wait_until(pilot, lambda: getattr(app.screen, "sitrep", None) is not None, what="the sitrep cut")
        await to_board(pilot)
        await pilot.press("c")  # the agenda: acknowledge the first open item
        await wait_until(pilot, lambda: "prompt_records" in [n for n, _ in seam.calls])
        panel = app.screen.query_one("AgendaPanel")
        await wait_until(pilot, lambda: any(r.actionable for r in panel.view.rows), what="an open prompt")
        panel.cursor = next(i for i, r in enumerate(panel.view.rows) if r.actionable)
        await pilot.press("A", "y")
        await wait_until(pilot, lambda: "acknowledge_prompt" in [n for n, _ in seam.calls], what="the acknowledgement")
        await pilot.pause()
        await to_board(pilot)
        # The hot debrief (an exercise's, shown here over this database): a lesson recorded, the list re-read.
        from scc_tui.app.debrief import HotDebriefScreen
        from scc_tui.datafiles.scenarios import find_scenario
        from scc_tui.store.exercise import debrief

        scenario = find_scenario("winter-hour")
        debrief_screen = HotDebriefScreen(debrief(board_store, scenario), scenario=scenario)
        app.push_screen(debrief_screen)
        await wait_until(pilot, lambda: app.screen is debrief_screen, what="the debrief")
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LessonForm", what="the lesson form")
        await pilot.press(*"Call earlier", "tab", *"SCC", "tab", *"+7d", "ctrl+s")
        await wait_until(pilot, lambda: "Call earlier" in str(debrief_screen.query_one("#debrief-text").render()),
                         what="the lesson saved and the debrief re-read")
    called = {n for n, _ in seam.calls}
    assert {"board_statuses", "area_records", "save_assessment", "save_declaration", "log_page", "log_area_refs", "append_log",
            "active_escalations", "open_risks", "handover", "sitrep", "prompt_records", "acknowledge_prompt",
            "add_lesson", "exercise_debrief"} <= called
    assert [n for n, on_ui in seam.calls if on_ui] == []
