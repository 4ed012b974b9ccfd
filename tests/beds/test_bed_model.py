"""Issue 15 item 2: the winter bed-gap model reproduces the SSOT ICB System Surge Plan 2024/25
"Indicative Medical Bed Count" table, and its data file is validated with file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scc_tui.cli import main
from scc_tui.datafiles.beds import PACKAGED_BEDS, load_bed_model, packaged_bed_model
from scc_tui.domain.beds import BedError, apply_what_if, months_of, native_capacity, peak
from scc_tui.domain.errors import DataFileError

# The plan's table, transcribed here independently of the data file (Indicative Medical Bed Count).
MONTHS = ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
GAP = [-124, -154, -186, -208, -204, -184, -154, -142, -127]
BALANCE = [9, -7, -4, -9, -5, 8, 2, 14, 12]
JAN = {"W120": 21, "W79": 25, "AMRAU": 16, "Medical Short Stay": 14, "TDL": 7, "OPAT": 30, "Cheadle": 13,
       "Haywood": 4, "Virtual Ward (Acute)": 26, "Virtual Ward (Sub Acute)": 14, "OPAT (Additional)": 15,
       "RSUH TDL": 7, "Falls": 7}


def test_every_month_of_the_seed_table_balances():
    rows = months_of(packaged_bed_model().site("RSUH"))
    assert [r.month for r in rows] == MONTHS
    assert [r.gap for r in rows] == GAP
    assert [r.balance for r in rows] == BALANCE
    for r in rows:
        assert r.balance == r.gap + sum(r.mitigations.values())


def test_the_peak_gap_is_rsuh_in_january_2025_and_leaves_minus_9():
    model = packaged_bed_model()
    p = peak(model.site("RSUH"))
    assert (p.month, p.gap, p.balance) == ("2025-01", -208, -9)
    assert p.mitigations == JAN
    # "Peak Bed Gap is 188 Medical Beds at RSUH Mondays in Jan 2025" plus the -20 IPC pressure (Dec-Feb)
    assert p.gap - p.ipc_included == -188
    assert p.formula.endswith("= -208 + 199 = -9")
    worst = min((s for s in model.sites if s.months), key=lambda s: peak(s).gap)
    assert worst.name == "RSUH"  # the peak across every site is the seed's


def test_seed_figures_are_not_converted_again():
    """The plan's monthly figures are already acute bed equivalents: the model shows the community
    capacity they stand for (× ratio), never divides them again."""
    model = packaged_bed_model()
    site = model.site("RSUH")
    cheadle = next(m for m in site.mitigations if m.name == "Cheadle")
    assert peak(site).mitigations["Cheadle"] == 13
    cap, formula = native_capacity(cheadle, model.ratios, 13)
    assert cap == pytest.approx(31.2) and formula.startswith("13 × 2.4 = 31.2")


def test_what_if_converts_a_community_change_by_its_ratio():
    model = packaged_bed_model()
    site, wi = apply_what_if(model, model.site("RSUH"), "virtual ward (sub acute)", 30)
    assert wi.equivalents == 2 and "÷ 15" in wi.formula
    jan = next(r for r in months_of(site) if r.month == "2025-01")
    assert jan.balance == -7  # -9 + 30 / 15
    oct_ = next(r for r in months_of(site) if r.month == "2024-10")
    assert oct_.balance == 11
    site2, wi2 = apply_what_if(model, model.site("RSUH"), "Falls", -7)
    assert [r.balance for r in months_of(site2)][3:5] == [-16, -12]
    assert [r.balance for r in months_of(site2)][0] == 9  # Falls not in place in October: unchanged
    with pytest.raises(BedError, match="no scheme"):
        apply_what_if(model, model.site("RSUH"), "Nope", 3)
    with pytest.raises(BedError, match="below 0"):
        apply_what_if(model, model.site("RSUH"), "Falls", -8)


def test_cli_json_shape(capsys):
    assert main(["beds", "--site", "RSUH", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["site"] == "RSUH"
    jan = d["months"][3]
    assert jan["month"] == "2025-01" and jan["gap"] == -208 and jan["balance"] == -9
    assert jan["mitigations"] == JAN
    assert d["months"][0]["mitigations"].get("Falls") is None  # not in place in October


def test_cli_text_fits_80_columns_and_shows_the_formula(capsys):
    assert main(["beds"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "-208 + 199 = -9" in out and "+9     -7     -4     -9     -5     +8     +2    +14    +12" in out
    assert "residual bed gap of +9" in out  # County: the plan gives only its residual


def test_cli_csv_has_bom_and_one_row_per_site_month(capsys):
    assert main(["beds", "--site", "RSUH", "--csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffSite,Month,Gap,")
    lines = out.strip().splitlines()
    assert len(lines) == 10 and lines[4].startswith("RSUH,2025-01,-208,") and lines[4].endswith(",199,-9")


@pytest.mark.parametrize("argv, message", [
    (["beds", "--site", "Nowhere"], "no site 'Nowhere'"),
    (["beds", "--what-if", "Falls=1"], "needs --site"),
    (["beds", "--site", "RSUH", "--what-if", "Falls"], "SCHEME=CHANGE"),
    (["beds", "--site", "RSUH", "--what-if", "Falls=1,234"], "thousands"),
])
def test_cli_errors_one_line(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (PACKAGED_BEDS / "ssot-2024-25.toml").read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "model.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize("old, new, field, message", [
    ("gap = [-124, -154", "gap = [-125, -154", "site[0].stated_balance[0]", "stated balance is 9"),
    ("beds = [0, 0, 0, 7, 7, 0, 0, 0, 0]", "beds = [0, 0, 0, 7, 7, 0, 0, 0]", "site[0].mitigation[12].beds", "8 figures for 9 months"),
    ('kind = "d2a"\nbeds = [0, 0, 13', 'kind = "d2b"\nbeds = [0, 0, 13', "site[0].mitigation[6].kind", "not one of"),
    ('"2024-11", "2024-12"', '"2024-12", "2024-11"', "site[0].months[2]", "does not follow"),
    ('"2024-10", "2024-11"', '"2024-13", "2024-11"', "site[0].months[0]", "YYYY-MM"),
    ("beds = [21, 21, 21", "beds = [-21, 21, 21", "site[0].mitigation[0].beds[0]", "negative"),
    ("per_acute = 2.4", "per_acute = 0.0", "ratio[0].per_acute", "greater than 0"),
])
def test_a_bad_model_file_names_file_line_and_field(tmp_path, old, new, field, message):
    p = _variant(tmp_path, old, new)
    with pytest.raises(DataFileError) as e:
        load_bed_model(p)
    text = str(e.value)
    assert str(p) in text and field in text and message in text
    assert e.value.line is not None


def test_a_planner_models_another_winter_by_editing_the_file(tmp_path, capsys):
    """Falls running December to March: the stated balance row is updated with it (and checked)."""
    p = _variant(tmp_path, "beds = [0, 0, 0, 7, 7, 0, 0, 0, 0]", "beds = [0, 0, 7, 7, 7, 7, 0, 0, 0]")
    text = p.read_text().replace("stated_balance = [9, -7, -4, -9, -5, 8, 2, 14, 12]",
                                 "stated_balance = [9, -7, 3, -9, -5, 15, 2, 14, 12]")
    p.write_text(text)
    assert main(["beds", "--file", str(p), "--site", "RSUH", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [m["balance"] for m in d["months"]] == [9, -7, 3, -9, -5, 15, 2, 14, 12]


def test_a_csv_round_trips_and_a_wrong_cell_is_named(tmp_path, capsys):
    """A planner exports, edits in a spreadsheet and loads the CSV back (`--file X.csv`)."""
    assert main(["beds", "--csv"]) == 0
    out = capsys.readouterr().out
    p = tmp_path / "beds.csv"
    p.write_text(out, encoding="utf-8")  # keeps the BOM
    assert main(["beds", "--file", str(p), "--site", "RSUH", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [m["balance"] for m in d["months"]] == BALANCE and d["months"][3]["mitigations"] == JAN
    from scc_tui.datafiles.beds import load_bed_csv

    from scc_tui.csvout import unguard

    site = load_bed_csv(p, unguard=unguard).site("RSUH")
    assert next(m for m in site.mitigations if m.name == "Cheadle").kind == "d2a"  # kind kept from the model
    assert site.areas == ("Royal Stoke University Hospital",)  # and its board areas (the detail's planned gap)
    bad = out.replace("RSUH,2025-01,-208,", "RSUH,2025-01,-207,")
    p.write_text(bad, encoding="utf-8")
    assert main(["beds", "--file", str(p)]) == 2
    err = capsys.readouterr().err
    assert "row 5" in err and "Balance" in err and "-8" in err
