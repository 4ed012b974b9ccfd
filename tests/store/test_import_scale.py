"""Imports at scale (issue 16 item 5): the CSV is streamed and handled in batches in one transaction,
errors are capped (the first 50 and a count), a bad row late in a large file leaves nothing written,
and the importer reads its rows lazily (memory does not grow with the file). Timings and peak RSS
are in benchmarks/import_bench.py, not here."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from scc_tui.store import imports
from scc_tui.store.areas import import_areas
from scc_tui.store.imports import CsvImportError, import_csv, import_rows
from scc_tui.store.models import Assessment

KEYS = ("ambulance_handover_mins,ed_4hr_pct,ed_attendances_vs_expected_pct,majors_resus_occupancy_pct,"
        "time_to_treatment_mins,over_12hr_in_ed_pct,ga_bed_occupancy_pct,escalation_beds_pct,nctr_pct")
L2 = "20,80,5,90,70,3,93,3,11"
START = datetime(2026, 1, 5, tzinfo=UTC)
AREAS = ('[[area]]\nname = "ICS"\nkind = "ics"\n\n'
         + "\n".join(f'[[area]]\nname = "P{i}"\nkind = "provider"\nparent = "ICS"\nmethod = "acute"\n' for i in range(5)))


@pytest.fixture
def areas(store, tmp_path):
    p = tmp_path / "areas.toml"
    p.write_text(AREAS, encoding="utf-8")
    import_areas(store, p, author="t")
    return store


def _line(i: int, area: str | None = None) -> str:
    at = (START + timedelta(minutes=i // 5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{area or f'P{i % 5}'},{at},,{L2}\n"


def _count(store) -> int:
    with store.read() as s:
        return s.exec(select(func.count()).select_from(Assessment)).one()


def test_errors_are_capped_with_a_count(areas, tmp_path):
    bad = tmp_path / "bad.csv"
    with open(bad, "w") as f:
        f.write(f"area,assessed_at,method,{KEYS}\n")
        for i in range(3_000):
            f.write(_line(i, area="Nowhere"))
    with pytest.raises(CsvImportError) as e:
        import_csv(areas, bad, "bad.csv", author="t")
    assert len(e.value.errors) == imports.ERROR_CAP == 50 and e.value.total == 3_000
    assert [x.row for x in e.value.errors] == list(range(2, 52))
    assert "(and 2999 more)" in str(e.value)
    r = subprocess.run([sys.executable, "-m", "scc_tui", "import", "assessments", str(bad), "--db", areas.url],
                       capture_output=True, text=True, timeout=120)
    lines = r.stderr.splitlines()
    assert r.returncode == 2 and len(lines) == 51, lines[-3:]
    assert lines[-1].endswith("3000 problem(s) (the first 50 shown); nothing imported")


def test_a_bad_row_late_in_a_large_file_writes_nothing(areas, tmp_path):
    n = 3 * imports.BATCH + 17  # several batches are written before the bad row is reached
    f = tmp_path / "late.csv"
    with open(f, "w") as fh:
        fh.write(f"area,assessed_at,method,{KEYS}\n")
        for i in range(n):
            fh.write(_line(i))
        fh.write(_line(n, area="Nowhere"))
    with pytest.raises(CsvImportError) as e:
        import_csv(areas, f, "late.csv", author="t")
    assert [(x.row, x.column) for x in e.value.errors] == [(n + 2, "area")]
    assert _count(areas) == 0  # all or nothing: the batches already written were rolled back


def test_duplicate_across_batches_names_the_earlier_row(areas):
    rows = [f"area,assessed_at,method,{KEYS}".split(",")]
    rows += [_line(i).strip().split(",") for i in range(imports.BATCH + 10)]
    rows.append(_line(3).strip().split(","))  # row 5 again, one batch later
    with pytest.raises(CsvImportError) as e:
        import_rows(areas, rows, "dup.csv", author="t")
    assert [str(x) for x in e.value.errors] == [f"row {len(rows)}: duplicate of row 5"]
    assert _count(areas) == 0


def test_reimport_counts_rows_present_in_every_batch(areas):
    rows = [f"area,assessed_at,method,{KEYS}".split(",")] + [_line(i).strip().split(",") for i in range(2 * imports.BATCH + 3)]
    r = import_rows(areas, rows, "a.csv", author="t")
    assert (r.new, r.present) == (2 * imports.BATCH + 3, 0)
    r = import_rows(areas, rows, "a.csv", author="t")
    assert (r.new, r.present) == (0, 2 * imports.BATCH + 3)
    assert _count(areas) == 2 * imports.BATCH + 3


def test_rows_are_consumed_lazily(areas):
    """A generator that raises if the importer reads more than a batch ahead of what it has written:
    the importer holds one batch at a time, whatever the file's length."""
    n = 5 * imports.BATCH
    state = {"yielded": 0, "done": 0}

    def rows():
        yield f"area,assessed_at,method,{KEYS}".split(",")
        for i in range(n):
            if state["yielded"] - state["done"] > imports.BATCH:
                raise AssertionError(f"read {state['yielded']} rows with only {state['done']} handled")
            state["yielded"] += 1
            yield _line(i).strip().split(",")

    def progress(done: int) -> None:
        state["done"] = done

    r = import_rows(areas, rows(), "gen.csv", author="t", progress=progress)
    assert r.new == n and state["done"] == n
