"""Issue 13 items 2, 3 and 5: `scc exercise run SCENARIO --headless` on its own exercise database, the live
database byte-for-byte unchanged (no -wal/-shm appearing), the escalation rules fired at the right simulated
days (Day 2 on Friday, Day 3 on Saturday with the NHSE Director optional from 12:00: the weekend PM-only case),
injected rows authored by EXERCISE CONTROL, every log entry and export marked EXERCISE, the debrief."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from scc_tui.cli import main
from scc_tui.domain.clock import LONDON
from tests.helpers.exercise import folder_state, sha256


def _run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse's usage errors
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def _headless(capsys, live: Path, name: str) -> dict:
    code, out, err = _run(capsys, "exercise", "run", name, "--headless", "--speed", "600", "--json", "--db", str(live))
    assert code == 0, err
    return json.loads(out)


def _local(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(LONDON)


def test_live_database_is_byte_identical_after_both_scenarios(live, capsys):
    before = folder_state(live.parent)
    for name in ("winter-hour", "km-opel4-three-day"):
        d = _headless(capsys, live, name)
        assert Path(d["exercise_db"]).parent == live.parent and Path(d["exercise_db"]) != live
    after = folder_state(live.parent)
    assert after["scc.db"] == before["scc.db"]
    assert not (live.parent / "scc.db-wal").exists() and not (live.parent / "scc.db-shm").exists()
    assert set(after) - set(before) == {"scc.exercise-winter-hour.db", "scc.exercise-km-opel4-three-day.db"}


def test_live_database_with_an_open_session_is_unchanged(live, capsys):
    """A live session holds the WAL open (uncheckpointed pages): the copy reads them read-only and
    writes neither the database file nor its WAL."""
    from scc_tui.store.db import Store
    from scc_tui.store.log import append_entry

    st = Store(f"sqlite:///{live}")
    try:
        with st.engine.connect() as c:  # keep a connection: the WAL stays
            c.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
            append_entry(st, kind="note", text="written during the exercise set-up", author="alice")
            wal = Path(f"{live}-wal")
            assert wal.exists()
            db_sum, wal_sum = sha256(live), sha256(wal)
            d = _headless(capsys, live, "winter-hour")
            assert sha256(live) == db_sum and sha256(wal) == wal_sum
            assert any("Medway" in e["text"] for e in d["entries"])
    finally:
        st.dispose()


def test_three_day_scenario_fires_day2_and_day3_on_the_right_days(live, capsys):
    d = _headless(capsys, live, "km-opel4-three-day")
    fired = [(f["area"], f["rule"], f["day"], _local(f["at"])) for f in d["firings"]]
    day2 = [(a, day, at) for a, r, day, at in fired if r == "opel4-day2-include-stp"]
    day3 = [(a, day, at) for a, r, day, at in fired if r == "opel4-day3-include-nhse"]
    opt = [(a, day, at) for a, r, day, at in fired if r == "opel4-day3-include-nhse~optional"]
    # QEQM and East Kent went to OPEL 4 on Thursday 14 January: Day 2 is Friday, Day 3 Saturday.
    assert {(a, day, at.date().isoformat()) for a, day, at in day2} == {
        ("QEQM Hospital", 2, "2027-01-15"), ("East Kent", 2, "2027-01-15")}
    assert {(a, day, at.date().isoformat(), at.strftime("%a")) for a, day, at in day3} == {
        ("QEQM Hospital", 3, "2027-01-16", "Sat"), ("East Kent", 3, "2027-01-16", "Sat")}
    # The weekend PM-only case: the NHSE Director on-call is optional, and only from 12:00 London.
    assert {(a, day, at.strftime("%a %H:%M")) for a, day, at in opt} == {
        ("QEQM Hospital", 3, "Sat 12:00"), ("East Kent", 3, "Sat 12:00")}
    assert all(f["optional"] for f in d["firings"] if f["rule"].endswith("~optional"))
    # ...and the required Day 3 firing names only the STP at the weekend (no NHSE Director in the morning).
    assert all("NHSE" not in f["message"] for f in d["firings"] if f["rule"] == "opel4-day3-include-nhse")
    # No Day 2 rule on Thursday or Saturday; Day 3 never before Saturday.
    assert not [1 for f in fired if f[1].startswith("opel4-") and f[3].strftime("%a") == "Thu"]
    # The debrief lists them.
    code, out, err = _run(capsys, "exercise", "debrief", "km-opel4-three-day", "--db", str(live))
    assert code == 0, err
    assert out.startswith("EXERCISE EXERCISE EXERCISE")
    assert "| QEQM Hospital | opel4-day2-include-stp | 2 | Fri 15 Jan 00:00 |" in out
    assert "| East Kent | opel4-day3-include-nhse~optional | 3 | Sat 16 Jan 12:00 |" in out


def test_headless_debrief_json_shape_and_exercise_marks(live, capsys):
    d = _headless(capsys, live, "winter-hour")
    assert d["scenario"] == "winter-hour" and d["state"] == "endex"
    for key in ("injects", "firings", "entries", "lessons"):
        assert isinstance(d[key], list)
    assert {"area", "rule", "day", "at"} <= set(d["firings"][0])
    assert [i["id"] for i in d["injects"] if i["state"] == "released"] == ["I1", "I2", "I3", "I4", "I5", "C1", "I6"]
    # Nobody logged Medway in 20 minutes (E1 missed): the contingency C1 was released at its deadline.
    c1 = next(i for i in d["injects"] if i["id"] == "C1")
    assert _local(c1["released_at"]).strftime("%H:%M") == "10:30"
    assert {x["owner"] for x in d["lessons"]} == {"SCC duty manager"} and all(x["due"] for x in d["lessons"])
    db = Path(d["exercise_db"])
    con = sqlite3.connect(db)
    try:
        meta = dict(con.execute("SELECT key, value FROM scc_meta"))
        assert meta["clock"] == "exercise" and meta["exercise"] == "winter-hour" and meta["exercise_state"] == "endex"
        authors = {r[0] for r in con.execute("SELECT author FROM declaration UNION SELECT author FROM assessment")}
        assert authors == {"EXERCISE CONTROL"}
        texts = [r[0] for r in con.execute("SELECT text FROM log_entry")]
        assert texts and all(t.startswith("EXERCISE") for t in texts), texts
        plan = con.execute("SELECT kind, title, lessons FROM plan_test").fetchall()
        assert plan and plan[0][0] == "exercise" and "E1" in plan[0][2] and "owner: SCC duty manager" in plan[0][2]
    finally:
        con.close()


def test_exports_are_headed_exercise(live, capsys):
    _headless(capsys, live, "winter-hour")
    code, out, _ = _run(capsys, "exercise", "debrief", "winter-hour", "--format", "csv", "--db", str(live))
    assert code == 0 and out.lstrip("\ufeff").startswith("EXERCISE EXERCISE EXERCISE\n")
    code, out, _ = _run(capsys, "exercise", "debrief", "winter-hour", "--format", "md", "--db", str(live))
    assert code == 0 and out.startswith("EXERCISE EXERCISE EXERCISE\n")


def test_a_participant_response_is_met_and_holds_the_contingency_back(live, tmp_path):
    """The guard on contingencies: C1 is released only when E1 is missed."""
    from scc_tui.cli.exercise_cmds import headless
    from scc_tui.datafiles.rules import load_rulesets
    from scc_tui.datafiles.scenarios import find_scenario
    from scc_tui.domain.clock import SimulatedClock
    from scc_tui.store.exercise import Runner, create_exercise_db
    from scc_tui.store.log import append_entry

    sc = find_scenario("winter-hour")
    clock = SimulatedClock(sc.start, 600)
    clock.pause()
    store, _path = create_exercise_db(f"sqlite:///{live}", sc, clock)
    try:
        runner = Runner(store, sc, clock, rulesets=load_rulesets(), auto_contingency=True)
        at = sc.inject("I3").at
        clock.jump(at)
        runner.step(at)
        clock.jump(at.replace(minute=15))
        append_entry(store, kind="action", text="Medway: SECAmb cohorting agreed", author="alice",
                     areas=["Medway Maritime Hospital"])
        d = headless(runner)
    finally:
        store.dispose()
    e1 = next(e for e in d["expected"] if e["id"] == "E1")
    assert e1["state"] == "met" and e1["by"] == "alice" and e1["response_minutes"] == 5
    assert next(i for i in d["injects"] if i["id"] == "C1")["state"] == "contingency, not released"
    assert all("E1" not in x["text"] for x in d["lessons"])


def test_run_refuses_to_replace_a_file_that_is_not_an_exercise(live, capsys):
    other = live.parent / "scc.exercise-winter-hour.db"
    other.write_bytes(b"precious")
    code, _, err = _run(capsys, "exercise", "run", "winter-hour", "--headless", "--db", str(live))
    assert code == 2 and "not an exercise database" in err and other.read_bytes() == b"precious"


def test_a_rerun_replaces_the_previous_exercise_database(live, capsys):
    first = _headless(capsys, live, "winter-hour")
    second = _headless(capsys, live, "winter-hour")
    assert first["exercise_db"] == second["exercise_db"]
    assert len(second["entries"]) == len(first["entries"])  # fresh: not appended to the old one


def test_db_naming_an_exercise_database_is_refused(live, capsys):
    d = _headless(capsys, live, "winter-hour")
    code, _, err = _run(capsys, "exercise", "run", "winter-hour", "--headless", "--db", d["exercise_db"])
    assert code == 2 and "names an exercise database" in err


@pytest.mark.parametrize("argv, words", [
    (["--speed", "601"], "out of range"),
    (["--speed", "0"], "out of range"),
    (["--speed", "fast"], "not a number"),
])
def test_bad_speed_exit_2(live, capsys, argv, words):
    code, _, err = _run(capsys, "exercise", "run", "winter-hour", "--headless", *argv, "--db", str(live))
    assert code == 2 and words in err and err.count("\n") == 1


def test_unknown_area_in_a_scenario_exit_2_nothing_created(live, tmp_path, capsys):
    text = (Path(__file__).resolve().parents[2] / "scc_tui/data/scenarios/winter-hour.toml").read_text()
    p = tmp_path / "typo.toml"
    p.write_text(text.replace('area = "Medway & Swale"', 'area = "Medway and Swale"'))
    before = folder_state(live.parent)
    code, _, err = _run(capsys, "exercise", "run", str(p), "--headless", "--db", str(live))
    assert code == 2 and "unknown area 'Medway and Swale'" in err and "typo.toml:" in err and err.count("\n") == 1
    assert folder_state(live.parent) == before


def test_missing_live_database_exit_2(tmp_path, capsys):
    code, _, err = _run(capsys, "exercise", "run", "winter-hour", "--headless", "--db", str(tmp_path / "nope.db"))
    assert code == 2 and "no live database" in err and not (tmp_path / "nope.db").exists()


def test_a_live_database_in_rollback_journal_mode_is_not_switched_to_wal(live, capsys):
    """Opened as the app opens a database (journal_mode=WAL on connect), a live file restored from a
    backup in rollback-journal mode would have its header rewritten: the exercise opens it read-only."""
    con = sqlite3.connect(live)
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    before = sha256(live)
    _headless(capsys, live, "winter-hour")
    assert sha256(live) == before
    assert sorted(p.name for p in live.parent.iterdir()) == ["scc.db", "scc.exercise-winter-hour.db"]


def test_log_and_assessment_exports_of_an_exercise_database_are_headed(live, capsys, tmp_path):
    d = _headless(capsys, live, "winter-hour")
    ex = d["exercise_db"]
    for fmt in ("csv", "md"):
        code, _, err = _run(capsys, "log", "export", "--format", fmt, "--output", str(tmp_path / f"log.{fmt}"), "--db", ex)
        assert code == 0, err
        assert (tmp_path / f"log.{fmt}").read_text(encoding="utf-8-sig").startswith("EXERCISE EXERCISE EXERCISE")
    code, out, _ = _run(capsys, "log", "export", "--format", "json", "--db", ex)
    doc = json.loads(out)
    assert doc["exercise"] == "EXERCISE EXERCISE EXERCISE" and doc["entries"]
    (tmp_path / "log.json").write_text(out)
    assert _run(capsys, "log", "verify", "--file", str(tmp_path / "log.json"))[0] == 0  # still verifiable
    code, out, _ = _run(capsys, "export", "assessments", "--db", ex)
    assert code == 0 and out.startswith("EXERCISE EXERCISE EXERCISE\n") and "Medway" in out
    code, out, _ = _run(capsys, "export", "assessments", "--format", "json", "--db", ex)
    doc = json.loads(out)
    assert code == 0 and doc["exercise"] == "EXERCISE EXERCISE EXERCISE" and doc["assessments"]
    code, out, _ = _run(capsys, "export", "assessments", "--format", "json", "--db", str(live))
    assert code == 0 and "exercise" not in json.loads(out)
    # The live database's exports are not marked.
    code, out, _ = _run(capsys, "log", "export", "--format", "md", "--db", str(live))
    assert code == 0 and "EXERCISE" not in out


def test_lesson_recorded_with_owner_and_due_date_is_in_the_debrief(live, capsys):
    _headless(capsys, live, "winter-hour")
    code, out, err = _run(capsys, "exercise", "lesson", "winter-hour", "--text", "Log the call notes during the call",
                          "--owner", "SCC manager", "--due", "2027-02-01", "--db", str(live))
    assert code == 0, err
    code, out, _ = _run(capsys, "exercise", "debrief", "winter-hour", "--format", "json", "--db", str(live))
    lessons = json.loads(out)["lessons"]
    assert {"text": "Log the call notes during the call", "owner": "SCC manager", "due": "2027-02-01"} in [
        {k: x[k] for k in ("text", "owner", "due")} for x in lessons]


def test_debrief_of_an_exercise_never_run_exit_2(live, capsys):
    code, _, err = _run(capsys, "exercise", "debrief", "winter-hour", "--db", str(live))
    assert code == 2 and "no exercise database" in err and err.count("\n") == 1


def test_the_app_needs_a_terminal_and_nothing_is_created_without_one(live, capsys):
    before = folder_state(live.parent)
    for argv in (["run", "winter-hour"], ["join", "winter-hour"], ["run", "winter-hour", "--speed", "10"]):
        code, _, err = _run(capsys, "exercise", *argv, "--db", str(live))
        assert code == 2 and "needs a terminal" in err and err.count("\n") == 1
    assert folder_state(live.parent) == before


def test_live_database_on_either_backend_is_only_read(db_url, tmp_path, monkeypatch, capsys):
    """The live database may be PostgreSQL: its areas are read in a READ ONLY transaction and the
    exercise database goes to the per-user data folder; nothing in the live database changes."""
    from scc_tui.store.db import Store
    from tests.helpers.exercise import DEMO_AREAS

    monkeypatch.delenv("SCC_NOW", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert main(["db", "upgrade", "--create", "--db", db_url]) == 0
    assert main(["areas", "import", str(DEMO_AREAS), "--db", db_url]) == 0
    capsys.readouterr()

    def snapshot():
        st = Store(db_url, migrate=False)
        try:
            with st.read() as s:
                out = {}
                for t in ("area", "log_entry", "scc_meta", "assessment", "declaration", "escalation_firing",
                          "prompt_record", "plan_test"):
                    out[t] = s.execute(sa.text(f"SELECT * FROM {t}")).all()  # noqa: S608 - fixed names
                return out
        finally:
            st.dispose()

    import sqlalchemy as sa

    before = snapshot()
    d = _headless(capsys, Path(db_url) if "://" not in db_url else db_url, "winter-hour")
    assert snapshot() == before
    where = Path(d["exercise_db"])
    if db_url.startswith("postgresql"):
        assert where == tmp_path / "xdg" / "scc-tui" / "exercises" / "winter-hour.db"
    else:
        assert where.parent == Path(db_url.split("///", 1)[1]).parent
    assert where.is_file()


WINTER = Path(__file__).resolve().parents[2] / "scc_tui/data/scenarios/winter-hour.toml"


@pytest.mark.parametrize("old, new, words", [
    ('at = "+0h05m"', 'at = "+5 minutes"', ["inject[1].at", "inject 'I2'", "not an inject time"]),
    ("level = 4", 'level = "four"', ["inject[3].level", "inject 'I4'"]),
    ('area = "Medway & Swale"\nlevel = 3', 'area = "Medway Maritime Hospital"\nlevel = 3',
     ["inject[4]", "'I4' and 'I5' contradict", "OPEL 4 and OPEL 3"]),
    ('area = "Medway & Swale"', 'area = "Atlantis General"', ["inject[4].area", "unknown area 'Atlantis General'"]),
])
def test_malformed_scenarios_exit_2_with_one_line_naming_the_inject(live, tmp_path, capsys, old, new, words):
    text = WINTER.read_text()
    assert old in text
    bad = text.replace(old, new, 1)
    if "contradict" in words[1]:  # ...and at the same time as I4
        bad = bad.replace('at = "+0h20m"', 'at = "+0h15m"')
    p = tmp_path / "bad.toml"
    p.write_text(bad)
    before = folder_state(live.parent)
    code, out, err = _run(capsys, "exercise", "run", str(p), "--headless", "--db", str(live))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err and f"{p}:" in err, err
    for w in words:
        assert w in err, err
    assert folder_state(live.parent) == before  # nothing created
