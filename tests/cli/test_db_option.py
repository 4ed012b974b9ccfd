"""Issue 9 items 1-2: every command honours ``--db`` and ``SCC_DB`` wherever ``--db`` is written (before the
command, between a command and its subcommand, at the end), writes land in the named database, and the
per-user default file is never touched; an explicit SQLite path that does not exist is refused (one line,
exit 2, no file or folder made) unless the command creates databases on purpose."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from scc_tui.cli import COMMANDS, main
from scc_tui.store.db import Store, resolve_url

NOW = "2026-11-23T11:00:00+00:00"
ROOT = Path(__file__).resolve().parents[2]

AREAS_TOML = """
[[area]]
name = "Named Only Area"
kind = "provider"
"""
MORE_AREAS_TOML = """
[[area]]
name = "Named Only Area"
kind = "provider"

[[area]]
name = "Imported Area"
kind = "provider"
"""
ACCESS_TOML = '[[user]]\nname = "someone"\nrole = "admin"\n'
DECLARATIONS_CSV = "area,assessed_at,level,reason\nNamed Only Area,2026-11-23T10:15,3,escalating\n"
# An exercise scenario naming an area only the named (live) database holds: `scc exercise run` copies the
# areas from the database --db names, read-only, and writes beside it.
SCENARIO_TOML = """
name = "named"
title = "Named"
start = 2026-11-23T09:00:00
end = "+1h"

[[inject]]
id = "A"
at = "+0h10m"
kind = "declare"
area = "Named Only Area"
level = 3
reason = "exercise"
"""


def _exercise_beside(db: Path, out: str) -> bool:
    d = json.loads(out)
    return Path(d["exercise_db"]) == db.with_name(f"{db.stem}.exercise-named.db") and any(
        "Named Only Area" in i["text"] for i in d["injects"] if i["state"] == "released")


@pytest.fixture(autouse=True)
def env(monkeypatch, tmp_path):
    """The per-user data directory points into tmp (platformdirs honours XDG_DATA_HOME on Linux)."""
    monkeypatch.setenv("SCC_NOW", NOW)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SCC_DB", raising=False)
    monkeypatch.delenv("SCC_DEBUG", raising=False)
    return tmp_path / "xdg" / "scc-tui"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A named database with an area, a declared level, a log entry, a role and a plan test."""
    d = tmp_path_factory.mktemp("named")
    db = d / "named.db"
    mp = pytest.MonkeyPatch()
    mp.setenv("SCC_NOW", NOW)
    mp.setenv("XDG_DATA_HOME", str(d / "xdg"))
    mp.delenv("SCC_DB", raising=False)
    try:
        (d / "areas.toml").write_text(AREAS_TOML)
        (d / "first.csv").write_text("area,assessed_at,level,reason\nNamed Only Area,2026-11-23T09:05,2,\n")
        assert main(["db", "upgrade", "--create", "--db", str(db)]) == 0
        assert main(["areas", "import", str(d / "areas.toml"), "--db", str(db)]) == 0
        assert main(["import", "assessments", str(d / "first.csv"), "--db", str(db)]) == 0
        assert main(["log", "add", "--kind", "note", "--text", "fixture entry", "--db", str(db)]) == 0
        assert main(["log", "role", "set", "alice", "SCC Manager", "--db", str(db)]) == 0
        assert main(["plan-test", "add", "--date", "2026-10-01", "--kind", "exercise", "--title", "Fixture exercise",
                     "--db", str(db)]) == 0
        assert main(["risks", "add", "--title", "Fixture risk", "--if", "a", "--then", "b", "--resulting-in", "c",
                     "--likelihood", "4", "--consequence", "5", "--db", str(db)]) == 0
    finally:
        mp.undo()
    assert not (d / "xdg" / "scc-tui" / "scc.db").exists()
    return db


@pytest.fixture
def named(template, tmp_path) -> Path:
    db = tmp_path / "named.db"
    shutil.copy(template, db)
    (tmp_path / "more-areas.toml").write_text(MORE_AREAS_TOML)
    (tmp_path / "decl.csv").write_text(DECLARATIONS_CSV)
    (tmp_path / "named.toml").write_text(SCENARIO_TOML)
    (tmp_path / "access.toml").write_text(ACCESS_TOML)
    return db


def no_default_db(user_dir: Path) -> bool:
    """Neither per-user database exists (the folder itself may hold other per-user files, such as the log
    anchors `scc log verify` remembers)."""
    return not (user_dir / "scc.db").exists() and not (user_dir / "demo.db").exists() and not any(user_dir.glob("*.db*"))


def _store(path: Path) -> Store:
    return Store(resolve_url(str(path)), migrate=False)


def _log_texts(path: Path) -> list[str]:
    from scc_tui.store.log import list_entries

    st = _store(path)
    try:
        return [e.text for e in list_entries(st)]
    finally:
        st.dispose()


def _area_names(path: Path) -> set[str]:
    from scc_tui.store.areas import list_areas

    st = _store(path)
    try:
        with st.read() as s:
            return {a.name for a in list_areas(s)}
    finally:
        st.dispose()


def _declaration_count(path: Path) -> int:
    from scc_tui.store.assessments import count_rows

    st = _store(path)
    try:
        with st.read() as s:
            return count_rows(s)[1]
    finally:
        st.dispose()


def _roles(path: Path) -> set[str]:
    from scc_tui.store.roles import current_roles

    st = _store(path)
    try:
        return {r.username for r in current_roles(st)}
    finally:
        st.dispose()


def _plan_tests(path: Path) -> set[str]:
    from scc_tui.store.plan_tests import list_plan_tests

    st = _store(path)
    try:
        return {p.title for p in list_plan_tests(st)}
    finally:
        st.dispose()


def _shows(text: str):
    return lambda db, out: text in out


# (id, argv with "@" where a group's --db may go, check(db, stdout) -> truthy). Read commands prove they read
# the named database by showing something only it holds; write commands by what they wrote.
CASES = [
    ("status", ["status", "--json"], _shows("Named Only Area")),
    ("db info", ["db", "@", "info", "--json"], lambda db, out: json.loads(out)["url"].endswith(str(db))),
    ("db upgrade", ["db", "@", "upgrade"], lambda db, out: str(db) in out),
    ("areas import", ["areas", "@", "import", "{tmp}/more-areas.toml"], lambda db, out: "Imported Area" in _area_names(db)),
    ("areas list", ["areas", "@", "list"], _shows("Named Only Area")),
    ("import", ["import", "assessments", "{tmp}/decl.csv"], lambda db, out: _declaration_count(db) == 2),
    ("export assessments", ["export", "assessments", "--format", "json"], _shows("Named Only Area")),
    ("export declarations", ["export", "declarations"], _shows("Named Only Area")),
    ("log add", ["log", "@", "add", "--kind", "note", "--text", "written here"],
     lambda db, out: _log_texts(db)[-1] == "written here"),
    ("log list", ["log", "@", "list"], _shows("fixture entry")),
    ("log show", ["log", "@", "show", "2"], _shows("fixture entry")),
    ("log export", ["log", "@", "export", "--format", "json"], _shows("fixture entry")),
    ("log verify", ["log", "@", "verify"], _shows("entries verified")),
    ("log role set", ["log", "@", "role", "set", "bob", "Duty manager"], lambda db, out: "bob" in _roles(db)),
    ("log role show", ["log", "@", "role", "show"], _shows("alice")),
    ("plan-test add", ["plan-test", "@", "add", "--date", "2026-11-02", "--kind", "exercise", "--title", "Named"],
     lambda db, out: "Named" in _plan_tests(db)),
    ("plan-test list", ["plan-test", "@", "list"], _shows("Fixture exercise")),
    ("handover", ["handover", "--format", "json"], _shows("Named Only Area")),
    ("risks add", ["risks", "@", "add", "--title", "Written here", "--if", "a", "--then", "b", "--resulting-in", "c",
                   "--likelihood", "2", "--consequence", "3"], lambda db, out: out.strip() == "R2"),
    ("risks update", ["risks", "@", "update", "R1", "--note", "reviewed here"],
     lambda db, out: "R1 v2" in out and any("reviewed here" in t for t in _log_texts(db))),
    ("risks list", ["risks", "@", "list"], _shows("Fixture risk")),
    ("risks show", ["risks", "@", "show", "R1", "--json"], _shows("Fixture risk")),
    ("risks export", ["risks", "@", "export", "--format", "json"], _shows("Fixture risk")),
    ("risks verify", ["risks", "@", "verify"], _shows("1 risk register versions")),
    ("report sitrep", ["report", "@", "sitrep", "--format", "json"],
     lambda db, out: "Named Only Area" in out and any(t.startswith("Sitrep sent (json)") for t in _log_texts(db))),
    # --area names an area only the named database holds: an unknown area exits 2.
    ("escalations", ["escalations", "--area", "Named Only Area", "--json"], lambda db, out: json.loads(out) == []),
    ("actions", ["actions", "--json"], lambda db, out: json.loads(out) == []),
    # No database needed: accepted anywhere, and the default file is not created either.
    ("access import", ["access", "@", "import", "{tmp}/access.toml"], lambda db, out: "1 users" in out),
    ("access list", ["access", "@", "list"], _shows("no access file imported")),
    ("rules list", ["rules", "@", "list"], _shows("kent-medway")),
    ("exercise run", ["exercise", "@", "run", "{tmp}/named.toml", "--headless", "--json"],
     lambda db, out: _exercise_beside(db, out)),
    ("score", ["score", "integrated-2024", "--set", "normalised_score=41"], _shows("OPEL 3")),
    ("beds", ["beds", "--site", "RSUH"], _shows("-208")),
    ("schedule", ["schedule", "--from", "2026-11-23", "--to", "2026-11-23"], _shows("10:00")),
]
POSITIONS = ["before", "middle", "after", "env"]


def _argv(case_argv: list[str], position: str, db: str, tmp: Path) -> list[str]:
    argv = [a.replace("{tmp}", str(tmp)) for a in case_argv]
    if position == "before":
        return ["--db", db, *[a for a in argv if a != "@"]]
    if position == "middle":
        i = argv.index("@")
        return [*argv[:i], "--db", db, *argv[i + 1:]]
    if position == "after":
        return [*[a for a in argv if a != "@"], "--db", db]
    return [a for a in argv if a != "@"]


def _params():
    for cid, argv, check in CASES:
        for pos in POSITIONS:
            if pos == "middle" and "@" not in argv:
                continue
            yield pytest.param(argv, pos, check, id=f"{cid}-{pos}")


@pytest.mark.parametrize("argv, position, check", list(_params()))
def test_every_command_uses_the_named_database(argv, position, check, named, env, tmp_path, monkeypatch, capsys):
    if position == "env":
        monkeypatch.setenv("SCC_DB", str(named))
    code = main(_argv(argv, position, str(named), tmp_path))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert check(named, out), out
    assert no_default_db(env), "the per-user default database was created"


@pytest.mark.parametrize("position", ["before", "after", "env"])
def test_demo_lands_in_the_named_database(position, env, tmp_path, monkeypatch, capsys):
    from scc_tui.store.demo import is_demo_database

    target = tmp_path / "mine.db"
    argv = ["demo", "--no-open", "--days", "2"]
    if position == "env":
        monkeypatch.setenv("SCC_DB", str(target))
    else:
        argv = ["--db", str(target), *argv] if position == "before" else [*argv, "--db", str(target)]
    assert main(argv) == 0, capsys.readouterr().err
    assert is_demo_database(resolve_url(str(target))) is True
    assert no_default_db(env)


@pytest.mark.parametrize("position", ["before", "after", "env"])
def test_board_opens_the_named_database(position, named, env, monkeypatch):
    from scc_tui.cli import tui

    opened = []
    monkeypatch.setattr(tui, "_terminal", lambda: True)
    monkeypatch.setattr(tui, "open_app", lambda url, clock=None, create=True: opened.append(url) or 0)
    if position == "env":
        monkeypatch.setenv("SCC_DB", str(named))
        argv = []
    else:
        argv = ["--db", str(named)] if position == "before" else ["tui", "--db", str(named)]
    assert main(argv) == 0
    assert opened == [resolve_url(str(named))]
    assert no_default_db(env)


@pytest.mark.parametrize("position", ["before", "after", "env"])
def test_serve_hands_the_named_database_to_each_tab(position, named, env, monkeypatch):
    """`scc serve` passes the database to each browser tab's process in SCC_DB (never on a command line)."""
    from textual_serve import server

    seen = []
    monkeypatch.setattr(server.Server, "serve", lambda self, debug=False: seen.append((os.environ["SCC_DB"], self.command)))
    monkeypatch.setenv("SCC_DB", os.environ.get("SCC_DB", ""))  # restored after the test
    if position == "env":
        monkeypatch.setenv("SCC_DB", str(named))
        argv = ["serve"]
    else:
        argv = ["--db", str(named), "serve"] if position == "before" else ["serve", "--db", str(named)]
    assert main(argv) == 0
    assert seen and seen[0][0] == resolve_url(str(named)) and str(named) not in seen[0][1]
    assert no_default_db(env)


def test_the_table_covers_every_command():
    covered = {argv[0] for _, argv, _ in CASES} | {"demo", "tui", "serve"}
    assert covered == set(COMMANDS)


def test_without_db_the_default_file_is_used_created_once_and_private(env, capsys):
    """The control for the tests above: the redirected per-user directory is where the default lands."""
    assert main(["status"]) == 0
    first = capsys.readouterr().err
    db = env / "scc.db"
    assert db.is_file() and "created a new database" in first and str(db) in first
    assert first.count("\n") == 1
    assert stat.S_IMODE(env.stat().st_mode) == 0o700
    for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if f.exists():
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert main(["status"]) == 0
    assert "created" not in capsys.readouterr().err


# ---------------------------------------------------------------- item 2: a mistyped path is refused

REFUSING = [
    ["status"], ["db", "info"], ["db", "upgrade"], ["areas", "list"], ["areas", "import", "{tmp}/more-areas.toml"],
    ["import", "assessments", "{tmp}/decl.csv"], ["export", "assessments"], ["log", "list"],
    ["log", "add", "--kind", "note", "--text", "x"], ["log", "verify"], ["log", "role", "show"],
    ["plan-test", "list"], ["handover"],
]


@pytest.mark.parametrize("argv", REFUSING, ids=[" ".join(a) for a in REFUSING])
@pytest.mark.parametrize("where", ["missing-file", "missing-folder", "env"])
def test_a_missing_explicit_sqlite_path_is_refused(argv, where, env, tmp_path, monkeypatch, capsys):
    (tmp_path / "more-areas.toml").write_text(MORE_AREAS_TOML)
    (tmp_path / "decl.csv").write_text(DECLARATIONS_CSV)
    target = tmp_path / ("typo" if where == "missing-folder" else "") / "shared.db"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if where == "env":
        monkeypatch.setenv("SCC_DB", str(target))
    else:
        argv = [*argv, "--db", str(target)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("scc: error: no database at") and err.count("\n") == 1, err
    assert not target.exists() and not (tmp_path / "typo").exists() and no_default_db(env)


def test_sqlite_url_form_is_refused_too(tmp_path, capsys):
    assert main(["status", "--db", f"sqlite:///{tmp_path}/nope.db"]) == 2
    assert "no database at" in capsys.readouterr().err and not (tmp_path / "nope.db").exists()


def test_create_and_demo_make_databases_on_purpose(tmp_path, env, capsys):
    new = tmp_path / "new.db"
    assert main(["db", "upgrade", "--create", "--db", str(new)]) == 0
    assert new.is_file() and stat.S_IMODE(new.stat().st_mode) == 0o600
    assert main(["status", "--db", str(new)]) == 0  # exists now
    # --create never makes a folder
    assert main(["db", "upgrade", "--create", "--db", str(tmp_path / "typo" / "x.db")]) == 2
    assert "folder" in capsys.readouterr().err and not (tmp_path / "typo").exists()
    assert main(["demo", "--no-open", "--days", "1", "--db", str(tmp_path / "typo" / "d.db")]) == 2
    assert not (tmp_path / "typo").exists()
    assert no_default_db(env)


def test_an_empty_database_is_refused_unless_created(db_url, env, capsys):
    """SQLite: an existing empty file; PostgreSQL: an existing database without the scc schema."""
    if db_url.startswith("sqlite"):
        Path(db_url.split(":///", 1)[1]).touch()
    assert main(["status", "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert "holds no scc database" in err and err.count("\n") == 1
    assert main(["db", "upgrade", "--db", db_url]) == 2
    capsys.readouterr()
    assert main(["db", "upgrade", "--create", "--db", db_url]) == 0
    assert main(["status", "--db", db_url]) == 0
    assert no_default_db(env)


def test_db_info_on_an_existing_empty_database_reports_it(tmp_path, capsys):
    f = tmp_path / "empty.db"
    f.touch()
    assert main(["db", "info", "--db", str(f), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["current"] is False


def test_default_demo_goes_to_the_per_user_directory(env, capsys):
    assert main(["demo", "--no-open", "--days", "1"]) == 0
    assert (env / "demo.db").is_file() and not (env / "scc.db").exists()
    assert stat.S_IMODE(env.stat().st_mode) == 0o700
    assert os.access(env / "demo.db", os.R_OK)
