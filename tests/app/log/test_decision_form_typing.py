"""Issue 9 items 3 and 6 on the decision form: a fast burst lands in the fields it was typed in, and a
correction keeps the corrected entry's event and review times, with its text selected."""

from __future__ import annotations

from datetime import timedelta

from scc_tui.app.log.decision_form import DecisionForm
from scc_tui.store.log import get_entry, head

from tests.helpers.log import T0, USER, Harness
from tests.helpers.keys import burst, keys_for
from tests.pilot import wait_until


async def started(pilot):
    screen = pilot.app.log_screen
    await wait_until(pilot, lambda: screen.loaded and not screen.loading)
    await pilot.pause()  # and drawn
    return screen


async def test_decision_typed_in_one_burst(seeded, clock):
    fields = ["Open 4 escalation beds", "Swale at OPEL 3, 12 in ED", "Corridor care", "12h count", "Site lead"]
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, DecisionForm))
        await pilot.pause()
        keys: list[str] = []
        for text in fields:
            keys += keys_for(text) + ["tab"]
        burst(app, keys[:-1] + ["ctrl+s"])
        await wait_until(pilot, lambda: head(seeded)[0] == 10)
        e = get_entry(seeded, 10)
        assert (e.text, e.rationale, e.risk, e.risk_measure, e.owner, e.author) == (*fields, USER)


async def _correct_4(pilot, app):
    screen = await started(pilot)
    screen.table.move_cursor(row=[int(screen.table.coordinate_to_cell_key((i, 0)).row_key.value)
                                  for i in range(screen.table.row_count)].index(4))
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, DecisionForm))
    await pilot.pause()
    return app.screen


async def test_correction_keeps_event_and_review_time_and_replaces_the_text(seeded, clock):
    original = get_entry(seeded, 4)
    assert original.review_at is not None and original.review_at < T0  # a past review time, kept as is
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _correct_4(pilot, app)
        assert form.corrects.seq == 4
        burst(app, keys_for("Open 8 escalation beds at Swale community hospital."))  # typed over the selection
        await pilot.pause()
        burst(app, ["ctrl+s"])
        await wait_until(pilot, lambda: head(seeded)[0] == 10)
    e = get_entry(seeded, 10)
    assert (e.kind, e.corrects_seq) == ("decision", 4)
    assert e.text == "Open 8 escalation beds at Swale community hospital."
    assert e.event_at == original.event_at and e.review_at == original.review_at
    assert e.rationale == original.rationale
    assert e.late_reason and "#4" in e.late_reason  # recorded now, about an earlier event: says why


async def test_correction_with_a_changed_event_time_uses_it(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _correct_4(pilot, app)
        form.query_one("#df-event_at").value = "-5m"
        form.query_one("#df-review_at").value = "+1h"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: head(seeded)[0] == 10)
    e = get_entry(seeded, 10)
    assert e.event_at == T0 - timedelta(minutes=5) and e.review_at == T0 + timedelta(hours=1)
    assert e.late_reason is None  # not late: the automatic reason is dropped


async def test_a_fixed_field_loses_its_error_at_once_and_required_fields_are_marked(seeded, clock):
    """Issue 12 item 9: the form kept stale error text after a fix, and did not mark the decision itself
    as required."""
    from textual.widgets import Static

    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, DecisionForm))
        await pilot.pause()
        form = app.screen
        labels = [str(w.render()) for w in form.query(".df-label.-required")]
        assert labels == ["Decision *", "Rationale *"]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: set(form.errors) >= {"text", "rationale"})

        def shown(fid: str) -> str:
            return str(form.query_one(f"#df-{fid}-error", Static).render())

        assert shown("text") and shown("rationale")
        assert form.focused is form.query_one("#df-text")
        await pilot.press(*"Open 4 beds")
        await wait_until(pilot, lambda: "text" not in form.errors)
        assert shown("text") == "" and shown("rationale") != ""  # fixed: gone; not fixed: still there
        assert form.focused is form.query_one("#df-text")  # typing never moves the cursor elsewhere
        form.query_one("#df-rationale").focus()
        await pilot.press(*"ED full")
        await wait_until(pilot, lambda: not form.errors)
        assert shown("rationale") == "" and str(form.query_one("#df-status", Static).render()) == ""


async def test_d_on_the_board_opens_the_form_over_the_board_and_returns_there(board_store, board_clock):
    """D on the board pushes the decision form alone (no log screen under it: one screen to lay out);
    saving says the entry's number and goes back to the board; L then shows the entry."""
    from scc_tui.store.models import LogEntry
    from sqlmodel import select
    from tests.helpers.board import make_app, open_board

    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, app)
        board = app.screen
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, DecisionForm))
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["BoardScreen", "DecisionForm"]
        await pilot.pause()
        burst(app, keys_for("Open 4 escalation beds") + ["tab"] + keys_for("Swale at OPEL 3") + ["ctrl+s"])
        await wait_until(pilot, lambda: app.screen is board)
        with board_store.read() as s:
            e = s.exec(select(LogEntry).order_by(LogEntry.seq.desc())).first()
        assert (e.kind, e.text, e.rationale, e.author) == ("decision", "Open 4 escalation beds", "Swale at OPEL 3",
                                                          app.user)
        await wait_until(pilot, lambda: any(f"Decision logged as #{e.seq}" in n.message for n in app._notifications))
        # Esc on an untouched form: straight back to the board
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, DecisionForm))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is board)
