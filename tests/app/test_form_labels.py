"""Issue 12 item 4: assessment-form labels are never cut (at 40 characters they hid units and
"(optional)"): every label is shown whole, wrapped when long, at 80x24 and 160x50."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Label

from scc_tui.app.board import detail_model
from scc_tui.app.screens import assess
from tests.helpers.board import make_app
from tests.pilot import screen_text, wait_until


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
async def test_every_label_whole_with_its_unit_and_optional(board_store, board_clock, monkeypatch, size):
    real = detail_model.params

    def params(method, **kw):  # the last parameter optional, as some plans' are
        ps = real(method, **kw)
        return ps[:-1] + [dataclasses.replace(ps[-1], required=False)]

    monkeypatch.setattr(assess, "plan_params", params)
    app = make_app(board_store, board_clock, prompts=False)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        qeqm = app.find_area("QEQM Hospital")
        app.open_assessment(qeqm.area_id)
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AssessmentScreen")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        labels = list(app.screen.query(".field-label").results(Label))
        assert len(labels) == 9
        for label in labels:
            full = str(label.render())
            r = label.region
            shown = " ".join(lines[y][r.x:r.right].strip() for y in range(r.y, r.bottom))
            assert " ".join(shown.split()) == " ".join(full.split()), (shown, full)
        assert str(labels[0].render()).endswith("(min)")
        assert str(labels[-1].render()).endswith("(%) (optional)")
