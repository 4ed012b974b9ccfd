"""Issue 9 item 4 in CSV import: a quoted decimal comma is a decimal, an ambiguous number is refused by
row and column, and nothing is written."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from scc_tui.store.imports import CsvImportError, import_csv
from scc_tui.store.models import Assessment
from tests.helpers.areas import KEYS


def test_decimal_comma_in_csv_is_a_decimal(areas):
    data = f'area,assessed_at,method,{KEYS}\nQEQM Hospital,2026-11-22T09:00,,20,"72,5",5,90,70,3,93,3,11\n'.encode()
    assert import_csv(areas, data, "a.csv", author="t").new == 1
    with areas.read() as s:
        row = s.exec(select(Assessment)).one()
    assert json.loads(row.values_json)["ed_4hr_pct"] == 72.5


@pytest.mark.parametrize("cell, says", [("1,234", "ambiguous"), ("1.234,5", "mixes"), ("1,234.5", "mixes")])
def test_ambiguous_number_in_csv_is_refused_by_row_and_column(areas, cell, says):
    data = f'area,assessed_at,method,{KEYS}\nQEQM Hospital,2026-11-22T09:00,,20,"{cell}",5,90,70,3,93,3,11\n'.encode()
    with pytest.raises(CsvImportError) as e:
        import_csv(areas, data, "a.csv", author="t")
    (err,) = e.value.errors
    assert (err.row, err.column) == (2, "ed_4hr_pct") and says in str(err)
    with areas.read() as s:
        assert s.exec(select(Assessment)).all() == []
