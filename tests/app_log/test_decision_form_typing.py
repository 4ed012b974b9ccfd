"""Issue 9 items 3 and 6 on the decision form: a fast burst lands in the fields it was typed in, and a
correction keeps the corrected entry's event and review times, with its text selected."""

from __future__ import annotations

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
