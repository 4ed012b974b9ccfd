"""Issue 9 items 3 and 6 on the decision form: a fast burst lands in the fields it was typed in, and a
correction keeps the corrected entry's event and review times, with its text selected."""

from __future__ import annotations

from datetime import timedelta

from scc_tui.app.screens.decision_form import DecisionForm
from scc_tui.store.log import get_entry, head

from logkit import T0, USER, Harness, wait_for
from tests.app.test_fast_typing import burst, keys_for


async def started(pilot):
    screen = pilot.app.log_screen
    await wait_for(pilot, lambda: screen.loaded and not screen.loading)
    return screen


async def test_decision_typed_in_one_burst(seeded, clock):
    fields = ["Open 4 escalation beds", "Swale at OPEL 3, 12 in ED", "Corridor care", "12h count", "Site lead"]
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionForm))
        await pilot.pause()
        keys: list[str] = []
        for text in fields:
            keys += keys_for(text) + ["tab"]
        burst(app, keys[:-1] + ["ctrl+s"])
        await wait_for(pilot, lambda: head(seeded)[0] == 10)
        e = get_entry(seeded, 10)
        assert (e.text, e.rationale, e.risk, e.risk_measure, e.owner, e.author) == (*fields, USER)


async def _correct_4(pilot, app):
    screen = await started(pilot)
    screen.table.move_cursor(row=[int(screen.table.coordinate_to_cell_key((i, 0)).row_key.value)
                                  for i in range(screen.table.row_count)].index(4))
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, DecisionForm))
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
        await wait_for(pilot, lambda: head(seeded)[0] == 10)
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
        await wait_for(pilot, lambda: head(seeded)[0] == 10)
    e = get_entry(seeded, 10)
    assert e.event_at == T0 - timedelta(minutes=5) and e.review_at == T0 + timedelta(hours=1)
    assert e.late_reason is None  # not late: the automatic reason is dropped
