"""Issue 13 item 1: scenario files (TOML and a CSV master events list), validated with errors naming the
file, the line, the inject (or expected response) and the field; the CLI refuses them with one line, exit 2."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from scc_tui.cli import main
from scc_tui.datafiles.scenarios import check_areas, find_scenario, list_scenarios, load_scenario, parse_mel, parse_scenario
from scc_tui.domain.clock import LONDON, UTC
from scc_tui.domain.errors import DataFileError
from scc_tui.domain.exercise import contradictions, parse_duration, parse_when

START = datetime(2027, 1, 14, 8, 0, tzinfo=UTC)

GOOD = """
name = "tiny"
title = "Tiny"
start = 2027-01-14T08:00:00
end = "+2h"

[[role]]
name = "SCC duty manager"

[[inject]]
id = "A"
at = "+0h30m"
kind = "declare"
area = "QEQM Hospital"
level = 4
reason = "full"

[[inject]]
id = "B"
at = "+0h30m"
kind = "message"
text = "Ambulance handover delays at Medway exceed 3 hours"
to = ["SCC duty manager"]

[[expected]]
id = "E"
text = "logged"
kind = "log"
after = "B"
"""


def test_inject_times_offsets_and_days():
    assert parse_when("+0h30m", START) == datetime(2027, 1, 14, 8, 30, tzinfo=UTC)
    assert parse_when("+2h", START) == datetime(2027, 1, 14, 10, 0, tzinfo=UTC)
    assert parse_when("+1d4h15m", START) == datetime(2027, 1, 15, 12, 15, tzinfo=UTC)
    assert parse_when("day 2 10:15", START) == datetime(2027, 1, 15, 10, 15, tzinfo=UTC)
    # Day N is London wall time: in summer 10:15 London is 09:15 UTC.
    summer = datetime(2027, 7, 1, 7, 0, tzinfo=UTC)
    assert parse_when("day 1 10:15", summer) == datetime(2027, 7, 1, 10, 15, tzinfo=LONDON)
    assert parse_duration("0h30m").total_seconds() == 1800
    for bad in ("30m", "+", "+1x", "day 0 10:00", "day 2 25:00", "tomorrow", "+h", "day 2 1015"):
        with pytest.raises(ValueError):
            parse_when(bad, START)


def test_a_good_scenario_loads(tmp_path):
    s = parse_scenario(GOOD, tmp_path / "tiny.toml")
    assert s.name == "tiny" and [i.id for i in s.scheduled()] == ["A", "B"]
    assert s.start == datetime(2027, 1, 14, 8, 0, tzinfo=UTC) and s.end == datetime(2027, 1, 14, 10, 0, tzinfo=UTC)
    assert s.areas == ["QEQM Hospital"]


def test_the_shipped_scenarios_load_and_are_listed():
    names = {s.name: s for s in list_scenarios()}
    assert {"winter-hour", "km-opel4-three-day"} <= set(names)
    assert all(s.error is None for s in names.values())
    short = find_scenario("winter-hour")
    assert (short.end - short.start).total_seconds() == 3600
    long = find_scenario("km-opel4-three-day")
    # Thursday to Saturday: Day 3 of the run begun on Thursday is a weekend day.
    assert long.start.astimezone(LONDON).strftime("%a") == "Thu"
    assert long.end.astimezone(LONDON).strftime("%a") == "Sat"
    assert any(i.contingency and i.release_if_missed for i in long.injects)


def test_exercise_list_json_names_are_accepted_by_run(capsys):
    import json

    assert main(["exercise", "list", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {"winter-hour", "km-opel4-three-day"} <= {s["name"] for s in found}
    for s in found:
        assert find_scenario(s["name"]).name == s["name"]


def _bad(tmp_path: Path, old: str, new: str) -> DataFileError:
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(DataFileError) as e:
        load_scenario(p)
    return e.value


@pytest.mark.parametrize("old, new, field, words", [
    ('at = "+0h30m"\nkind = "declare"', 'at = "+30x"\nkind = "declare"', "inject[0].at", ["inject 'A'", "+30x"]),
    ('at = "+0h30m"\nkind = "declare"', 'at = "+5h"\nkind = "declare"', "inject[0].at", ["inject 'A'", "outside"]),
    ("level = 4", 'level = "4"', "inject[0].level", ["inject 'A'", "'4'"]),
    ("level = 4", "level = 7", "inject[0].level", ["inject 'A'"]),
    ('kind = "message"', 'kind = "shout"', "inject[1].kind", ["inject 'B'"]),
    ('to = ["SCC duty manager"]', 'to = ["Nobody"]', "inject[1].to", ["inject 'B'", "Nobody"]),
    ('after = "B"', 'after = "Z"', "expected[0].after", ["expected response 'E'", "'Z'"]),
    ('end = "+2h"', 'end = "+0h"', "end", []),
    ('level = 4\n', 'level = 4\nvalues = { x = 1 }\n', "inject[0].values", ["does not belong"]),
])
def test_malformed_scenarios_name_file_line_inject_and_field(tmp_path, old, new, field, words):
    err = _bad(tmp_path, old, new)
    assert err.field == field, str(err)
    assert err.file.endswith("bad.toml") and err.line is not None
    for w in words:
        assert w in str(err)


def test_contradicting_overlapping_injects_are_refused(tmp_path):
    extra = '\n[[inject]]\nid = "A2"\nat = "+0h30m"\nkind = "declare"\narea = "qeqm hospital"\nlevel = 3\nreason = "x"\n'
    p = tmp_path / "clash.toml"
    p.write_text(GOOD + extra)
    with pytest.raises(DataFileError) as e:
        load_scenario(p)
    assert "'A' and 'A2' contradict" in str(e.value) and "OPEL 4 and OPEL 3" in str(e.value)
    # The same level twice, or at another time, is no contradiction (the guard is about clashes only).
    assert load_scenario_text(tmp_path, GOOD + extra.replace("level = 3", "level = 4"))
    assert load_scenario_text(tmp_path, GOOD + extra.replace('"+0h30m"', '"+0h31m"'))


def load_scenario_text(tmp_path, text):
    p = tmp_path / "ok.toml"
    p.write_text(text)
    return load_scenario(p)


def test_contradicting_assessment_values():
    from scc_tui.domain.exercise import Inject

    a = Inject("a", "+1h", START, "assess", "X", values={"k": 1.0, "j": 2.0})
    b = Inject("b", "+1h", START, "assess", "x", values={"k": 3.0})
    c = Inject("c", "+1h", START, "assess", "x", values={"j": 2.0})
    assert [(p[0].id, p[1].id) for p in contradictions([a, b, c])] == [("a", "b")]


def test_unknown_areas_are_named(tmp_path):
    p = tmp_path / "tiny.toml"
    p.write_text(GOOD)
    s = load_scenario(p)
    check_areas(s, ["qeqm hospital"])
    with pytest.raises(DataFileError) as e:
        check_areas(s, ["Medway Maritime Hospital"])
    assert e.value.field == "inject[0].area" and "unknown area 'QEQM Hospital'" in str(e.value) and e.value.line


def test_cli_check_refuses_with_one_line_exit_2(tmp_path, capsys):
    p = tmp_path / "bad.toml"
    p.write_text(GOOD.replace('"+0h30m"', '"half past"', 1))
    assert main(["exercise", "check", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.toml:" in err and "inject[0].at" in err and "Traceback" not in err
    q = tmp_path / "good.toml"
    q.write_text(GOOD)
    assert main(["exercise", "check", str(q)]) == 0


MEL = """serial,time,kind,area,level,values,message,to,contingency,release_if_missed,expected_response,within,owner
STARTEX,2027-01-11T10:00,,,,,Winter hour from a MEL,,,,,,
1,+0h05m,assess,Medway Maritime Hospital,,ambulance_handover_mins=190; ed_4hr_pct=52,,,,,,,
2,+0h10m,message,Medway Maritime Hospital,,,Ambulance handover delays at Medway exceed 3 hours,SCC duty manager,,,Log it,0h15m,SCC duty manager
3,+0h15m,declare,Medway Maritime Hospital,4,,Handover delays over 3 hours,,,,,,
C,+0h30m,message,,,,Chase from NHSE,,yes,2-response,,,
ENDEX,+1h,,,,,,,,,,,
"""


def test_a_csv_master_events_list_imports(tmp_path):
    p = tmp_path / "Winter MEL.csv"
    p.write_text(MEL)
    s = load_scenario(p)
    assert s.name == "winter-mel" and s.title == "Winter hour from a MEL"
    assert [i.id for i in s.injects] == ["1", "2", "3", "C"]
    assert s.inject("1").values == {"ambulance_handover_mins": 190.0, "ed_4hr_pct": 52.0}
    assert s.inject("3").level == 4 and s.inject("3").reason.startswith("Handover")
    assert s.inject("C").contingency and s.inject("C").release_if_missed == "2-response"
    assert [(e.id, e.kind, e.owner) for e in s.expected] == [("2-response", "observed", "SCC duty manager")]
    assert [r.name for r in s.roles] == ["SCC duty manager"]


@pytest.mark.parametrize("old, new, where", [
    ("+0h10m,message", "+10 minutes,message", "row 4"),
    (",4,,Handover", ",four,,Handover", "row 5"),
    ("ed_4hr_pct=52", "ed_4hr_pct=lots", "row 3, column values"),
    ("ENDEX,+1h", "ENDOFEX,+1h", "serial"),
])
def test_a_bad_master_events_list_names_the_row(tmp_path, old, new, where):
    p = tmp_path / "mel.csv"
    p.write_text(MEL.replace(old, new))
    with pytest.raises(DataFileError) as e:
        load_scenario(p)
    assert "mel.csv" in str(e.value)
    if where.startswith("row"):
        row = int(where.split()[1].rstrip(","))
        assert e.value.line == row, str(e.value)
    else:
        assert where in str(e.value)


def test_parse_mel_directly():
    s = parse_mel(MEL, "x.csv")
    assert s.end.isoformat() == "2027-01-11T11:00:00+00:00"
