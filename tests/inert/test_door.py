"""Text is inert at the door (issue 16 item 1): every entry point refuses ESC, BEL, C1, DEL and bidi
controls with file:line:field (TOML), row and column (CSV) or an inline message (forms)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scc_tui.datafiles.areas import load_areas
from scc_tui.datafiles.base import parse_toml
from scc_tui.datafiles.methods import load_method_file
from scc_tui.datafiles.schedules import default_schedule_path, parse_schedule
from scc_tui.domain import text as dtext
from scc_tui.domain.errors import DataFileError

ESC_2J = "\\u001b[2J"  # as written inside a TOML basic string
OSC52 = "\\u001b]52;c;aGVsbG8=\\u0007"
PKG = Path(__file__).resolve().parents[2] / "scc_tui"


# ---------------------------------------------------------------- the policy itself


@pytest.mark.parametrize("bad", ["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x07", "\x00", "\x7f", "\x9b31m", "\x85",
                                 "\u202e", "\u2066", "\u2029", "a\rb", "a\nb"])
def test_one_line_refuses(bad):
    assert dtext.problem("ok " + bad) is not None
    with pytest.raises(dtext.TextError, match=r"^name: contains a control character"):
        dtext.check_text("ok " + bad, "name")


def test_allowed_characters():
    for good in ("Kent & Medway — Café", "QEQM\tHospital", "مستشفى", "[bold red]x[/]", "日本"):
        assert dtext.problem(good) is None
    assert dtext.problem("line 1\nline 2\r\nline 3\tx", multiline=True) is None
    assert dtext.problem("a\x1bb", multiline=True) is not None
    assert "position 2" in dtext.problem("a\x1bb")


def test_inert_shows_every_control_visibly():
    s = "a\x1b[2Jb\x1b]0;t\x07c\x9bd\u202ee\x7f\nf\tg"
    out = dtext.inert(s)
    assert out == "a\\x1b[2Jb\\x1b]0;t\\x07c\\x9bd\\u202ee\\x7f\nf\tg"
    assert dtext.inert(s, keep_newlines=False).endswith("\\x7f / f g")
    assert dtext.inert(None) == ""


# ---------------------------------------------------------------- areas TOML


def _areas(tmp_path, extra_rows: int, bad_row: str) -> Path:
    rows = ['[[area]]\nname = "Kent and Medway ICS"\nkind = "ics"\n']
    rows += [f'[[area]]\nname = "Provider {i}"\nkind = "provider"\nparent = "Kent and Medway ICS"\n'
             for i in range(extra_rows)]
    rows.append(bad_row)
    p = tmp_path / "areas.toml"
    p.write_text("\n".join(rows), encoding="utf-8")
    return p


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


@pytest.mark.parametrize("field", ["name", "short_name", "parent", "method", "plan_area"])
def test_areas_file_refuses_escape_in_any_field_of_any_row(tmp_path, field):
    # The 26th area: past the 20 names the old log check looked at.
    values = {"name": '"Evil"', "kind": '"provider"', "parent": '"Kent and Medway ICS"', "short_name": '"EV"',
              "method": '"acute"', "plan_area": None}
    if field == "plan_area":
        values["method"] = '"kcc-asc"'
    values[field] = f'"X{OSC52 if field == "name" else ESC_2J}"'
    row = "[[area]]\n" + "".join(f"{k} = {v}\n" for k, v in values.items() if v is not None)
    path = _areas(tmp_path, 25, row)
    with pytest.raises(DataFileError) as e:
        load_areas(path)
    err = e.value
    assert err.field == f"area[26].{field}"
    assert err.line == _line_of(path, f"{field} = \"X")
    assert str(err).startswith(f"{path}:{err.line}: field 'area[26].{field}' contains a control character (ESC")


def test_areas_file_refuses_a_newline_in_a_name(tmp_path):
    path = _areas(tmp_path, 0, '[[area]]\nname = "Two\\nLines"\nkind = "provider"\n')
    with pytest.raises(DataFileError, match=r"area\[1\]\.name.*newline"):
        load_areas(path)


# ---------------------------------------------------------------- schedule and plan TOML


def test_schedule_refuses_osc52_in_an_item_title_with_its_line():
    text = default_schedule_path().read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r'^title = "', text, re.M)]
    i = starts[3]  # the third item's title (the first is the schedule's)
    bad = text[:i] + 'title = "' + OSC52 + text[i + len('title = "'):]
    with pytest.raises(DataFileError) as e:
        parse_schedule(bad, "winter.toml")
    assert e.value.field == "items[2].title"
    assert e.value.line == bad[:i].count("\n") + 1


def test_schedule_refuses_bidi_override_in_notes_but_allows_newlines():
    text = default_schedule_path().read_text(encoding="utf-8")
    ok = re.sub(r'^notes = "', lambda m: 'notes = "line one\\nline two ', text, count=1, flags=re.M)
    parse_schedule(ok, "winter.toml")
    bad = re.sub(r'^notes = "', lambda m: 'notes = "\\u202e', text, count=1, flags=re.M)
    with pytest.raises(DataFileError, match="U\\+202E RIGHT-TO-LEFT OVERRIDE"):
        parse_schedule(bad, "winter.toml")


def test_plan_file_refuses_escape_in_a_parameter_title(tmp_path):
    src = (PKG / "data" / "methods" / "acute-2023.toml").read_text(encoding="utf-8")
    bad = src.replace('title = "ED all-type 4-hour', 'title = "' + ESC_2J + 'ED all-type 4-hour', 1)
    assert bad != src
    path = tmp_path / "acute-2023.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_method_file(path)
    assert re.fullmatch(r"parameters\[\d+\]\.title", e.value.field)
    assert e.value.line == _line_of(path, "\\u001b[2J")


def test_a_control_character_in_a_toml_key_is_refused(tmp_path):
    with pytest.raises(DataFileError, match="a key contains a control character"):
        from scc_tui.datafiles.base import check_strings

        text = '[by_area]\n"West\\u001bKent" = 1\n'
        check_strings(parse_toml(text), "x.toml", text)


# ---------------------------------------------------------------- CSV, the store, the CLI

AREAS = """
[[area]]
name = "Kent and Medway ICS"
kind = "ics"

[[area]]
name = "QEQM Hospital"
kind = "provider"
parent = "Kent and Medway ICS"
method = "acute"
"""


@pytest.fixture
def with_areas(store, tmp_path):
    from scc_tui.store.areas import import_areas

    p = tmp_path / "areas.toml"
    p.write_text(AREAS, encoding="utf-8")
    import_areas(store, p, author="tester")
    return store


def _count(store, model) -> int:
    from sqlmodel import func, select

    with store.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_csv_import_refuses_escape_in_a_reason_naming_row_and_column(with_areas):
    from scc_tui.store.imports import CsvImportError, import_csv
    from scc_tui.store.models import Declaration

    data = ("area,assessed_at,level,reason\n"
            "QEQM Hospital,2026-11-22T09:00,3,fine\n"
            "QEQM Hospital,2026-11-22T10:00,4,\"wards\nclosed\"\n"
            "QEQM Hospital,2026-11-22T11:00,4,evil \x1b]52;c;aGk=\x07\n").encode()
    with pytest.raises(CsvImportError) as e:
        import_csv(with_areas, data, "d.csv", author="tester")
    errs = e.value.errors
    assert [(x.row, x.column) for x in errs] == [(4, "reason")]  # the LF in row 3 is fine: a reason is free text
    assert "ESC" in errs[0].message
    assert _count(with_areas, Declaration) == 0  # all or nothing


def test_csv_import_refuses_c1_csi_in_any_cell(with_areas):
    from scc_tui.store.imports import CsvImportError, import_csv

    data = "area,assessed_at,level\nQEQM Hospital,2026-11-22T09:00,3\x9b2J\n".encode()
    with pytest.raises(CsvImportError) as e:
        import_csv(with_areas, data, "d.csv", author="tester")
    assert [(x.row, x.column) for x in e.value.errors] == [(2, "level")]
    assert "CSI (C1)" in e.value.errors[0].message


def test_store_refuses_a_declaration_reason_or_role_with_escapes(with_areas):
    from scc_tui.store.assessments import RecordError, record_declaration
    from scc_tui.store.models import Declaration, LogEntry

    before = _count(with_areas, LogEntry)
    at = with_areas.clock.now()
    with pytest.raises(RecordError, match=r"^reason: contains a control character \(ESC"):
        record_declaration(with_areas, "QEQM Hospital", 3, at, "tester", "queue \x1b[2J", "cli")
    with pytest.raises(RecordError, match=r"^role: contains a control character \(BEL"):
        record_declaration(with_areas, "QEQM Hospital", 3, at, "tester", "ok", "cli", role="x\x07")
    with pytest.raises(RecordError, match=r"^author: "):
        record_declaration(with_areas, "QEQM Hospital", 3, at, "tester\x1b]0;pwned\x07", "ok", "cli")
    assert _count(with_areas, Declaration) == 0 and _count(with_areas, LogEntry) == before
    row = record_declaration(with_areas, "QEQM Hospital", 3, at, "tester", "line 1\r\nline 2\tend", "cli")
    assert row.reason == "line 1\nline 2\tend"


def test_store_refuses_area_specs_with_escapes(store):
    from scc_tui.datafiles.areas import AreaSpec
    from scc_tui.store.areas import AreaImportError, import_area_specs

    spec = AreaSpec("Evil\x9b2J", "provider", None, None, None, None, 0)
    with pytest.raises(AreaImportError, match="name: contains a control character"):
        import_area_specs(store, [spec], author="tester")


def test_cli_areas_import_and_csv_import_fail_with_one_line(tmp_path, capsys, monkeypatch):
    from scc_tui.cli import main

    monkeypatch.setenv("SCC_NOW", "2026-11-23T11:00:00+00:00")
    db = str(tmp_path / "c.db")
    assert main(["db", "upgrade", "--create", "--db", db]) == 0  # a named database must exist (issue 9 item 2)
    capsys.readouterr()
    areas = tmp_path / "areas.toml"
    areas.write_text(AREAS.replace('name = "QEQM Hospital"', 'name = "QEQM\\u001b[2J"'), encoding="utf-8")
    assert main(["areas", "import", str(areas), "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
    assert f"{areas}:7: field 'area[1].name' contains a control character" in err
    areas.write_text(AREAS, encoding="utf-8")
    assert main(["areas", "import", str(areas), "--db", db]) == 0
    csv_file = tmp_path / "d.csv"
    csv_file.write_bytes("area,assessed_at,level,reason\nQEQM Hospital,2026-11-22T09:00,3,\u202eevil\n".encode())
    capsys.readouterr()
    assert main(["import", "assessments", str(csv_file), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "row 2, column reason: contains a control character (U+202E" in err and "\u202e" not in err


def test_cli_log_add_and_role_refuse_escapes(tmp_path, capsys, monkeypatch):
    from scc_tui.cli import main

    monkeypatch.setenv("SCC_NOW", "2026-11-23T11:00:00+00:00")
    db = str(tmp_path / "c.db")
    assert main(["db", "upgrade", "--create", "--db", db]) == 0  # a named database must exist (issue 9 item 2)
    capsys.readouterr()
    assert main(["log", "add", "--db", db, "--kind", "note", "--text", "evil \x1b]52;c;aGk=\x07"]) == 2
    assert "contains a control character" in capsys.readouterr().err
    assert main(["log", "role", "set", "--db", db, "someone", "lead\x9b2J"]) == 2
    assert "contains a control character" in capsys.readouterr().err
