"""An exercise begins at STARTEX: the day's calls and deadlines before it never happened in the
exercise, so they are neither listed in its agenda nor reported as "missed while closed" on the
prompt line (a trainer's first screen was "missed: 08:30 NHSE/I SECAmb call" at a 10:00 STARTEX)."""

from __future__ import annotations

from datetime import datetime

import pytest

from scc_tui.app.exercise import ExerciseApp
from scc_tui.app.prompting import PromptController
from scc_tui.app.db_seam import DbSeam
from scc_tui.datafiles.scenarios import find_scenario
from scc_tui.datafiles.schedules import load_schedule
from scc_tui.domain.clock import UTC, FixedClock, SimulatedClock
from scc_tui.store.exercise import create_exercise_db

REAL = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def startex(live):
    sc = find_scenario("winter-hour")
    clock = SimulatedClock(sc.start, 60, monotonic=lambda: 0.0)
    store, _path = create_exercise_db(f"sqlite:///{live}", sc, clock)
    yield sc, clock, store
    store.dispose()


def test_the_scenario_starts_after_a_scheduled_call_that_day():
    """The premise: winter-hour's STARTEX (10:00) comes after the 08:30 SECAmb call on its day."""
    sc = find_scenario("winter-hour")
    assert (sc.start.hour, sc.start.minute) == (10, 0)


def test_at_startex_nothing_before_it_is_missed(startex):
    sc, _clock, store = startex
    schedule = load_schedule()
    live = PromptController(DbSeam(store), FixedClock(sc.start), schedule, "trainer", bell=False)
    _new, missed = live.evaluate()
    # Without STARTEX as the origin the 08:30 call is "missed" (what the test guards against) ...
    assert "NHSE/I SECAmb call" in {p.title for p in missed}

    ex = PromptController(DbSeam(store), FixedClock(sc.start), schedule, "trainer", bell=False, not_before=sc.start)
    _new, missed = ex.evaluate()
    assert missed == ()
    titles = {r.title for r in ex.view.rows}
    assert "NHSE/I SECAmb call" not in titles
    # ... and what falls at or after STARTEX is still there.
    assert "System escalation calls" in titles


async def test_the_exercise_app_prompts_from_startex(startex):
    sc, clock, store = startex
    app = ExerciseApp(store, clock, "trainer", scenario=sc, controller=True, tick_seconds=3600,
                      real_now=lambda: REAL)
    assert app.prompts is not None and app.prompts.not_before == sc.start
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.prompts.evaluate()
        await pilot.pause()
        assert app.prompts.prompt_view.missed == ()
        assert "NHSE/I SECAmb call" not in {r.title for r in app.prompts.view.rows}
        notice = app.prompt_notice.text if app.prompt_notice is not None else ""
        assert "missed while closed" not in notice, notice
