"""``scc log list --area`` and ``scc log add --area``: names matched as the TUI's ``area:`` filter
(full or short name, any case, or its start; the areas under it included), unknown areas refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scc_tui.cli import main
from scc_tui.store.areas import import_areas
from scc_tui.store.db import Store, resolve_url

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T09:00:00+00:00"


@pytest.fixture
def db(db_url, clock, monkeypatch):
    monkeypatch.setenv("SCC_NOW", NOW)
    monkeypatch.delenv("SCC_DB", raising=False)
    st = Store(resolve_url(db_url), clock)
    import_areas(st, ROOT / "scc_tui" / "data" / "areas" / "demo.toml", author="test", log=False)
    st.dispose()
    return db_url


@pytest.fixture(autouse=True)
def _systemexit_as_code(monkeypatch):
    import scc_tui.cli as cli

    real = cli.main

    def wrapped(argv=None):
        try:
            return real(argv)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 2

    monkeypatch.setattr(cli, "main", wrapped)


def scc(db: str, *args: str) -> int:
    return main(["--db", db, *args])


def listed(db, capsys, *args: str) -> list[int]:
    assert scc(db, "log", "list", "--json", *args) == 0
    return [d["seq"] for d in json.loads(capsys.readouterr().out)]


def test_add_accepts_short_names_and_stores_full_names(db, capsys):
    assert scc(db, "log", "add", "--kind", "note", "--text", "QEQM ED at 140%", "--area", "QEQM") == 0
    assert scc(db, "log", "add", "--kind", "note", "--text", "East Kent call", "--area", "east kent") == 0
    assert scc(db, "log", "add", "--kind", "note", "--text", "Swale care homes", "--area", "Swale") == 0
    assert scc(db, "log", "add", "--kind", "note", "--text", "Medway beds", "--area", "medway") == 0
    capsys.readouterr()
    assert scc(db, "log", "list", "--json") == 0
    areas = [d["areas"] for d in json.loads(capsys.readouterr().out)]
    assert areas == [["QEQM Hospital"], ["East Kent"], ["KCC Swale"], ["Medway Maritime Hospital"]]


def test_list_by_area_matches_names_loosely_and_includes_areas_under_it(db, capsys):
    for text, area in [("QEQM ED", "QEQM Hospital"), ("East Kent call", "East Kent"),
                       ("WHH beds", "William Harvey Hospital"), ("Medway beds", "Medway Maritime Hospital")]:
        assert scc(db, "log", "add", "--kind", "note", "--text", text, "--area", area) == 0
    capsys.readouterr()
    assert listed(db, capsys, "--area", "qeqm") == [1]
    assert listed(db, capsys, "--area", "QEQM Hospital") == [1]
    assert listed(db, capsys, "--area", "east kent") == [1, 2, 3]  # East Kent and the hospitals under it
    assert listed(db, capsys, "--area", "Kent and Medway ICS") == [1, 2, 3, 4]
    # the README's example
    assert scc(db, "log", "list", "--since", "2026-11-23", "--area", "East Kent") == 0
    out = capsys.readouterr().out
    assert "no entries" not in out and "QEQM ED" in out and "WHH beds" in out and "Medway beds" not in out


@pytest.mark.parametrize(("area", "message"), [
    ("Atlantis", "--area: unknown area 'Atlantis'"),
    ("kent", "could be"),
])
def test_list_by_unknown_or_ambiguous_area_is_an_error(db, capsys, area, message):
    assert scc(db, "log", "list", "--area", area) == 2
    captured = capsys.readouterr()
    assert message in captured.err and len(captured.err.strip().splitlines()) == 1
    assert "Traceback" not in captured.err and captured.out == ""
