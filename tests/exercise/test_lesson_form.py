"""Recording a lesson at the hot debrief (``n``), end to end on a real exercise database: typed at
terminal speed, refused without writing (a bad date, a viewer), Esc asks before discarding, the lesson
shown on the debrief afterwards and identical to what ``scc exercise lesson`` records. Snapshots of the
form at 80x24 and 160x50 (fixed simulated time, fixed scenario and user)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from scc_tui.app.debrief import DebriefCommands, HotDebriefScreen
from scc_tui.app.exercise import ExerciseApp
from scc_tui.app.lesson_form import LessonForm
from scc_tui.app.screens.confirm import ConfirmScreen
from scc_tui.cli import main
from scc_tui.datafiles.scenarios import find_scenario
from scc_tui.domain.clock import UTC, SimulatedClock
from scc_tui.identity import os_user
from scc_tui.store.exercise import create_exercise_db
from tests.helpers.keys import burst, keys_for
from tests.pilot import screen_text, wait_until

REAL = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]
TEXT = "Brief the duty manager before the 10.30 call"
OWNER = "SCC duty manager"


@pytest.fixture
def exercise(live):
    """winter-hour in a fresh exercise database; the simulated clock stands at STARTEX (Mon 11 Jan 2027
    10:00 London) until ENDEX pauses it there."""
    sc = find_scenario("winter-hour")
    clock = SimulatedClock(sc.start, 60, monotonic=lambda: 0.0)
    store, path = create_exercise_db(f"sqlite:///{live}", sc, clock)
    yield sc, clock, store, path
    store.dispose()


def _app(exercise, user="trainer"):
    sc, clock, store, _path = exercise
    return ExerciseApp(store, clock, user, scenario=sc, controller=True, tick_seconds=3600, real_now=lambda: REAL)


def _lessons(path) -> list[dict]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM log_entry WHERE text LIKE '%Lesson identified:%' "
                                              "ORDER BY seq")]
    finally:
        con.close()


async def _debrief(app, pilot) -> HotDebriefScreen:
    await pilot.press("f9")
    await wait_until(pilot, lambda: isinstance(app.screen, HotDebriefScreen), what="the hot debrief")
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.clear_notifications()
    return app.screen


async def _form(app, pilot) -> LessonForm:
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, LessonForm), what="the lesson form")
    await pilot.pause()
    return app.screen


def _debrief_text(screen: HotDebriefScreen) -> str:
    return str(screen.query_one("#debrief-text").render())


async def test_a_lesson_typed_at_terminal_speed_is_saved_and_listed(exercise):
    sc, clock, store, path = exercise
    app = _app(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await _debrief(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert " n Add lesson " in footer, footer  # in the footer at 80 columns
        assert "Lessons identified:" in _debrief_text(debrief) and TEXT not in _debrief_text(debrief)
        form = await _form(app, pilot)
        assert form.values() == {"text": "", "owner": "", "due": ""}  # winter-hour configures no lesson owner
        # One read from the terminal: the text, Tab, the owner, Tab, the date, Ctrl+S.
        burst(app, keys_for(TEXT) + ["tab"] + keys_for(OWNER) + ["tab"] + keys_for("+2w") + ["ctrl+s"])
        await wait_until(pilot, lambda: app.screen is debrief, what="the form saved and closed")
        await wait_until(pilot, lambda: TEXT in _debrief_text(debrief), what="the debrief re-read")
        assert f"  {TEXT} (owner: {OWNER}; due 2027-01-25)" in _debrief_text(debrief)  # STARTEX + 2 weeks
    [row] = _lessons(path)
    assert (row["author"], row["owner"], row["kind"], row["source"]) == ("trainer", OWNER, "note", "exercise")
    assert row["text"] == f"EXERCISE: Lesson identified: {TEXT}"
    assert row["review_at"].startswith("2027-01-25 09:00")  # 09:00 London (GMT in January)


async def test_the_lesson_equals_what_the_cli_records(exercise, live):
    """The same lesson recorded from the form and by ``scc exercise lesson``: every column equal but the
    entry's number, its hash chain and its timestamps (the app's simulated clock, the CLI's own)."""
    sc, clock, store, path = exercise
    user = os_user()  # the CLI's author; the app's, here
    app = _app(exercise, user=user)
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await _debrief(app, pilot)
        form = await _form(app, pilot)
        burst(app, keys_for(TEXT) + ["tab"] + keys_for(OWNER) + ["tab"] + keys_for("25/01/2027") + ["ctrl+s"])
        await wait_until(pilot, lambda: TEXT in _debrief_text(debrief), what="the lesson saved")
    assert main(["exercise", "lesson", sc.name, "--text", TEXT, "--owner", OWNER, "--due", "2027-01-25",
                 "--db", str(live)]) == 0
    app_row, cli_row = _lessons(path)
    skip = {"seq", "hash", "prev_hash", "recorded_at", "event_at"}
    assert {k: v for k, v in app_row.items() if k not in skip} == {k: v for k, v in cli_row.items() if k not in skip}
    assert app_row["author"] == user and app_row["review_at"] == cli_row["review_at"]


async def test_a_bad_due_date_is_refused_naming_the_field_and_the_typing_is_kept(exercise):
    sc, clock, store, path = exercise
    app = _app(exercise)
    async with app.run_test(size=(100, 30)) as pilot:
        await _debrief(app, pilot)
        form = await _form(app, pilot)
        burst(app, keys_for(TEXT) + ["tab"] + keys_for(OWNER) + ["tab"] + keys_for("31/02/2027") + ["ctrl+s"])
        await wait_until(pilot, lambda: form.errors, what="the refusal")
        assert form.errors == {"due": "Due date: '31/02/2027' is not a real date"}
        assert str(form.query_one("#lf-due-error").render()) == "Due date: '31/02/2027' is not a real date"
        assert form.values() == {"text": TEXT, "owner": OWNER, "due": "31/02/2027"}
        assert app.focused is form.query_one("#lf-due")
        # Yesterday (the simulated clock's London date is Mon 11 Jan 2027): in the past.
        form.query_one("#lf-due").value = "10/01/2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.errors == {"due": "Due date: 10/01/2027 is in the past (today is 11/01/2027)"}
        # Mending the field takes its error away as you type.
        form.query_one("#lf-due").value = "today"
        await pilot.pause()
        assert form.errors == {} and app.screen is form
    assert _lessons(path) == []


async def test_a_viewer_is_refused_in_one_line_and_nothing_is_written(exercise):
    sc, clock, store, path = exercise
    from scc_tui.store.models import AccessGrant

    app = _app(exercise, user="viewer.one")
    async with app.run_test(size=(100, 30)) as pilot:
        await _debrief(app, pilot)
        with store.write() as s:  # now an access file in force that does not name viewer.one: a viewer
            s.add(AccessGrant(key="boss", username="boss", role="admin", imported_at=sc.start, imported_by="boss"))
        form = await _form(app, pilot)
        burst(app, keys_for(TEXT) + ["tab"] + keys_for(OWNER) + ["tab"] + keys_for("tomorrow") + ["ctrl+s"])
        status = form.query_one("#lf-status")
        await wait_until(pilot, lambda: "Not saved" in str(status.render()), what="the refusal")
        assert str(status.render()) == ("Not saved: viewer.one (viewer: not named in the access file) "
                                        "may not write to the decision log")
        assert app.screen is form and form.values()["text"] == TEXT
    assert _lessons(path) == []


async def test_esc_with_typed_input_asks_before_discarding(exercise):
    sc, clock, store, path = exercise
    app = _app(exercise)
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await _debrief(app, pilot)
        form = await _form(app, pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_until(pilot, lambda: app.screen is debrief, what="the form closed")
        form = await _form(app, pilot)
        burst(app, keys_for("half a lesson"))
        await wait_until(pilot, lambda: form.values()["text"] == "half a lesson")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("n")  # no: back to the form, the typing kept
        await wait_until(pilot, lambda: app.screen is form)
        assert form.values()["text"] == "half a lesson"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is debrief, what="discarded")
    assert _lessons(path) == []


async def test_the_command_palette_offers_add_lesson_on_the_debrief(exercise):
    app = _app(exercise)
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await _debrief(app, pilot)
        assert DebriefCommands in type(debrief).COMMANDS
        provider = DebriefCommands(debrief)
        hits = [h async for h in provider.discover()]
        assert [h.display for h in hits] == ["Add lesson…"]
        # Through the palette itself: Ctrl+P, the words, Enter.
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", what="the palette")
        await pilot.press(*"Add lesson")
        await wait_until(pilot, lambda: "Add lesson…" in screen_text(app), what="the palette's hit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonForm), what="the form from the palette")


def test_without_a_scenario_the_debrief_offers_no_form():
    """A debrief shown without its scenario (nothing to re-read) has no ``n``."""
    screen = HotDebriefScreen({"title": "t", "scenario": "s", "state": "endex", "injects": [], "firings": [],
                               "expected": [], "lessons": []})
    assert screen.check_action("add_lesson", ()) is False


@pytest.mark.parametrize("size", SIZES)
def test_lesson_form_snapshot(exercise, snap_compare, size):
    """The form over the debrief, a lesson typed with an impossible due date and saved: refused, the field
    marked, the typing kept."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await _debrief(app, pilot)
        form = await _form(app, pilot)
        form.query_one("#lf-text").value = TEXT
        form.query_one("#lf-owner").value = OWNER
        form.query_one("#lf-due").value = "31/02/2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(_app(exercise), terminal_size=size, run_before=run_before)


async def test_a_default_owner_is_filled_in_and_is_not_unsaved_input(exercise):
    """The winter-hour scenario configures no lesson owner (the form starts empty, above); a debrief given
    one fills it in, and leaving it as it is counts as nothing typed (Esc closes at once)."""
    sc, clock, store, path = exercise
    app = _app(exercise)
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await _debrief(app, pilot)
        mine = HotDebriefScreen(debrief.debrief, scenario=sc, owner="Exercise lead")
        app.push_screen(mine)
        await wait_until(pilot, lambda: app.screen is mine)
        form = await _form(app, pilot)
        assert form.values() == {"text": "", "owner": "Exercise lead", "due": ""} and not form.has_unsaved_input()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is mine, what="closed without asking")


def test_a_debrief_read_arriving_after_the_screen_closed_is_kept_not_a_crash():
    """The re-read runs in a thread; the trainer may have left the screen by the time it arrives."""
    empty = {"title": "t", "scenario": "s", "state": "endex", "injects": [], "firings": [], "expected": [],
             "lessons": []}
    screen = HotDebriefScreen(empty, scenario=object())
    later = dict(empty, lessons=[{"text": "x", "owner": "y", "due": "2027-01-25"}])
    screen.show_debrief(later)
    assert screen.debrief is later
