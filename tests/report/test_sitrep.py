"""Issue 15 item 3: `scc report sitrep` for the demo at 80 columns, as CSV (BOM, formula-safe) and JSON,
headed with when it was cut and by whom, and logged when sent."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from scc_tui.cli import main

NOW = "2026-11-23T10:30:00+00:00"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    d = tmp_path_factory.mktemp("sitrep")
    mp.setenv("SCC_NOW", NOW)
    mp.setenv("XDG_DATA_HOME", str(d / "xdg"))
    try:
        from scc_tui.domain.clock import FixedClock, parse_instant
        from scc_tui.store.demo import create_demo

        create_demo(f"sqlite:///{d / 'demo.db'}", FixedClock(parse_instant(NOW)))
    finally:
        mp.undo()
    return d / "demo.db"


@pytest.fixture
def demo(demo_template, tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("SCC_NOW", NOW)
    monkeypatch.setenv("USER", "sitrep.tester")
    db = tmp_path / "demo.db"
    shutil.copy(demo_template, db)
    return str(db)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _report_entries(db):
    from scc_tui.store.db import Store, resolve_url
    from scc_tui.store.log import list_entries

    st = Store(resolve_url(db), migrate=False)
    try:
        return list_entries(st, kinds=["report"])
    finally:
        st.dispose()


def test_markdown_for_the_demo_fits_80_columns_and_is_headed_with_time_and_who(demo, capsys):
    from scc_tui.identity import os_user

    code, out, err = _run(capsys, "report", "sitrep", "--db", demo)
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert f"cut Mon 23 Nov 2026 10:30 (GMT) by {os_user()}." in lines
    assert "## Areas" in out and "| QEQM Hospital" in out.replace("      ", "")
    # the ICS's own level and the level it acts at, with the reason
    assert "**Kent and Medway ICS**: own level OPEL 3; acts at OPEL 4 because QEQM" in out
    assert "R2 System Surge Capacity: residual 20 (5×4)" in out  # top risks
    assert "Day 7 in OPEL 4 – include STP" in out  # an open escalation firing


def test_sent_sitrep_is_logged_with_the_digest_of_what_was_sent(demo, capsys):
    code, out, err = _run(capsys, "report", "sitrep", "--format", "csv", "--db", demo)
    assert code == 0
    entries = _report_entries(demo)
    assert len(entries) == 1
    digest = hashlib.sha256(out.encode("utf-8")).hexdigest()  # capsys decoded the BOM; re-encode it
    assert digest in entries[0].text and "Sitrep sent (csv): every area" in entries[0].text
    assert f"logged as #{entries[0].seq}" in err
    _run(capsys, "report", "sitrep", "--no-log", "--db", demo)
    assert len(_report_entries(demo)) == 1


def test_area_limits_the_sitrep_to_that_ics_and_below(demo, capsys):
    code, out, _ = _run(capsys, "report", "sitrep", "--area", "Staffordshire and Stoke-on-Trent ICS",
                        "--format", "json", "--no-log", "--db", demo)
    assert code == 0
    d = json.loads(out)
    names = [a["name"] for a in d["areas"]]
    assert names[0] == "Staffordshire and Stoke-on-Trent ICS" and "County Hospital Stafford" in names
    assert not any("Kent" in n or "QEQM" in n for n in names)
    assert all("East Kent" not in f for f in d["escalations"])
    assert d["scope"] == "Staffordshire and Stoke-on-Trent ICS" and d["cut_at"].startswith("2026-11-23T10:30")
    ics = d["areas"][0]
    assert ics["acts_at"] in (3, 4) and ics["acts_because"] and set(ics["acts_because"]) <= set(names)


def test_csv_opens_cleanly_in_excel_bom_and_formula_safe(demo, capsys):
    import sqlite3

    con = sqlite3.connect(demo)
    with con:
        con.execute("UPDATE area SET name = '=HYPERLINK(\"http://x\",\"y\")' WHERE name = 'WMAS'")
    con.close()
    code, out, _ = _run(capsys, "report", "sitrep", "--format", "csv", "--no-log", "--db", demo)
    assert code == 0
    assert out.startswith("\ufeffSection,Area,Kind,Level,Score,Max score,Days at level,Trend,Acts at,Detail\r\n")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[1][0] == "cut" and "cut Mon 23 Nov 2026 10:30 (GMT) by" in rows[1][9]
    areas = [r for r in rows if r[0] == "area"]
    assert any(r[1].startswith("'=HYPERLINK") for r in areas)
    assert not any(cell.startswith("=") for r in rows for cell in r)
    qeqm = next(r for r in areas if r[1] == "QEQM Hospital")
    assert qeqm[3] == "4" and qeqm[4] == "44"


def test_unknown_area_is_one_line_exit_2(demo, capsys):
    code, _, err = _run(capsys, "report", "sitrep", "--area", "Atlantis", "--db", demo)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Atlantis" in err
    assert _report_entries(demo) == []


def test_the_demo_register_is_the_demo_s_own(demo_template, tmp_path):
    """The seed's risks are demo content: a second `scc demo` over the same file is not refused."""
    import shutil

    from scc_tui.store.demo import foreign_content

    db = tmp_path / "again.db"
    shutil.copy(demo_template, db)
    assert foreign_content(f"sqlite:///{db}") == {}
