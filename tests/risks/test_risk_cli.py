"""Issue 15 item 1: `scc risks add|update|list|show|export` and `scc log verify` covering the register."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from scc_tui.cli import main

NOW = "2026-11-23T10:30:00+00:00"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("SCC_NOW", NOW)
    monkeypatch.delenv("SCC_DB", raising=False)
    path = tmp_path / "r.db"
    assert main(["db", "upgrade", "--create", "--db", str(path)]) == 0
    return str(path)


def _add(db, capsys, *extra, title="Ambulance Handover Delays"):
    code = main(["risks", "add", "--db", db, "--title", title, "--if", "If delays continue",
                 "--then", "Then ED pressure", "--resulting-in", "Resulting in harm",
                 "--likelihood", "4", "--consequence", "5", *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_add_prints_the_new_id_last(db, capsys):
    assert _add(db, capsys).splitlines()[-1] == "R1"
    assert _add(db, capsys, title="D2A Capacity").splitlines()[-1] == "R2"


def test_show_json_has_scores_and_versions_oldest_first(db, capsys):
    _add(db, capsys, "--target-likelihood", "4", "--target-consequence", "1", "--target-date", "2025-03-31")
    assert main(["risks", "update", "R1", "--db", db, "--residual-likelihood", "4", "--residual-consequence", "3",
                 "--note", "mitigation agreed on the 10:30 call"]) == 0
    capsys.readouterr()
    assert main(["risks", "show", "R1", "--json", "--db", db]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["inherent"] == {"likelihood": 4, "consequence": 5, "score": 20, "text": "20 (4×5)"}
    assert d["residual"]["text"] == "12 (4×3)" and d["target"]["text"] == "4 (4×1)"
    assert [v["version"] for v in d["versions"]] == [1, 2]
    assert d["versions"][0]["residual"]["score"] == 20  # the old version is kept as it was
    assert d["versions"][1]["note"] == "mitigation agreed on the 10:30 call"
    assert d["versions"][0]["author"] and d["versions"][0]["recorded_at"].startswith("2026-11-23T10:30")


def test_list_sorted_by_residual(db, capsys):
    _add(db, capsys, "--residual-likelihood", "2", "--residual-consequence", "2", title="Low")
    _add(db, capsys, title="High")
    assert main(["risks", "list", "--json", "--db", db]) == 0
    assert [r["title"] for r in json.loads(capsys.readouterr().out)] == ["High", "Low"]


def test_export_csv_opens_in_excel_with_the_seed_columns_and_formula_guard(db, capsys):
    _add(db, capsys, "--note", "=HYPERLINK(\"http://x\")")
    assert main(["risks", "export", "--db", db]) == 0
    raw = capsys.readouterr().out
    # capsys decodes the bytes: the BOM shows as U+FEFF
    assert raw.startswith("\ufeffID,Risk Title,If (Cause),Then (Event),Resulting in (Effect),Date of Update,"
                          "Mitigations and Updates,Target date,Inherent Score,Residual Score,Target Score")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert rows[1][6].startswith("'=")
    assert rows[1][8] == "20 (4×5)"


def test_log_verify_fails_on_an_altered_risk_version(db, capsys):
    _add(db, capsys)
    assert main(["log", "verify", "--db", db]) == 0
    assert "1 risk register versions match" in capsys.readouterr().out
    eng = sa.create_engine(f"sqlite:///{db}")
    with eng.begin() as c:
        c.execute(sa.text("DROP TRIGGER risk_version_no_update"))
        c.execute(sa.text("UPDATE risk_version SET residual_c = 1"))
    eng.dispose()
    assert main(["log", "verify", "--db", db]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "R1 v1" in out
    assert main(["risks", "verify", "--db", db]) == 1


@pytest.mark.parametrize("argv, message", [
    (["risks", "update", "R7", "--note", "x"], "no risk R7"),
    (["risks", "update", "Rx", "--note", "x"], "not a risk id"),
    (["risks", "show", "3"], "no risk R3"),
    (["risks", "update", "1", "--residual-likelihood", "3"], "go together"),
    (["risks", "update", "1", "--target-date", "31/03/2025", "--note", "x"], "not a date"),
    (["risks", "update", "1", "--log", "99"], "no log entry #99"),
    (["risks", "add", "--title", "t", "--if", "a", "--then", "b", "--resulting-in", "c", "--likelihood", "0",
      "--consequence", "3"], "out of range"),
    (["risks", "add", "--title", "t\x1b[2J", "--if", "a", "--then", "b", "--resulting-in", "c", "--likelihood", "1",
      "--consequence", "3"], "title"),
])
def test_errors_are_one_line_exit_2(db, capsys, argv, message):
    _add(db, capsys)
    try:
        code = main([*argv, "--db", db])
    except SystemExit as e:  # argparse's own errors: one line, exit 2
        code = e.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_log_add_does_not_write_risk_entries_by_hand(db, capsys):
    code = main(["log", "add", "--kind", "risk", "--text", "[risk-version sha256:" + "0" * 64 + "]", "--db", db])
    assert code == 2 and "scc risks" in capsys.readouterr().err
