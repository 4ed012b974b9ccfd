"""Issue 15 item 2, last sentence: where the live board has escalation-bed figures (the acute method's
"Open G&A beds that are escalation beds"), the area's detail shows this month's planned gap for the
bed-model site the model's data file maps the area to (``[[site]] areas``); the month is the London
month of the injected clock; no site, no line."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from scc_tui.datafiles.beds import load_bed_model, packaged_bed_model
from scc_tui.domain.beds import london_month, planned_for_area
from scc_tui.domain.clock import UTC, FixedClock
from scc_tui.domain.errors import SccError
from tests.helpers.board import VALUES, make_app
from tests.pilot import screen_text, wait_until

RSUH_AREA = "Royal Stoke University Hospital"


def test_the_data_file_maps_the_demo_hospitals_to_the_sites():
    m = packaged_bed_model()
    assert {a: m.site_of_area(a).name for a in (RSUH_AREA, "county hospital stafford", "Queen's Hospital Burton")} == {
        RSUH_AREA: "RSUH", "county hospital stafford": "County", "Queen's Hospital Burton": "QHB"}
    assert m.site_of_area("QEQM Hospital") is None


@pytest.mark.parametrize("instant, month", [
    (datetime(2025, 5, 31, 22, 59, tzinfo=UTC), "2025-05"),  # 23:59 BST, Saturday 31 May
    (datetime(2025, 5, 31, 23, 0, tzinfo=UTC), "2025-06"),  # 00:00 BST, 1 June (UTC still says May)
    (datetime(2025, 1, 31, 23, 59, tzinfo=UTC), "2025-01"),  # GMT: London = UTC
    (datetime(2025, 2, 1, 0, 0, tzinfo=UTC), "2025-02"),
])
def test_the_month_is_londons(instant, month):
    assert london_month(instant) == month


def test_this_months_gap_and_balance_at_the_month_boundary():
    m = packaged_bed_model()
    may = planned_for_area(m, RSUH_AREA, london_month(datetime(2025, 5, 31, 22, 59, tzinfo=UTC)))
    june = planned_for_area(m, RSUH_AREA, london_month(datetime(2025, 5, 31, 23, 0, tzinfo=UTC)))
    assert (may.row.gap, may.row.balance) == (-142, 14)
    assert (june.row.gap, june.row.balance) == (-127, 12)
    assert june.text() == "Winter bed plan RSUH, Jun 2025: planned gap -127 beds, +12 after mitigations (-127 + 139)"


def test_no_site_no_figure():
    m = packaged_bed_model()
    assert planned_for_area(m, "QEQM Hospital", "2025-01") is None
    outside = planned_for_area(m, RSUH_AREA, "2025-07")  # the site, but no figure this month
    assert outside.row is None
    assert outside.text() == "Winter bed plan RSUH, Jul 2025: no planned gap for this month (the model has Oct 2024 to Jun 2025)"
    county = planned_for_area(m, "County Hospital Stafford", "2025-01")  # a site with no monthly figures
    assert county.row is None and "residual bed gap of +9" in county.text()
    qhb = planned_for_area(m, "Queen's Hospital Burton", "2025-01")
    assert qhb.text().endswith("planned gap -20 beds, 0 after mitigations (-20 + 20) · approximate")
    # a model whose site names no area maps nothing
    bare = replace(m, sites=tuple(replace(s, areas=()) for s in m.sites))
    assert planned_for_area(bare, RSUH_AREA, "2025-01") is None


def test_an_area_named_by_two_sites_is_refused(tmp_path: Path):
    from scc_tui.datafiles.beds import PACKAGED_BEDS

    text = (PACKAGED_BEDS / "ssot-2024-25.toml").read_text(encoding="utf-8")
    bad = tmp_path / "two.toml"
    bad.write_text(text.replace('areas = ["County Hospital Stafford"]', f'areas = ["{RSUH_AREA.upper()}"]'), encoding="utf-8")
    with pytest.raises(SccError, match=r"areas\[0\].*already belongs to site RSUH"):
        load_bed_model(bad)


# ---------------------------------------------------------------- on the detail screen


def _store(tmp_path, clock, areas):
    from scc_tui.store.assessments import record_assessment
    from scc_tui.store.db import Store
    from scc_tui.store.models import Area

    store = Store(f"sqlite:///{tmp_path / 'beds.db'}", clock)
    now = clock.now()
    with store.write() as s:
        for name in areas:
            s.add(Area(name=name, key=name.casefold(), kind="provider", method="acute-2023", created_at=now, updated_at=now))
    for name in areas:
        record_assessment(store, name, VALUES[3], now, "j.smith", "tui")
    return store


async def _detail_text(store, clock, name) -> str:
    app = make_app(store, clock, refresh=False)
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        app.open_detail(app.find_area(name).area_id)
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.pause()
        return screen_text(app)


@pytest.mark.parametrize("instant, shown", [
    (datetime(2025, 1, 15, 10, 0, tzinfo=UTC), "Winter bed plan RSUH, Jan 2025: planned gap -208 beds, -9 after mitigations (-208 + 199)"),
    (datetime(2025, 5, 31, 23, 30, tzinfo=UTC), "Winter bed plan RSUH, Jun 2025: planned gap -127 beds, +12 after mitigations"),
    (datetime(2026, 11, 23, 10, 30, tzinfo=UTC), "Winter bed plan RSUH, Nov 2026: no planned gap for this month"),
])
async def test_the_detail_shows_this_months_planned_gap_beside_the_escalation_beds(tmp_path, instant, shown):
    clock = FixedClock(instant)
    store = _store(tmp_path, clock, [RSUH_AREA, "QEQM Hospital"])
    try:
        text = await _detail_text(store, clock, RSUH_AREA)
        lines = text.splitlines()
        beds_row = next(i for i, x in enumerate(lines) if "Open G&A beds that are escalation beds" in x)
        assert shown in lines[beds_row + 2]  # right under the table, after the last parameter's row
        other = await _detail_text(store, clock, "QEQM Hospital")
        assert "Winter bed plan" not in other  # no site for this area: nothing shown
    finally:
        store.dispose()


async def test_no_escalation_bed_figure_no_planned_gap(tmp_path):
    """A mapped area whose assessment has no escalation-bed figure (the integrated framework's normalised
    score) shows no bed plan."""
    from scc_tui.store.assessments import record_assessment
    from scc_tui.store.db import Store
    from scc_tui.store.models import Area

    clock = FixedClock(datetime(2025, 1, 15, 10, 0, tzinfo=UTC))
    store = Store(f"sqlite:///{tmp_path / 'declared.db'}", clock)
    now = clock.now()
    with store.write() as s:
        s.add(Area(name=RSUH_AREA, key=RSUH_AREA.casefold(), kind="provider", method="integrated-2024", created_at=now,
                   updated_at=now))
    record_assessment(store, RSUH_AREA, {"normalised_score": 50}, now, "j.smith", "tui")
    try:
        text = await _detail_text(store, clock, RSUH_AREA)
    finally:
        store.dispose()
    assert "Parameter" in text and "Winter bed plan" not in text  # a parameter table, but no escalation beds
