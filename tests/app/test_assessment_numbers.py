"""Issue 9 item 4 in the assessment form: ``72,5`` is 72.5, an ambiguous number is refused inline and
nothing is saved, and a value beyond the published range is named in the preview."""

from __future__ import annotations

import json

from sqlmodel import select

from tests.helpers.keys import VALUES_TYPED, open_form, saved_assessments
from tests.helpers.board import KEYS, make_app
from tests.pilot import screen_text, wait_until


async def _fill(pilot, form, values):
    for key, value in values.items():
        form.query_one(f"#v-{key}").value = value
    await pilot.pause()


async def test_decimal_comma_is_saved_as_a_decimal(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, "n", "Kent & Canterbury Hospital", "AssessmentScreen")
        await _fill(pilot, form, {**VALUES_TYPED, "ed_4hr_pct": "72,5"})
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        rows = await saved_assessments(board_store)
        assert json.loads(rows[-1].values_json)["ed_4hr_pct"] == 72.5


async def test_ambiguous_number_is_refused_inline_and_not_saved(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, "n", "Kent & Canterbury Hospital", "AssessmentScreen")
        before = len(await saved_assessments(board_store))
        await _fill(pilot, form, {**VALUES_TYPED, "ed_attendances_vs_expected_pct": "1,234"})
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" in screen_text(app))
        assert "ambiguous" in str(form.query_one("#e-ed_attendances_vs_expected_pct").render())
        assert "1234 or 1.234" in str(form.query_one("#e-ed_attendances_vs_expected_pct").render())
        assert type(app.screen).__name__ == "AssessmentScreen"
        assert len(await saved_assessments(board_store)) == before


async def test_value_beyond_the_published_range_is_named_in_the_preview(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(pilot, app, "n", "Kent & Canterbury Hospital", "AssessmentScreen")
        await _fill(pilot, form, {**VALUES_TYPED, "ed_4hr_pct": "150"})
        preview = str(form.query_one("#preview").render())
        title = next(p.title for p in form.params if p.key == "ed_4hr_pct")
        assert "Outside the published range" in preview
        assert f"{title} = 150" in preview
        assert KEYS[0] not in preview  # named by its title, not its key
