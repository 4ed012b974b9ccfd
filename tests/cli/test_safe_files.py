"""Issue 16 items 4 and 7: private by default (0700 folder, 0600 database and its -wal/-shm, passwords never
printed, a password typed in --db warned about) and files written safely (one guarded CSV writer, --output
never overwrites without --force, the handover saved exclusively, a demo never replaces real data unasked)."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest

from scc_tui.cli import main

NOW = "2026-11-23T11:00:00+00:00"
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture(autouse=True)
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("SCC_NOW", NOW)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for k in ("SCC_DB", "SCC_DEBUG"):
        monkeypatch.delenv(k, raising=False)
    return tmp_path / "xdg" / "scc-tui"


@pytest.fixture
def demo(tmp_path, capsys) -> Path:
    db = tmp_path / "demo.db"
    assert main(["demo", "--no-open", "--days", "2", "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# ---------------------------------------------------------------- item 4: private by default


def test_default_database_and_its_wal_files_are_private(env, capsys):
    from scc_tui.cli.common import open_store

    store = open_store(None)  # the per-user default, created now
    try:
        with store.write() as s:  # leaves -wal and -shm while the connection is open
            from scc_tui.store.models import Area
            from scc_tui.domain.clock import UTC
            from datetime import datetime

            t = datetime(2026, 11, 23, tzinfo=UTC)
            s.add(Area(name="X", key="x", kind="provider", created_at=t, updated_at=t))
        db = env / "scc.db"
        assert _mode(env) == 0o700 and _mode(db) == 0o600
        for suffix in ("-wal", "-shm"):
            f = Path(f"{db}{suffix}")
            assert f.exists() and _mode(f) == 0o600, suffix
    finally:
        store.dispose()
    assert "created a new database" in capsys.readouterr().err


def test_created_and_demo_databases_are_private(tmp_path, capsys):
    assert main(["db", "upgrade", "--create", "--db", str(tmp_path / "a.db")]) == 0
    assert main(["demo", "--no-open", "--days", "1", "--db", str(tmp_path / "b.db")]) == 0
    assert _mode(tmp_path / "a.db") == 0o600 and _mode(tmp_path / "b.db") == 0o600


def test_query_password_is_redacted_everywhere_printed(capsys):
    from scc_tui.cli.tui import open_app
    from scc_tui.store.db import redact_url

    assert redact_url("postgresql://u:pw@h/db?sslmode=require&password=sekrit") == (
        "postgresql://u:***@h/db?sslmode=require&password=***")
    url = "postgresql://scc@127.0.0.1:1/x?password=sekrit"
    for argv in (["status", "--db", url], ["db", "info", "--db", url], ["db", "upgrade", "--db", url],
                 ["demo", "--no-open", "--db", url], ["handover", "--db", url], ["log", "list", "--db", url]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert "sekrit" not in out + err, argv
    assert open_app("postgresql+psycopg://u:pw1@127.0.0.1:1/x?password=sekrit") == 2
    err = capsys.readouterr().err
    assert "sekrit" not in err and "pw1" not in err and "password=***" in err


def test_db_info_and_upgrade_print_the_url_redacted(db_url, capsys):
    from scc_tui.cli import store_cmds

    class FakeStore:  # what `db info`/`db upgrade` print is _safe_url(store)
        class engine:
            class url:
                @staticmethod
                def render_as_string(hide_password=False):
                    return "postgresql+psycopg://u:pw1@h/db?password=sekrit"

    shown = store_cmds._safe_url(FakeStore)
    assert "sekrit" not in shown and "pw1" not in shown
    if not db_url.startswith("postgresql"):
        return
    url = db_url + "?password=sekrit"  # trust auth on the test server: the password is ignored
    assert main(["db", "upgrade", "--create", "--db", url]) == 0
    out, err = capsys.readouterr()
    assert "sekrit" not in out and "password=***" in out
    assert main(["db", "info", "--db", url, "--json"]) == 0
    out, err = capsys.readouterr()
    assert "sekrit" not in out and json.loads(out)["url"].endswith("?password=***")
    assert "process list" in err  # the warning about a password typed in --db


def test_a_password_in_db_is_warned_about_but_not_in_scc_db(monkeypatch, capsys):
    main(["status", "--db", "postgresql://u:pw@127.0.0.1:1/x"])
    err = capsys.readouterr().err
    assert "warning: a password in --db" in err and "PGPASSWORD" in err and "pw@" not in err
    monkeypatch.setenv("SCC_DB", "postgresql://u:pw@127.0.0.1:1/x")
    main(["status"])
    assert "warning" not in capsys.readouterr().err


# ---------------------------------------------------------------- item 7: files written safely


def test_every_csv_export_guards_formulas_and_round_trips(demo, tmp_path, capsys):
    csv_in = tmp_path / "decl.csv"
    csv_in.write_text(f'area,assessed_at,level,reason\nQEQM Hospital,2026-11-23T10:40,3,"{FORMULA.replace(chr(34), chr(34) * 2)}"\n'
                      "QEQM Hospital,2026-11-23T10:41,4,+2 beds short\n")
    assert main(["import", "assessments", str(csv_in), "--db", str(demo)]) == 0
    assert main(["log", "add", "--kind", "note", "--text", FORMULA, "--db", str(demo)]) == 0
    capsys.readouterr()
    for argv in (["export", "declarations"], ["export", "assessments"], ["log", "export", "--format", "csv"]):
        out = tmp_path / f"{argv[-1]}.csv"
        assert main([*argv, "--db", str(demo), "--output", str(out)]) == 0
        cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for c in row]
        assert not any(c[:1] in ("=", "+", "-", "@") for c in cells if not _number(c)), argv
    # The guard is undone on import: a declarations export re-imports as nothing new.
    assert main(["import", "assessments", str(tmp_path / "declarations.csv"), "--db", str(demo)]) == 0
    assert "0 new" in capsys.readouterr().out


def _number(c: str) -> bool:
    try:
        float(c)
        return True
    except ValueError:
        return False


@pytest.mark.parametrize("argv", [["export", "assessments"], ["log", "export", "--format", "json"]])
def test_output_never_overwrites_without_force(argv, demo, tmp_path, capsys):
    out = tmp_path / "out.txt"
    out.write_text("precious")
    assert main([*argv, "--db", str(demo), "--output", str(out)]) == 2
    assert out.read_text() == "precious" and "--force" in capsys.readouterr().err
    assert main([*argv, "--db", str(demo), "--output", str(out), "--force"]) == 0
    assert out.read_text() != "precious"


def test_output_never_follows_a_symlink(demo, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    assert main(["export", "assessments", "--db", str(demo), "--output", str(link)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert main(["export", "assessments", "--db", str(demo), "--output", str(link), "--force"]) == 0
    assert victim.read_text() == "precious" and not link.is_symlink() and link.read_text().startswith("area,")


async def test_handover_save_is_exclusive_never_follows_a_link_and_shows_the_path(tmp_path):
    from datetime import datetime

    from textual.app import App

    from scc_tui.app.db_seam import DbSeam
    from scc_tui.app.screens.handover_screen import HandoverScreen
    from scc_tui.domain.clock import UTC, FixedClock
    from scc_tui.store.db import Store, resolve_url
    from scc_tui.store.handover import gather_handover

    store = Store(resolve_url(str(tmp_path / "h.db")), FixedClock(datetime(2026, 11, 23, 18, tzinfo=UTC)))
    h = gather_handover(store, datetime(2026, 11, 23, 18, tzinfo=UTC))
    folder = tmp_path / "out"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (folder / "handover-20261123-1800.md").symlink_to(victim)
    notes: list[str] = []

    class _App(App):
        def on_mount(self) -> None:
            self.push_screen(screen)

        def notify(self, message, **kw):  # noqa: D401
            notes.append(str(message))

    try:
        screen = HandoverScreen(DbSeam(store), user="alice", handover=h, save_dir=folder)
        async with _App().run_test() as pilot:
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            screen.save_dir = tmp_path / "missing"
            await pilot.press("s")
            await pilot.pause()
    finally:
        store.dispose()
    saved = folder / "handover-20261123-1800-2.md"
    assert victim.read_text() == "precious" and saved.read_text(encoding="utf-8").startswith("# SCC handover")
    assert notes[0] == f"Saved {saved.resolve()}"
    assert notes[1].startswith("Could not save") and not (tmp_path / "missing").exists()


def test_demo_refuses_a_database_holding_other_data_unless_replace(demo, capsys):
    assert main(["demo", "--no-open", "--days", "2", "--db", str(demo)]) == 0  # only demo data: remade
    assert main(["log", "add", "--kind", "decision", "--text", "Open 6 beds", "--rationale", "r", "--db", str(demo)]) == 0
    capsys.readouterr()
    assert main(["demo", "--no-open", "--db", str(demo)]) == 2
    err = capsys.readouterr().err
    assert "did not make" in err and "1 log entries" in err and err.count("\n") == 1
    assert main(["log", "list", "--db", str(demo)]) == 0 and "Open 6 beds" in capsys.readouterr().out
    assert main(["demo", "--no-open", "--days", "2", "--replace", "--db", str(demo)]) == 0
    capsys.readouterr()
    assert main(["log", "list", "--db", str(demo)]) == 0 and "Open 6 beds" not in capsys.readouterr().out


@pytest.mark.parametrize("answer, code", [("n\n", 2), ("\n", 2), ("y\n", 0)])
def test_demo_asks_in_a_terminal(answer, code, tmp_path, monkeypatch, capsys):
    real = tmp_path / "real.db"
    assert main(["db", "upgrade", "--create", "--db", str(real)]) == 0
    assert main(["log", "add", "--kind", "note", "--text", "real", "--db", str(real)]) == 0
    capsys.readouterr()

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Tty(answer))
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    import sys

    monkeypatch.setattr(sys, "stderr", Tty())
    assert main(["demo", "--no-open", "--days", "1", "--db", str(real)]) == code
    assert "[y/N]" in sys.stderr.getvalue()


def test_demo_on_postgresql_replaces_only_when_asked(db_url, capsys):
    assert main(["db", "upgrade", "--create", "--db", db_url]) == 0
    assert main(["log", "add", "--kind", "note", "--text", "real", "--db", db_url]) == 0
    capsys.readouterr()
    assert main(["demo", "--no-open", "--days", "1", "--db", db_url]) == 2
    assert main(["demo", "--no-open", "--days", "1", "--replace", "--db", db_url]) == 0
    assert main(["demo", "--no-open", "--days", "1", "--db", db_url]) == 0  # a demo over a demo
    capsys.readouterr()
    assert main(["log", "list", "--db", db_url]) == 0 and "real" not in capsys.readouterr().out.split("\n")
