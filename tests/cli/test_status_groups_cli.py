"""`scc status --json` group rows (issue 9 items 9, 10): each area carries its own `level` (a system's
or ICS's declared level too); group rows carry `acts_at` and `acts_because`, the board's words, which
count NHS providers only, never a council or its areas."""

from __future__ import annotations

import json

import pytest

from scc_tui.cli import main

NOW = "2026-11-23T11:00:00+00:00"

AREAS = """
[[area]]
name = "Kent and Medway ICS"
kind = "ics"

[[area]]
name = "East Kent"
kind = "system"
parent = "Kent and Medway ICS"

[[area]]
name = "QEQM Hospital"
kind = "provider"
parent = "East Kent"

[[area]]
name = "Kent County Council ASC"
kind = "council"
parent = "Kent and Medway ICS"

[[area]]
name = "KCC DGS"
kind = "la-area"
parent = "Kent County Council ASC"
"""


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setenv("SCC_NOW", NOW)


def _db(tmp_path, capsys, declarations: str) -> str:
    db = str(tmp_path / "groups.db")
    (tmp_path / "areas.toml").write_text(AREAS)
    (tmp_path / "levels.csv").write_text("area,assessed_at,level,reason\n" + declarations)
    assert main(["db", "upgrade", "--create", "--db", db]) == 0  # a named database must exist (issue 9 item 2)
    assert main(["areas", "import", str(tmp_path / "areas.toml"), "--db", db]) == 0
    assert main(["import", "assessments", str(tmp_path / "levels.csv"), "--db", db]) == 0
    capsys.readouterr()
    return db


def _status(db, capsys) -> dict:
    assert main(["status", "--db", db, "--json"]) == 0
    return {a["name"]: a for a in json.loads(capsys.readouterr().out)["areas"]}


def test_a_council_area_at_opel_4_does_not_make_the_ics_act(tmp_path, capsys):
    db = _db(tmp_path, capsys, "QEQM Hospital,2026-11-23T09:00,2,\nKCC DGS,2026-11-23T09:00,4,\n"
                               "Kent County Council ASC,2026-11-23T10:20,2,\n")
    by = _status(db, capsys)
    ics, council = by["Kent and Medway ICS"], by["Kent County Council ASC"]
    assert ics["group"] is True and ics["acts_at"] is None and ics["acts_because"] == []
    assert council["acts_at"] is None and council["level"] == 2  # the manager's declaration
    assert council["suggested_level"] == 4 and council["suggested_from"] == ["KCC DGS"]
    assert "acts_at" not in by["QEQM Hospital"] and by["QEQM Hospital"]["group"] is False


def test_system_declared_level_beside_the_level_it_acts_at(tmp_path, capsys):
    """A system's own level is declared (CSV is the CLI's declare path) and shown beside acts_at."""
    db = _db(tmp_path, capsys, "QEQM Hospital,2026-11-23T09:00,4,\nEast Kent,2026-11-23T10:40,3,\n"
                               "Kent and Medway ICS,2026-11-23T10:45,3,\n")
    by = _status(db, capsys)
    east, ics = by["East Kent"], by["Kent and Medway ICS"]
    assert (east["level"], east["declared_level"], east["acts_at"], east["acts_because"]) == (3, 3, 4, ["QEQM Hospital"])
    assert (ics["level"], ics["acts_at"], ics["acts_because"]) == (3, 4, ["QEQM Hospital"])
    assert ics["summary"] == "acts at OPEL 4 because QEQM Hospital"
    assert main(["status", "--db", db]) == 0
    text = capsys.readouterr().out
    assert any(line.startswith("  East Kent") and "OPEL 3" in line and "acts at OPEL 4 because QEQM Hospital" in line
               for line in text.splitlines())
