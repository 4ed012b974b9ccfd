"""Issue 13 item 3 (the app): a Pilot test of the trainer's keys — pause/resume, speed change, jump to
the next inject — on a simulated clock that tests drive (no sleeping); the EXERCISE banner on every
screen (in every screenshot); the real-world emergency stop any participant can press, logged, seen by
the controller's session; ENDEX opens the hot debrief."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from scc_tui.app.exercise import CONTROLLER_KEYS, PARTICIPANT_KEYS, ExerciseApp, ExerciseBanner, HotDebriefScreen
from scc_tui.datafiles.scenarios import find_scenario
from scc_tui.domain.clock import UTC, SimulatedClock
from scc_tui.store.exercise import create_exercise_db, meta, read_clock_state
from tests.helpers.exercise import sha256

REAL = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Mono:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def exercise(live):
    sc = find_scenario("winter-hour")
    mono = Mono()
    clock = SimulatedClock(sc.start, 60, monotonic=mono)
    before = sha256(live)
    store, path = create_exercise_db(f"sqlite:///{live}", sc, clock)
    yield sc, clock, mono, store, path
    store.dispose()
    assert sha256(live) == before


def _app(sc, clock, store, *, controller=True, user="trainer"):
    return ExerciseApp(store, clock, user, scenario=sc, controller=controller, tick_seconds=3600,
                       real_now=lambda: REAL)


async def _settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _banner(app) -> str:
    return str(app.screen.query_one(ExerciseBanner).render())


def _shot(app) -> str:
    """The screenshot's text (the SVG writes spaces as &#160;)."""
    return app.export_screenshot().replace("&#160;", " ")


def _log(path) -> list[tuple[str, str]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT author, text FROM log_entry ORDER BY seq").fetchall()
    finally:
        con.close()


def test_the_key_lines_fit_80_columns():
    assert len(CONTROLLER_KEYS) <= 78 and len(PARTICIPANT_KEYS) <= 78


async def test_pause_speed_change_and_jump_to_next_inject(exercise):
    sc, clock, mono, store, path = exercise
    app = _app(sc, clock, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        assert "EXERCISE EXERCISE EXERCISE" in _banner(app) and "F5 Pause" in _banner(app)
        # Pause: the simulated time stands still however much real time passes; shared with joiners.
        await pilot.press("f5")
        await _settle(app, pilot)
        assert clock.paused and "PAUSED" in _banner(app)
        mono.t += 600
        assert clock.now() == sc.start
        assert read_clock_state(store)["paused"] is True and meta(store)["exercise_state"] == "paused"
        # Jump to the next inject, one at a time: I1 (due at STARTEX: released now), I2 (+0h05m), I3 (+0h10m).
        released = []
        for inject in ("I1", "I2", "I3"):
            await pilot.press("f4")
            await _settle(app, pilot)
            released.append(inject)
            assert clock.now() == sc.inject(inject).at
            texts = [t for a, t in _log(path) if a == "EXERCISE CONTROL" and t.startswith("EXERCISE inject")]
            assert [t.split()[2] for t in texts] == released
        assert "next I4" in _banner(app) and "Mon 11 Jan 10:10" in _banner(app)
        con = sqlite3.connect(path)
        assert con.execute("SELECT author FROM assessment").fetchall() == [("EXERCISE CONTROL",)]  # I2
        con.close()
        # Resume: 10 real seconds at ×60 are ten simulated minutes.
        await pilot.press("f5")
        await _settle(app, pilot)
        at = clock.now()
        assert not clock.paused and at == sc.inject("I3").at
        mono.t += 10
        assert clock.now() == at + timedelta(minutes=10)
        # Speed: ×60 -> ×120, the simulated time unchanged by the change itself; shared with joiners.
        at = clock.now()
        await pilot.press("f6")
        await _settle(app, pilot)
        assert clock.speed == 120 and clock.now() == at and "×120" in _banner(app)
        assert read_clock_state(store)["speed"] == 120
        mono.t += 1
        assert clock.now() == at + timedelta(minutes=2)


async def test_the_banner_is_on_every_screen(exercise):
    sc, clock, mono, store, path = exercise
    app = _app(sc, clock, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        screens = []
        for action in ("help", "open_log", "agenda", "handover", "escalations"):
            getattr(app, f"action_{action}")()
            await _settle(app, pilot)
            screens.append(type(app.screen).__name__)
            assert app.screen.query(ExerciseBanner), type(app.screen).__name__
            assert "EXERCISE EXERCISE EXERCISE" in _shot(app), type(app.screen).__name__
            app.pop_screen()
            await _settle(app, pilot)
        assert len(set(screens)) == 5
        assert "EXERCISE EXERCISE EXERCISE" in _shot(app)  # the board again
        # ENDEX: the hot debrief, with the banner too.
        await pilot.press("f9")
        await _settle(app, pilot)
        assert isinstance(app.screen, HotDebriefScreen)
        assert "\nExpected responses:\n  E1 NOT-RELEASED" in str(app.screen.query_one("#debrief-text").render())
        assert "EXERCISE EXERCISE EXERCISE" in _shot(app) and "Expected responses" in _shot(app)
        assert meta(store)["exercise_state"] == "endex"
        # after ENDEX no inject is next (the unreleased one is not offered as coming up)
        assert "ENDEX · debrief" in app.banner_text() and " next " not in app.banner_text()


async def test_any_participant_can_stop_play_for_a_real_world_emergency(exercise):
    sc, clock, mono, store, path = exercise
    controller = _app(sc, clock, store)
    async with controller.run_test(size=(100, 30)) as cpilot:
        await _settle(controller, cpilot)
        # A participant joins (same database, their own clock following the controller's).
        jclock = SimulatedClock(sc.start, 60, monotonic=Mono())
        viewer = _app(sc, jclock, store, controller=False, user="viewer.one")
        async with viewer.run_test(size=(100, 30)) as vpilot:
            await _settle(viewer, vpilot)
            assert PARTICIPANT_KEYS in _banner(viewer) and "F5 Pause" not in _banner(viewer)
            await vpilot.press("f5")  # not the controller: the trainer's keys do nothing
            await _settle(viewer, vpilot)
            assert not clock.paused and not jclock.paused
            await vpilot.press("f12")
            await _settle(viewer, vpilot)
            assert jclock.paused and "REAL-WORLD EMERGENCY" in _banner(viewer)
        stops = [(a, t) for a, t in _log(path) if "REAL-WORLD EMERGENCY" in t]
        assert stops and stops[0][0] == "viewer.one" and stops[0][1].startswith("EXERCISE STOPPED")
        # The controller's session sees it at its next tick and stops play too.
        controller.exercise_tick()
        await _settle(controller, cpilot)
        assert clock.paused and "REAL-WORLD EMERGENCY (viewer.one)" in _banner(controller)
        await cpilot.press("f4")  # play stays stopped
        await _settle(controller, cpilot)
        assert not [t for a, t in _log(path) if t.startswith("EXERCISE inject")]


def test_the_prompt_bar_can_be_updated_before_it_is_composed():
    """A prompt falling due as a new screen opens (ENDEX's hot debrief at 80x24) updated a bar mounted a
    moment before, whose label did not exist yet: NoMatches ended the app."""
    from scc_tui.app.prompt_bar import PromptBar

    bar = PromptBar("EXERCISE by 10:00 first")
    bar.update("EXERCISE by 10:30 KCC daily SHREWD update (4 owing)")
    assert bar.text.endswith("(4 owing)")
