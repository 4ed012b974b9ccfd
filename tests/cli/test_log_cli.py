"""``scc log`` and ``scc plan-test`` end to end: exit codes, one-line errors, exports that open cleanly
and carry no terminal escape sequences, ``verify`` naming a tampered entry (in a subprocess)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scc_tui.cli import main
from scc_tui.identity import os_user
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.models import Area

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T09:00:00+00:00"
ESCAPES = ("\x1b[2J", "\x1b]0;title\x07")


@pytest.fixture
def db(db_url, clock, monkeypatch):
    monkeypatch.setenv("SCC_NOW", NOW)
    monkeypatch.delenv("SCC_DB", raising=False)
    st = Store(resolve_url(db_url), clock)
    with st.write() as s:
        for name in ("East Kent", "Medway & Swale"):
            s.add(Area(name=name, key=name.casefold(), kind="system", created_at=clock.now(), updated_at=clock.now()))
    st.dispose()
    return db_url


def scc(db: str, *args: str) -> int:
    return main(["--db", db, *args])


def run_sub(db: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SCC_NOW=NOW)
    return subprocess.run([sys.executable, "-m", "scc_tui", "--db", db, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def _raw(db: str, *sql: str) -> None:
    st = Store(resolve_url(db))
    with st.engine.begin() as c:
        if st.dialect == "sqlite":
            c.exec_driver_sql("DROP TRIGGER IF EXISTS log_entry_no_update")
            c.exec_driver_sql("DROP TRIGGER IF EXISTS log_entry_no_delete")
        else:
            c.exec_driver_sql("DROP TRIGGER IF EXISTS log_entry_append_only ON log_entry")
        for stmt in sql:
            c.exec_driver_sql(stmt)
    st.dispose()


def test_add_list_show_and_corrections(db, capsys):
    assert scc(db, "log", "add", "--kind", "action", "--text", "Call SECAmb at 11:00", "--area", "east kent",
               "--owner", "Bob") == 0
    assert capsys.readouterr().out == "1\n"
    assert scc(db, "log", "add", "--kind", "decision", "--text", "Open 10 escalation beds | QEQM",
               "--rationale", "ED at 140%", "--risk", "=HYPERLINK(\"x\")", "--area", "Medway & Swale",
               "--review-at", "2026-11-23T13:00", "--event-at", "08:00", "--late-reason", "on a call") == 0
    assert scc(db, "log", "add", "--kind", "correction", "--text", "It was 12:00", "--corrects", "1") == 0
    assert capsys.readouterr().out == "2\n3\n"
    assert scc(db, "log", "list") == 0
    out = capsys.readouterr().out
    assert "#1  2026-11-23T09:00:00+00:00  Action  " + os_user() in out
    assert "corrected by #3" in out and "corrects #1" in out
    assert "areas: East Kent (OPEL -)" in out and "LATE: on a call" in out
    assert scc(db, "log", "list", "--json", "--kind", "action") == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["seq"] for d in data] == [1] and data[0]["corrected_by"] == [3] and data[0]["source"] == "cli"
    assert scc(db, "log", "list", "--area", "medway & swale", "--json") == 0
    assert [d["seq"] for d in json.loads(capsys.readouterr().out)] == [2]
    assert scc(db, "log", "show", "2") == 0
    assert "hash:" in capsys.readouterr().out
    assert scc(db, "log", "verify") == 0
    assert capsys.readouterr().out.startswith("ok: 3 entries verified; head #3 ")


@pytest.mark.parametrize("args,match", [
    (["--kind", "note", "--text", ""], "text: is empty"),
    (["--kind", "note", "--text", "x" * 100_000], "100,000 characters long"),
    (["--kind", "note", "--text", "\x1b[2J"], "control character"),
    (["--kind", "note", "--text", "hi \x1b]0;title\x07"], "control character"),
    (["--kind", "note", "--text", "x", "--area", "Atlantis"], "unknown area"),
    (["--kind", "decision", "--text", "x"], "rationale"),
    (["--kind", "note", "--text", "x", "--event-at", "2026-11-23T08:00"], "late"),
    (["--kind", "note", "--text", "x", "--event-at", "yesterday"], "--event-at"),
    (["--kind", "note", "--text", "x", "--corrects", "5"], "no entry #5"),
    (["--kind", "gossip", "--text", "x"], "unknown kind"),
    (["--text", "x"], "--kind"),
])
def test_bad_input_one_line_exit_2_nothing_saved(db, capsys, args, match):
    assert scc(db, "log", "add", *args) == 2
    err = capsys.readouterr().err
    assert match in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert scc(db, "log", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.fixture(autouse=True)
def _systemexit_as_code(monkeypatch):
    """argparse calls sys.exit(2); the real `scc` process turns that into its exit status."""
    import scc_tui.cli as cli

    real = cli.main

    def wrapped(argv):
        try:
            return real(argv)
        except SystemExit as exc:
            return exc.code

    monkeypatch.setattr(sys.modules[__name__], "main", wrapped)


def test_exports_are_clean_and_complete(db, tmp_path, capsys, clock):
    st = Store(resolve_url(db), clock)
    # Someone writes escape sequences into the table by other means; exports and listings stay inert.
    from scc_tui.store.log import append_entry

    append_entry(st, kind="note", text="first | second", author="alice", areas=["East Kent"])
    append_entry(st, kind="decision", text="Café — Medway’s plan\nline 2", rationale="-1 bed", author="bob")
    st.dispose()
    _raw(db, "UPDATE log_entry SET text = 'evil " + ESCAPES[0] + ESCAPES[1] + "\u009b31m' WHERE seq = 1")
    for fmt in ("csv", "md", "json"):
        f = tmp_path / f"log.{fmt}"
        assert scc(db, "log", "export", "--format", fmt, "--output", str(f)) == 0
        raw = f.read_bytes()
        text = raw.decode("utf-8-sig")
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, fmt
        if fmt == "csv":
            assert raw.startswith(b"\xef\xbb\xbf")
            rows = list(csv.DictReader(io.StringIO(text)))
            assert [r["seq"] for r in rows] == ["1", "2", "log head"]  # the head, for an anchor, last
            assert rows[2]["recorded_at"] == f"2:{rows[1]['hash']}"
            assert rows[1]["text"] == "Café — Medway’s plan\nline 2"
            assert rows[1]["rationale"] == "'-1 bed"  # no formula in Excel
            assert rows[0]["recorded_at"] == "2026-11-23T09:00:00+00:00" and len(rows[0]["hash"]) == 64
            assert rows[0]["opel"] == "East Kent: -"
        elif fmt == "md":
            assert "CHAIN VERIFICATION FAILED" in text and "entry #1" in text
            assert "Log head when exported: #2 `" in text
            table = [ln for ln in text.splitlines() if ln.startswith("| 2 ")][0]
            assert "Café — Medway’s plan<br>line 2" in table and table.count(" | ") == 7
        else:
            doc = json.loads(text)
            data = doc["entries"]
            assert doc["log_head"] == {"seq": 2, "hash": data[1]["hash"]}
            assert data[0]["text"] == "evil " + ESCAPES[0] + ESCAPES[1] + "\u009b31m"  # exact, but escaped on disk
            assert set(data[1]) >= {"seq", "recorded_at", "event_at", "author", "role", "kind", "areas", "opel", "text",
                                    "rationale", "hash", "prev_hash", "corrects_seq", "late_reason", "source"}
    for args in (["log", "list"], ["log", "list", "--json"], ["log", "show", "1"]):
        capsys.readouterr()
        assert scc(db, *args) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
        assert "evil" in out
    assert scc(db, "log", "verify") == 1


def test_json_export_verifies_offline(db, tmp_path, capsys):
    for i in range(4):
        assert scc(db, "log", "add", "--kind", "note", "--text", f"n{i}") == 0
    f = tmp_path / "log.json"
    assert scc(db, "log", "export", "--format", "json", "--output", str(f)) == 0
    assert scc(db, "log", "verify", "--file", str(f)) == 0
    data = json.loads(f.read_text())["entries"]
    data[2]["text"] = "n2 (edited)"
    f.write_text(json.dumps(data))
    capsys.readouterr()
    assert scc(db, "log", "verify", "--file", str(f)) == 1
    assert "entry #3: hash mismatch" in capsys.readouterr().out


def test_verify_subprocess_names_tampered_and_deleted_entries(db):
    for i in range(1, 9):
        assert scc(db, "log", "add", "--kind", "note", "--text", f"entry {i}") == 0
    r = run_sub(db, "log", "verify")
    assert r.returncode == 0, r.stderr
    head = r.stdout.split()[-1]
    _raw(db, "UPDATE log_entry SET text = 'nothing to see' WHERE seq = 7")
    r = run_sub(db, "log", "verify")
    assert r.returncode == 1
    assert "entry #7: hash mismatch (content altered?)" in r.stdout
    assert "6 entries before it verified" in r.stdout
    assert "triggers" in r.stderr  # and the missing guard is reported
    _raw(db, "DELETE FROM log_entry WHERE seq IN (4, 7, 8)")
    r = run_sub(db, "log", "verify")
    assert r.returncode == 1 and "entry #4: missing" in r.stdout
    # Anchors catch a truncated tail even when what is left is consistent.
    _raw(db, "DELETE FROM log_entry WHERE seq >= 4")
    # ...and so does the head this user's verify saw last time (remembered outside the database).
    r = run_sub(db, "log", "verify")
    assert r.returncode == 1 and "entry #8" in r.stdout and "last checked here" in r.stderr
    r = run_sub(db, "log", "verify", "--anchor", f"8:{head}")
    assert r.returncode == 1 and "entry #8" in r.stdout and "truncated" in r.stdout


def test_roles_and_plan_tests(db, capsys):
    user = os_user()
    assert scc(db, "log", "role", "set", user, "SCC Manager") == 0
    assert capsys.readouterr().out == "1\n"
    assert scc(db, "log", "role", "show", "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["role"] == "SCC Manager"
    assert scc(db, "log", "add", "--kind", "note", "--text", "x") == 0
    assert scc(db, "plan-test", "add", "--date", "2025-09-08", "--kind", "exercise", "--title", "Exercise Aegis",
               "--what", "Strategic winter preparedness exercise", "--duration-mins", "300",
               "--lessons", "Expect flu pressure") == 0
    out = capsys.readouterr().out
    assert "plan test 1 recorded (log entry #3)" in out
    assert scc(db, "plan-test", "list", "--json") == 0
    pts = json.loads(capsys.readouterr().out)
    assert pts[0]["title"] == "Exercise Aegis" and pts[0]["log_seq"] == 3
    assert scc(db, "log", "list", "--json", "--kind", "plan-test") == 0
    e = json.loads(capsys.readouterr().out)[0]
    assert e["role"] == "SCC Manager" and "Exercise Aegis" in e["text"]
    assert scc(db, "plan-test", "add", "--date", "08/09/2025", "--kind", "exercise", "--title", "t") == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert scc(db, "plan-test", "add", "--date", "2025-09-08", "--kind", "drill", "--title", "t") == 2
    assert "invalid choice" in capsys.readouterr().err
    assert scc(db, "plan-test", "list") == 0
    assert "Exercise Aegis (300 min)  [log #3]" in capsys.readouterr().out


def test_bad_database_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SCC_DB", raising=False)
    code = main(["--db", "postgresql://nobody@127.0.0.1:1/none", "log", "list"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
