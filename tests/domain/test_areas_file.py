"""Areas file kinds (issue 9 item 10): a local authority is a `council` with its `la-area`s under it;
an la-area may also sit under a system or an ICS; each kind sits only where it can, and a wrong
place is reported with file, line and field."""

from __future__ import annotations

import pytest

from scc_tui.datafiles.areas import load_areas, packaged_areas_file
from scc_tui.domain.errors import DataFileError

BASE = """
[[area]]
name = "Kent and Medway ICS"
kind = "ics"

[[area]]
name = "East Kent"
kind = "system"
parent = "Kent and Medway ICS"

[[area]]
name = "Kent County Council ASC"
kind = "council"
parent = "Kent and Medway ICS"

[[area]]
name = "KCC Swale"
kind = "la-area"
parent = "Kent County Council ASC"
method = "kcc-asc"
plan_area = "Swale"

[[area]]
name = "KCC East Kent"
kind = "la-area"
parent = "East Kent"
method = "kcc-asc"
plan_area = "East Kent"
"""


def _load(tmp_path, text):
    p = tmp_path / "areas.toml"
    p.write_text(text)
    return p, load_areas(p)


def test_council_with_areas_and_an_area_under_a_system_load(tmp_path):
    _, specs = _load(tmp_path, BASE)
    assert [(s.name, s.kind, s.parent) for s in specs][2:] == [
        ("Kent County Council ASC", "council", "Kent and Medway ICS"),
        ("KCC Swale", "la-area", "Kent County Council ASC"),
        ("KCC East Kent", "la-area", "East Kent"),
    ]


@pytest.mark.parametrize("text,field,line,message", [
    # The old shape: a council entered as a provider with la-areas under it.
    (BASE.replace('kind = "council"', 'kind = "provider"'), "area[3].parent", 19,
     "an NHS provider (provider); it may sit under an ICS (ics) or a system (system) or a council (council)"
     " (a local authority is not an NHS provider: set kind = \"council\" for 'Kent County Council ASC')"),
    (BASE + '\n[[area]]\nname = "Loose area"\nkind = "la-area"\n', "area[5].kind", 0, "needs a parent"),
    (BASE + '\n[[area]]\nname = "Council in a council"\nkind = "council"\nparent = "Kent County Council ASC"\n',
     "area[5].parent", 0, "a council (council) cannot sit under 'Kent County Council ASC', a council (council)"),
    (BASE + '\n[[area]]\nname = "Hospital in a council"\nkind = "provider"\nparent = "Kent County Council ASC"\n',
     "area[5].parent", 0, "an NHS provider (provider) cannot sit under"),
    (BASE.replace('kind = "council"', 'kind = "county"'), "area[2].kind", 0, ""),
])
def test_kinds_in_the_wrong_place_name_file_line_field(tmp_path, text, field, line, message):
    p = tmp_path / "areas.toml"
    p.write_text(text)
    with pytest.raises(DataFileError) as e:
        load_areas(p)
    err = e.value
    assert str(p) in str(err) and err.line
    if line:
        assert err.line == line
    assert message in err.message
    assert err.field == field.replace("area[5].kind", "area[5].parent")


def test_demo_kcc_and_staffordshire_councils_are_councils():
    specs = {s.name: s for s in load_areas(packaged_areas_file("demo"))}
    for name in ("Kent County Council ASC", "Staffordshire County Council", "Stoke-on-Trent City Council"):
        assert specs[name].kind == "council", name
    assert {s.parent for s in specs.values() if s.kind == "la-area"} == {"Kent County Council ASC"}
    assert all(s.kind != "la-area" or s.method == "kcc-asc" for s in specs.values())
