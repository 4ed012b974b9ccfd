"""Issue 14 item 3 through the command line and the store: a refused action says why in one line, exits
3 and writes nothing; role changes are an admin's; importing the access file is guarded and logged."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import func, select

from scc_tui import identity
from scc_tui.cli import main
from scc_tui.domain.access import Refused
from scc_tui.domain.clock import UTC
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.models import AccessGrant, Declaration, EscalationFiring, LogEntry, PromptRecord, RoleAssignment

NOW = "2026-11-23T11:00:00+00:00"
ME = "ada"
AREAS = """
[[area]]
name = "Kent ICS"
kind = "ics"

[[area]]
name = "KCC"
kind = "council"
parent = "Kent ICS"

[[area]]
name = "KCC East"
kind = "la-area"
parent = "KCC"

[[area]]
name = "Medway Hospital"
kind = "provider"
parent = "Kent ICS"
"""
ACCESS = f"""
[[user]]
name = "{ME}"
role = "admin"

[[user]]
name = "vic"
role = "viewer"

[[user]]
name = "kim"
role = "on-call-manager"
areas = ["KCC"]
"""


@pytest.fixture
def db(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SCC_NOW", NOW)
    monkeypatch.delenv("SCC_DB", raising=False)
    monkeypatch.delenv("SUDO_USER", raising=False)
    monkeypatch.setattr(identity, "_process_user", lambda: ME)
    (tmp_path / "areas.toml").write_text(AREAS)
    (tmp_path / "access.toml").write_text(ACCESS)
    assert main(["db", "upgrade", "--create", "--db", db_url]) == 0
    assert main(["areas", "import", str(tmp_path / "areas.toml"), "--db", db_url]) == 0
    capsys.readouterr()
    return db_url


def as_user(monkeypatch, name):
    """The SSH front door: sudo names the login in SUDO_USER (scc_tui.identity)."""
    monkeypatch.setenv("SUDO_USER", name)


def counts(url) -> dict[str, int]:
    st = Store(resolve_url(url), migrate=False)
    try:
        with st.read() as s:
            return {m.__tablename__: s.exec(select(func.count()).select_from(m)).one()
                    for m in (LogEntry, Declaration, RoleAssignment, AccessGrant, PromptRecord, EscalationFiring)}
    finally:
        st.dispose()


def refused(capsys, code, who="vic (viewer"):
    err = capsys.readouterr().err
    assert code == 3, err
    assert err.startswith(f"scc: error: {who}") and err.count("\n") == 1, err
    return err


def test_without_an_access_file_anyone_may_write(db, monkeypatch, capsys):
    assert main(["access", "list", "--db", db]) == 0
    assert "no access file imported" in capsys.readouterr().out
    as_user(monkeypatch, "somebody")
    assert main(["log", "add", "--kind", "note", "--text", "hello", "--db", db]) == 0


def test_import_and_list(db, tmp_path, capsys):
    assert main(["access", "import", str(tmp_path / "access.toml"), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "3 users" in out and "kim on-call-manager for KCC (was unrestricted)" in out
    assert main(["access", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "kim  on-call-manager  areas: KCC" in out and "anyone else: viewer" in out
    assert main(["access", "list", "--json", "--db", db]) == 0
    assert '"name": "vic"' in capsys.readouterr().out
    st = Store(resolve_url(db), migrate=False)
    try:
        from scc_tui.store.log import list_entries

        last = list_entries(st)[-1]
        assert (last.kind, last.author) == ("config", ME) and "Access file imported (3 users)" in last.text
    finally:
        st.dispose()


@pytest.fixture
def ruled(db, tmp_path, capsys):
    assert main(["access", "import", str(tmp_path / "access.toml"), "--db", db]) == 0
    capsys.readouterr()
    return db


def test_a_viewers_writes_are_refused_and_write_nothing(ruled, tmp_path, monkeypatch, capsys):
    db = ruled
    # Something to acknowledge: a prompt shown and an escalation firing, recorded by a session.
    st = Store(resolve_url(db), migrate=False)
    from scc_tui.store.prompts import mark_shown

    t = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    rec = mark_shown(st, "call:10:00", t, "start", t)
    with st.write() as s:
        fire = EscalationFiring(rule_key="r", rule_id="r", ruleset="k", ruleset_version="1", area="KCC East",
                                occasion="o", title="t", message="m", why="w", since=t, first_seen_at=t)
        s.add(fire)
        s.flush()
        fire_id = fire.id
    st.dispose()
    (tmp_path / "decl.csv").write_text("area,assessed_at,level,reason\nKCC East,2026-11-23T10:15,3,busy\n")
    before = counts(db)
    as_user(monkeypatch, "vic")
    refused(capsys, main(["log", "add", "--kind", "note", "--text", "mine", "--db", db]))
    refused(capsys, main(["import", "assessments", str(tmp_path / "decl.csv"), "--db", db]))
    refused(capsys, main(["escalations", "ack", str(fire_id), "--db", db]))
    refused(capsys, main(["log", "role", "set", "vic", "SCC Manager", "--db", db]))
    refused(capsys, main(["access", "import", str(tmp_path / "access.toml"), "--db", db]))
    refused(capsys, main(["areas", "import", str(tmp_path / "areas.toml"), "--db", db]))
    refused(capsys, main(["plan-test", "add", "--date", "2026-11-01", "--kind", "exercise", "--title", "x",
                          "--db", db]))
    st = Store(resolve_url(db), migrate=False)
    try:
        from scc_tui.store import prompts
        from scc_tui.store.assessments import record_declaration

        with pytest.raises(Refused, match=r"^vic \(viewer\) may not declare a level$"):
            record_declaration(st, "KCC East", 3, t, "vic", "busy", "tui")
        with pytest.raises(Refused, match="may not acknowledge"):
            prompts.acknowledge(st, rec.id, "vic")
    finally:
        st.dispose()
    assert counts(db) == before
    # an unnamed user is a viewer too
    as_user(monkeypatch, "stranger")
    refused(capsys, main(["log", "add", "--kind", "note", "--text", "x", "--db", db]),
            who="stranger (viewer: not named in the access file)")
    assert counts(db) == before


def test_area_rights(ruled, tmp_path, monkeypatch, capsys):
    db = ruled
    as_user(monkeypatch, "kim")
    (tmp_path / "ok.csv").write_text("area,assessed_at,level,reason\nKCC East,2026-11-23T10:15,3,busy\n")
    (tmp_path / "mixed.csv").write_text("area,assessed_at,level,reason\nKCC East,2026-11-23T10:20,3,busy\n"
                                        "Medway Hospital,2026-11-23T10:15,3,busy\n")
    before = counts(db)
    refused(capsys, main(["import", "assessments", str(tmp_path / "mixed.csv"), "--db", db]),
            who="row 3: kim may import assessments only for KCC")
    assert counts(db) == before  # the KCC East row of the same file was not kept either
    st = Store(resolve_url(db), migrate=False)
    try:
        from scc_tui.store.assessments import record_declaration

        t = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
        with pytest.raises(Refused, match="not for Medway Hospital"):
            record_declaration(st, "Medway Hospital", 3, t, "kim", "busy", "tui")
        assert record_declaration(st, "KCC East", 3, t, "kim", "busy", "tui").author == "kim"
    finally:
        st.dispose()
    assert counts(db)["declaration"] == before["declaration"] + 1


def test_role_changes_are_an_admins_and_logged(ruled, monkeypatch, capsys):
    db = ruled
    as_user(monkeypatch, "kim")
    refused(capsys, main(["log", "role", "set", "kim", "SCC Manager", "--db", db]), who="kim (on-call-manager)")
    as_user(monkeypatch, ME)
    assert main(["log", "role", "set", "kim", "SCC Manager", "--db", db]) == 0
    assert counts(db)["role_assignment"] == 1


def test_an_import_that_locks_out_its_importer(ruled, tmp_path, monkeypatch, capsys):
    db = ruled
    (tmp_path / "noadmin.toml").write_text('[[user]]\nname = "ada"\nrole = "viewer"\n')
    before = counts(db)
    assert main(["access", "import", str(tmp_path / "noadmin.toml"), "--db", db]) == 3
    assert "names no admin" in capsys.readouterr().err
    assert counts(db) == before
    (tmp_path / "other.toml").write_text('[[user]]\nname = "bea"\nrole = "admin"\n')
    assert main(["access", "import", str(tmp_path / "other.toml"), "--db", db]) == 0
    err = capsys.readouterr().err
    assert "scc: warning: the access file leaves ada without admin rights; bea is admin" in err
    # and now ada is a viewer: she may not import again
    assert main(["access", "import", str(tmp_path / "access.toml"), "--db", db]) == 3
    assert counts(db)["access_grant"] == 1


def test_an_unknown_area_names_file_line_and_field(db, tmp_path, capsys):
    (tmp_path / "bad.toml").write_text('[[user]]\nname = "ada"\nrole = "admin"\nareas = ["KCC", "Nowhere"]\n')
    assert main(["access", "import", str(tmp_path / "bad.toml"), "--db", db]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'bad.toml'}:4: field 'user[0].areas[1]' no area named 'Nowhere'" in err
    assert counts(db)["access_grant"] == 0


def test_a_password_in_db_is_warned_about_and_never_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SCC_DB", raising=False)
    code = main(["status", "--db", "postgresql://scc:s3cretpw@127.0.0.1:1/nowhere"])
    err = capsys.readouterr().err
    assert code == 2
    assert "password in --db is visible to other users" in err
    assert "s3cretpw" not in err
