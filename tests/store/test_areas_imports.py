"""Areas TOML import and CSV import/export: validation, all-or-nothing, dedupe, round trip."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlmodel import select

from scc_tui.domain.clock import UTC
from scc_tui.domain.errors import DataFileError
from scc_tui.store.areas import AreaImportError, import_areas
from scc_tui.store.imports import CsvImportError, export_csv, export_rows, import_csv
from scc_tui.store.models import Area, Assessment, Declaration, LogEntry
from tests.helpers.areas import AREAS, KEYS, L2, L4, write_areas as _write

def test_areas_import_update_and_log(areas, tmp_path):
    with areas.read() as s:
        rows = {a.name: a for a in s.exec(select(Area)).all()}
        assert rows["KCC Swale"].plan_area == "Swale" and rows["QEQM Hospital"].parent_id == rows["Kent and Medway ICS"].id
        log = s.exec(select(LogEntry)).all()
    assert [e.kind for e in log] == ["config"] and "3 added" in log[0].text
    res = import_areas(areas, _write(tmp_path, AREAS.replace('kind = "la-area"', 'kind = "provider"')), author="t")
    assert (res.added, res.updated, len(res.unchanged)) == ([], ["KCC Swale"], 2)


@pytest.mark.parametrize("text,field,message", [
    (AREAS + '\n[[area]]\nname = "qeqm hospital"\nkind = "provider"\n', "area[3].name", "duplicate"),
    (AREAS.replace('parent = "Kent and Medway ICS"\nmethod = "acute"', 'parent = "Nowhere"\nmethod = "acute"'), "area[1].parent", "unknown parent"),
    ('[[area]]\nname = "A"\nkind = "ics"\nparent = "B"\n[[area]]\nname = "B"\nkind = "ics"\nparent = "A"\n', "area[0].parent", "cycle"),
    (AREAS.replace('method = "acute"', 'method = "nope"'), "area[1].method", "unknown method"),
    (AREAS.replace('kind = "ics"', 'kind = "trust"'), "area[0].kind", ""),
    (AREAS.replace('plan_area = "Swale"', 'plan_area = "Dover"'), "area[2].plan_area", "not an area"),
])
def test_areas_file_errors_name_file_line_field(store, tmp_path, text, field, message):
    p = _write(tmp_path, text)
    with pytest.raises(DataFileError) as e:
        import_areas(store, p, author="t")
    assert e.value.field == field and message in e.value.message and e.value.line
    assert str(p) in str(e.value)
    with store.read() as s:
        assert s.exec(select(Area)).all() == []


def test_prune_refuses_areas_with_history(areas, tmp_path):
    csv = f"area,assessed_at,method,{KEYS}\nQEQM Hospital,2026-11-23T08:00,,{L4}\n".encode()
    import_csv(areas, csv, "a.csv", author="t")
    only_ics = '[[area]]\nname = "Kent and Medway ICS"\nkind = "ics"\n'
    res = import_areas(areas, _write(tmp_path, only_ics), author="t")
    assert res.kept == ["KCC Swale", "QEQM Hospital"]
    with pytest.raises(AreaImportError, match="QEQM Hospital"):
        import_areas(areas, _write(tmp_path, only_ics), author="t", prune=True)
    with areas.read() as s:
        assert len(s.exec(select(Area)).all()) == 3  # nothing removed: one transaction
    keep = only_ics + '[[area]]\nname = "QEQM Hospital"\nkind = "provider"\nparent = "Kent and Medway ICS"\nmethod = "acute"\n'
    res = import_areas(areas, _write(tmp_path, keep), author="t", prune=True)
    assert res.removed == ["KCC Swale"]


def test_csv_import_scores_dedupes_and_round_trips(areas):
    data = (f"area,assessed_at,method,{KEYS}\n"
            f"qeqm hospital,2026-11-22T09:00,,{L2}\n"
            f"QEQM Hospital,2026-11-23T08:30:00+00:00,acute-2023,{L4}\n").encode()
    r = import_csv(areas, b"\xef\xbb\xbf" + data, "a.csv", author="t")  # with a BOM
    assert (r.new, r.present) == (2, 0)
    r = import_csv(areas, data, "a.csv", author="t")
    assert (r.new, r.present) == (0, 2)
    with areas.read() as s:
        rows = s.exec(select(Assessment).order_by(Assessment.assessed_at)).all()
        assert [x.level for x in rows] == [2, 4] and rows[1].score == 44 and rows[0].source == "import"
        exported = export_rows(s)
    r = import_csv(areas, export_csv(exported).encode(), "export.csv", author="t")
    assert (r.new, r.present) == (0, 2)
    dec = b"area,assessed_at,level,reason\nQEQM Hospital,2026-11-23T09:00,3,site meeting view\n"
    assert import_csv(areas, dec, "d.csv", author="t").new == 1
    with areas.read() as s:
        d = s.exec(select(Declaration)).one()
    assert (d.level, d.computed_level, d.reason) == (3, 4, "site meeting view")


def test_csv_every_bad_row_is_reported_and_nothing_written(areas):
    data = (f"area,assessed_at,method,{KEYS},referrals\n"
            f"Nowhere,2026-11-22T09:00,,{L2},\n"                       # 2 unknown area
            f"QEQM Hospital,2026-11-22T09:00,,{L2},5\n"                # 3 unknown key for acute
            f"QEQM Hospital,2026-11-22T10:00,,abc,{L2[3:]},\n"         # 4 non-numeric
            f"QEQM Hospital,2026-11-22T11:00,,-1,{L2[3:]},\n"          # 5 negative
            f"QEQM Hospital,2026-03-29T01:30,,{L2},\n"                 # 6 skipped spring hour
            f"QEQM Hospital,2026-11-22T12:00,,{L2},\n"                 # 7 ok
            f"QEQM Hospital,2026-11-22T12:00,,{L2},\n"                 # 8 duplicate of 7
            f"QEQM Hospital,yesterday,,{L2},\n").encode()              # 9 bad date
    with pytest.raises(CsvImportError) as e:
        import_csv(areas, data, "bad.csv", author="t")
    got = [(x.row, x.column) for x in e.value.errors]
    assert got == [(2, "area"), (3, "referrals"), (4, "ambulance_handover_mins"), (5, "ambulance_handover_mins"),
                   (6, "assessed_at"), (8, None), (9, "assessed_at")], got
    assert "duplicate of row 7" in str(e.value.errors[5])
    with areas.read() as s:
        assert s.exec(select(Assessment)).all() == []


@pytest.mark.parametrize("data,message", [
    (b"", "empty file"),
    (b"area,when,method\n", "assessed_at"),
    (b"area,assessed_at\nQEQM Hospital,2026-11-22\n", "method"),
    (b"area,assessed_at,method\n", "no data rows"),
    (b"area,assessed_at,level\nQEQM Hospital,2026-11-22T09:00,\xff\n", "not UTF-8"),
    (b"area,assessed_at,level\nKCC Swale,2026-11-22T09:00,5\n", "1-4"),
])
def test_csv_file_level_errors(areas, data, message):
    with pytest.raises(CsvImportError) as e:
        import_csv(areas, data, "f.csv", author="t")
    assert message in str(e.value)


def test_csv_indicator_rows_may_give_a_subset_and_are_reported_partial(areas):
    """Issue 9 item 7: a blank cell is a value not given; an indicator plan scores what was given."""
    data = ("area,assessed_at,method,stp_staffing_pct,health_caseload,social_caseload,referrals,keah_capacity\n"
            "KCC Swale,2026-11-22T09:00,,60,,,,\n"          # 2: one indicator
            "KCC Swale,2026-11-23T09:00,,90,10,10,,6\n").encode()  # 3: all of Swale's (referrals n/a)
    r = import_csv(areas, data, "kcc.csv", author="t")
    assert (r.new, r.partial_rows) == (2, [2])
    assert "1 with a partial suggested level (some indicators not given: row 2)" in r.summary()
    with areas.read() as s:
        rows = s.exec(select(Assessment).order_by(Assessment.assessed_at)).all()
    assert [x.level for x in rows] == [2, 1]
    assert json.loads(rows[0].values_json) == {"stp_staffing_pct": 60.0}
    # A row with no value at all is still refused, naming the row.
    with pytest.raises(CsvImportError) as e:
        import_csv(areas, b"area,assessed_at,method,stp_staffing_pct\nKCC Swale,2026-11-21T09:00,,\n", "x.csv", author="t")
    assert [(x.row, "no values given" in str(x)) for x in e.value.errors] == [(2, True)]


def test_csv_acute_rows_still_need_all_nine(areas):
    data = f"area,assessed_at,method,{KEYS}\nQEQM Hospital,2026-11-22T09:00,,{L2.replace('20,', ',', 1)}\n".encode()
    with pytest.raises(CsvImportError) as e:
        import_csv(areas, data, "a.csv", author="t")
    assert "missing required value: ambulance_handover_mins" in str(e.value.errors[0])


def test_csv_import_reports_a_superseded_plan_once(areas):
    data = (f"area,assessed_at,method,{KEYS}\n"
            f"QEQM Hospital,2026-11-22T09:00,,{L2}\nQEQM Hospital,2026-11-23T09:00,,{L2}\n").encode()
    r = import_csv(areas, data, "a.csv", author="t")
    assert len(r.warnings) == 1 and "acute-2023 is superseded by integrated-2024" in r.warnings[0]
