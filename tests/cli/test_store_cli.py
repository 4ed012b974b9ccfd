"""`scc status/db/areas/import/export/demo`: outputs, JSON, one-line errors with exit code 2."""

from __future__ import annotations

import json

import pytest

from scc_tui.cli import main

NOW = "2026-11-23T11:00:00+00:00"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setenv("SCC_NOW", NOW)


@pytest.fixture
def demo_db(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--no-open", "--days", "10"]) == 0
    capsys.readouterr()
    return str(path)


def test_demo_status_json_has_the_curated_opel4_run(demo_db, capsys):
    assert main(["status", "--db", demo_db, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    by = {a["name"]: a for a in out["areas"]}
    assert by["QEQM Hospital"]["level"] == 4 and by["QEQM Hospital"]["days_at_level"] == 5
    tw = by["Tunbridge Wells Hospital"]
    assert tw["declared_level"] is not None and tw["computed_level"] not in (None, tw["declared_level"])
    assert by["Kent & Canterbury Hospital"]["stale"] is True
    assert len(by) == 33 and by["Medway Council"]["kind"] == "council"  # Medway Council added (issue 12 item 7)


def test_demo_is_deterministic_and_refuses_non_demo_files(tmp_path, capsys):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert main(["demo", "--db", str(a), "--no-open", "--seed", "7"]) == 0
    assert main(["demo", "--db", str(b), "--no-open", "--seed", "7"]) == 0
    capsys.readouterr()
    outs = []
    for p in (a, b):
        main(["export", "assessments", "--db", str(p), "--format", "json"])
        doc = json.loads(capsys.readouterr().out)
        assert doc.pop("log_head")["seq"] >= 1  # every export carries the log's head (it differs: real times)
        outs.append(doc)
    assert outs[0] == outs[1] and outs[0]["assessments"]
    real = tmp_path / "real.db"
    assert main(["db", "upgrade", "--create", "--db", str(real)]) == 0
    assert main(["areas", "import", "scc_tui/data/areas/demo.toml", "--db", str(real)]) == 0
    capsys.readouterr()
    assert main(["demo", "--db", str(real), "--no-open"]) == 2
    err = capsys.readouterr().err
    assert "did not make" in err and "33 areas" in err and err.count("\n") == 1


def test_db_info_and_upgrade(tmp_path, capsys):
    db = str(tmp_path / "x.db")
    from scc_tui.store.schema import head_revision

    head = head_revision()
    assert main(["db", "upgrade", "--create", "--db", db]) == 0
    assert f"upgraded empty -> {head}" in capsys.readouterr().out
    assert main(["db", "info", "--db", db, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["backend"], info["revision"], info["current"]) == ("sqlite", head, True)


def test_import_errors_are_listed_and_exit_2(demo_db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("area,assessed_at,level\nNowhere,2026-11-23T09:00,3\nQEQM Hospital,2026-11-23T09:00,9\n")
    assert main(["import", "assessments", str(bad), "--db", demo_db]) == 2
    err = capsys.readouterr().err.splitlines()
    assert any("row 2, column area" in x for x in err) and any("row 3, column level" in x for x in err)
    assert "nothing imported" in err[-1]
    assert "Traceback" not in "\n".join(err)


def test_unreachable_database_and_bad_at_are_one_line(tmp_path, capsys):
    assert main(["status", "--db", "postgresql://nobody@127.0.0.1:1/x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scc: error: cannot use the database") and err.count("\n") == 1
    assert main(["db", "upgrade", "--create", "--db", str(tmp_path / "never.db")]) == 0
    assert main(["areas", "import", "/nonexistent.toml", "--db", str(tmp_path / "never.db")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_areas_list(demo_db, capsys):
    assert main(["areas", "list", "--db", demo_db, "--json"]) == 0
    areas = json.loads(capsys.readouterr().out)
    assert areas[0]["name"] == "South East"
    swale = next(a for a in areas if a["name"] == "KCC Swale")
    assert (swale["method"], swale["plan_area"], swale["parent"]) == ("kcc-asc", "Swale", "Kent County Council ASC")
