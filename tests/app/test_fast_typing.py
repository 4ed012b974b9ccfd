"""Issue 9 item 3: keys typed faster than the form handles them land in the field they were typed in.

A real terminal delivers a burst ("1 Tab 2 Tab 3", a paste, keys bunched by a slow SSH link) as one
read: the driver's input thread posts every key to the app before the first is handled. ``burst``
does exactly that (``Driver.send_message`` from the test, as the input thread does), so no key waits
for the previous one to be handled. ``pilot.press`` waits for idle between keys and is also checked.
"""

from __future__ import annotations

import json

from sqlmodel import select

from tests.helpers.board import USER, VALUES, make_app, open_board
from tests.helpers.keys import VALUES_TYPED, burst, keys_for, open_form, saved_assessments, typed_assessment
from tests.pilot import screen_text, wait_until



async def _type_and_save(board_store, board_clock, send, sep="tab"):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, app, "n", "Kent & Canterbury Hospital", "AssessmentScreen")
        before = len(await saved_assessments(board_store))
        await send(pilot, typed_assessment(VALUES_TYPED, sep) + ["ctrl+s"])
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        rows = await saved_assessments(board_store)
        assert len(rows) == before + 1
        assert json.loads(rows[-1].values_json) == {k: float(v) for k, v in VALUES_TYPED.items()}
        assert rows[-1].author == USER


async def _burst(pilot, keys):
    burst(pilot.app, keys)


async def _press(pilot, keys):
    await pilot.press(*keys)


async def test_assessment_typed_in_one_burst_saves_what_was_typed(board_store, board_clock):
    await _type_and_save(board_store, board_clock, _burst)


async def test_assessment_typed_in_one_burst_with_enter_between_fields(board_store, board_clock):
    await _type_and_save(board_store, board_clock, _burst, sep="enter")


async def test_assessment_pressed_with_no_pauses_saves_what_was_typed(board_store, board_clock):
    await _type_and_save(board_store, board_clock, _press)


async def test_enter_on_the_save_button_still_saves(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, "n", "Kent & Canterbury Hospital", "AssessmentScreen")
        before = len(await saved_assessments(board_store))
        for key, value in VALUES_TYPED.items():
            form.query_one(f"#v-{key}").value = value
        await wait_until(pilot, lambda: not form.query_one("#save").disabled)
        form.query_one("#save").focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        assert len(await saved_assessments(board_store)) == before + 1


async def test_declaration_typed_in_one_burst(board_store, board_clock):
    """The level key is handled by the picker, not resolved against the reason field focused by then."""
    from scc_tui.store.models import Declaration

    reason = "Two wards shut, 12 in ED over 12h"
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, app, "d", "Maidstone Hospital", "DeclareScreen")
        form = app.screen
        burst(app, ["4", "tab", *keys_for(reason), "ctrl+s"])
        await wait_until(pilot, lambda: app.screen is not form)  # saved (then OPEL 4 offers a plan entry)
        with board_store.read() as session:
            latest = session.exec(select(Declaration).order_by(Declaration.id.desc())).first()
        assert (latest.level, latest.reason, latest.author) == (4, reason, USER)


async def test_filter_typed_in_one_burst_after_the_slash(board_store, board_clock):
    """"/" then a name in one read (a quick typist, a bunched SSH link): the name's first letter goes to
    the filter field that "/" opens, not to the board (seen over SSH: "filter: aidstone Hospital")."""
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, app)
        board = app.screen
        # and the keys after Enter are the board's again: G (last row, the area) and d (declare)
        burst(app, ["slash", *keys_for("Maidstone Hospital"), "enter", "G", "d"])
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen", timeout=5)
        assert board.filter_text == "Maidstone Hospital"
        await wait_until(pilot, lambda: "Declare level · Maidstone Hospital" in screen_text(app), timeout=5)


async def test_slash_and_escape_in_the_note_bar_are_the_notes(board_store, board_clock):
    """The board's "/" and Esc are priority keys; in the quick-note bar "/" is a character and Esc
    cancels the note (the filter stays as it was)."""
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        board = app.screen
        await open_board(pilot, app)
        await pilot.press("slash", *keys_for("West"), "enter")
        await wait_until(pilot, lambda: board.focused is board.board_view)
        await pilot.press("a")
        note = board.query_one("#qe-input")
        await wait_until(pilot, lambda: board.focused is note)
        await pilot.press(*keys_for("ED 12/40"))
        assert note.value == "ED 12/40"
        await pilot.press("escape")
        await wait_until(pilot, lambda: board.focused is not note)
        assert board.filter_text == "West" and board.query_one("#filter").value == "West"


async def test_a_note_typed_in_one_burst_after_a_is_the_note(board_store, board_clock):
    """The note bar's fields are mounted on the first "a" (not with the board); the keys after it in one
    burst still land in its input, and Enter saves them, on the board and on the log screen."""
    from scc_tui.store.log import list_entries

    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, app)
        assert not app.screen.query("#qe-input")  # not mounted with the board
        burst(app, ["a", *keys_for("Called QEQM site lead"), "enter"])
        await wait_until(pilot, lambda: any(e.text == "Called QEQM site lead" for e in list_entries(board_store)))
        await pilot.press("L")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LogScreen" and " shown of #" in screen_text(app))
        burst(app, ["a", *keys_for("Bed meeting moved to 14:00"), "enter"])
        await wait_until(pilot, lambda: any(e.text == "Bed meeting moved to 14:00" for e in list_entries(board_store)))
        notes = [e for e in list_entries(board_store) if e.kind == "note"]
        assert [e.author for e in notes[-2:]] == [USER, USER]
