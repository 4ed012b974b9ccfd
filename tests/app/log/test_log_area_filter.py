"""The log screen's ``area:`` filter and the decision form's Areas field, through Pilot, on the demo's
area hierarchy: names match ignoring case, by short name or the start of a name, and a filter includes
the areas under the one asked for (East Kent -> QEQM Hospital). An unknown area is refused inline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from scc_tui.app.log.decision_form import DecisionForm
from scc_tui.store.areas import import_areas
from scc_tui.store.log import get_entry, head

from tests.helpers.log import T0, USER, Harness, append_at
from tests.pilot import wait_until

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def kent(store):
    store.clock.set(T0)
    import_areas(store, ROOT / "scc_tui" / "data" / "areas" / "demo.toml", author="seed", log=False)
    d = timedelta
    for i, (text, area) in enumerate([
        ("QEQM ED at 140%.", "QEQM Hospital"),
        ("East Kent system call.", "East Kent"),
        ("WHH escalation beds open.", "William Harvey Hospital"),
        ("Medway discharge lounge.", "Medway Maritime Hospital"),
        ("Swale care home beds.", "KCC Swale"),
    ]):
        append_at(store, T0 - d(hours=5 - i), kind="note", text=text, author=USER, areas=[area])
    return store


def shown(screen) -> list[int]:
    table = screen.table
    return [int(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


CASES = [
    ("area:qeqm", [1]),
    ('area:"QEQM Hospital"', [1]),
    ("area:QEQM Hospital", [1]),  # unquoted: the words continue the name
    ("area:east kent", [3, 2, 1]),
    ('area:"east kent"', [3, 2, 1]),
    ("area:qeqm beds", []),  # "qeqm beds" begins no name: "beds" is a word to find, and entry 1 has none
    ("area:east kent beds", [3]),
    ("area:east", [3, 2, 1]),  # the start of a name
    ("area:whh,medway", [4, 3]),
    ("area:swale", [5]),  # the KCC ASC plan's area name
    ('area:"Kent and Medway ICS"', [5, 4, 3, 2, 1]),
]


async def test_area_filter_cases(kent, clock):
    app = Harness(kent, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.log_screen
        await wait_until(pilot, lambda: screen.loaded and not screen.loading)
        assert shown(screen) == [5, 4, 3, 2, 1]
        for query, expected in CASES:
            await pilot.press("slash")
            screen.query_one("#log-filter").value = query
            await pilot.press("enter")
            await wait_until(pilot, lambda: not screen.loading and shown(screen) == expected)
            assert not screen.query_one("#log-filter-error").has_class("-shown"), query


async def test_unknown_area_is_refused_inline(kent, clock):
    app = Harness(kent, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.log_screen
        await wait_until(pilot, lambda: screen.loaded and not screen.loading)
        for query, message in [("area:atlantis", "unknown area 'atlantis'"), ("area:kent", "could be")]:
            await pilot.press("slash")
            screen.query_one("#log-filter").value = query
            await pilot.press("enter")
            await pilot.pause()
            err = screen.query_one("#log-filter-error")
            assert err.has_class("-shown") and message in str(err.render())
            assert screen.filter.empty and shown(screen) == [5, 4, 3, 2, 1]
            await pilot.press("escape")


async def test_decision_form_accepts_the_names_its_placeholder_suggests(kent, clock):
    app = Harness(kent, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.log_screen
        await wait_until(pilot, lambda: screen.loaded and not screen.loading)
        await pilot.press("D")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm)
        form.query_one("#df-text").load_text("Open 4 escalation beds")
        form.query_one("#df-rationale").load_text("Swale and QEQM at OPEL 3")
        form.query_one("#df-areas").value = "Swale, QEQM, Nowhere"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "areas" in form.errors)
        assert "Nowhere" in form.errors["areas"] and head(kent)[0] == 5
        form.query_one("#df-areas").value = "Swale, QEQM"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: head(kent)[0] == 6)
        assert get_entry(kent, 6).areas_json == '["KCC Swale", "QEQM Hospital"]'
