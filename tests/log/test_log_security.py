"""A log that cannot be quietly forged or backdated (issue 16 item 3).

* The recorded time is the real clock (PostgreSQL: the server's); a fixed clock (SCC_NOW) may stamp
  entries only on a database marked demo or exercise; recorded_at never goes backwards, and verify
  flags an entry that does.
* PostgreSQL: a login role that does not own the tables appends through ``scc_log_append`` and can
  do nothing else to the log (each refusal proved with a separate role); disabled guards are
  reported, not only dropped ones.
* The head is remembered outside the database: a log emptied or cut short since is reported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from scc_tui.cli import main as scc
from scc_tui.domain import log as dlog
from scc_tui.domain.clock import FixedClock, SystemClock
from scc_tui.domain.log import LogInputError
from scc_tui.store import log as slog
from scc_tui.store.db import Store, resolve_url
from tests.helpers.pg import PG_ADMIN_URL

NOV = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def live(db_url):
    """A live database: first written with the real clock."""
    st = Store(resolve_url(db_url), SystemClock())
    slog.append_entry(st, kind="note", text="first, real time", author="alice")
    yield st
    st.dispose()


def _sub(db: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.pop("SCC_NOW", None)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "scc_tui", "--db", db, *args], capture_output=True, text=True,
                          env=e, timeout=120)


# -------------------------------------------------------------------------------- clock


def test_fixed_clock_cannot_backdate_a_live_log(live, db_url):
    fixed = Store(resolve_url(db_url), FixedClock(datetime(2020, 1, 1, tzinfo=UTC)))
    try:
        with pytest.raises(LogInputError, match="live database"):
            slog.append_entry(fixed, kind="note", text="backdated", author="mallory")
    finally:
        fixed.dispose()
    r = _sub(db_url, "log", "add", "--kind", "note", "--text", "backdated", env={"SCC_NOW": "2020-01-01"})
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "live database" in r.stderr
    assert "Traceback" not in r.stderr
    entries = slog.list_entries(live)
    assert [e.seq for e in entries] == [1]
    # Without SCC_NOW the real clock stamps the entry.
    r = _sub(db_url, "log", "add", "--kind", "note", "--text", "now")
    assert r.returncode == 0, r.stderr
    second = slog.get_entry(live, 2)
    assert abs(second.recorded_at - SystemClock().now()) < timedelta(minutes=5)


def test_first_append_with_a_fixed_clock_makes_an_exercise_database(store, clock):
    slog.append_entry(store, kind="note", text="exercise start", author="alice")
    with store.read() as s:
        assert slog.database_mode(s) == "exercise"
    assert slog.get_entry(store, 1).recorded_at == clock.now()


def test_demo_mark_only_on_a_new_database(db_url, live):
    with pytest.raises(LogInputError, match="only a new database"):
        slog.mark_database(live, "demo")
    r = _sub(db_url, "db", "mark", "exercise", "--db", db_url)
    assert r.returncode == 2 and "only a new database" in r.stderr


def test_scc_demo_marks_its_database(tmp_path):
    db = str(tmp_path / "demo.db")
    r = _sub(db, "demo", "--db", db, "--no-open", "--days", "1", env={"SCC_NOW": "2026-11-23T09:00"})
    assert r.returncode == 0, r.stderr
    st = Store(resolve_url(db), FixedClock(NOV))
    try:
        with st.read() as s:
            assert slog.database_mode(s) == "demo"
    finally:
        st.dispose()


def test_recorded_at_never_goes_backwards(store, clock):
    slog.append_entry(store, kind="note", text="a", author="alice")
    clock.set(NOV - timedelta(hours=3))
    e = slog.append_entry(store, kind="note", text="b", author="alice")
    assert e.recorded_at == NOV  # held at the previous entry's time
    assert slog.verify_chain(store).ok


def _chain(times: list[datetime]) -> list[dict]:
    prev, out = dlog.GENESIS_HASH, []
    for i, t in enumerate(times, 1):
        rec = {f: None for f in dlog.HASHED_FIELDS} | {
            "seq": i, "recorded_at": t, "event_at": t, "author": "a", "kind": "note", "areas": [], "opel": {},
            "text": f"t{i}", "source": "cli"}
        h = dlog.compute_hash(rec, prev)
        out.append(rec | {"prev_hash": prev, "hash": h})
        prev = h
    return out


def test_verify_flags_recorded_at_going_backwards():
    ok = _chain([NOV, NOV, NOV + timedelta(minutes=1)])
    assert dlog.verify_records(ok).ok
    bad = _chain([NOV, NOV + timedelta(hours=1), datetime(2020, 1, 1, tzinfo=UTC), NOV + timedelta(hours=2)])
    res = dlog.verify_records(bad)
    assert not res.ok and res.first_bad_seq == 3 and "backdated" in res.reason


def test_verify_flags_an_inserted_backdated_entry(store, clock):
    """An entry written by other means (correct hash, 2020 time) between 2026 entries is caught."""
    for i in range(3):
        clock.advance(timedelta(minutes=1))
        slog.append_entry(store, kind="note", text=f"n{i}", author="alice")
    last = slog.entry_record(slog.list_entries(store)[-1])
    rec = {f: None for f in dlog.HASHED_FIELDS} | {
        "seq": 4, "recorded_at": datetime(2020, 1, 1, tzinfo=UTC), "event_at": datetime(2020, 1, 1, tzinfo=UTC),
        "author": "mallory", "kind": "note", "areas": [], "opel": {}, "text": "backdated", "source": "cli"}
    h = dlog.compute_hash(rec, last["hash"])
    with store.engine.begin() as c:
        if store.dialect == "postgresql":
            c.exec_driver_sql("SELECT set_config('scc.log_append', 'on', true)")  # the owner, deliberately
        c.execute(sa.text(
            "INSERT INTO log_entry (seq, recorded_at, event_at, author, kind, areas_json, opel_json, text, source, "
            "prev_hash, hash) VALUES (4, :t, :t, 'mallory', 'note', '[]', '{}', 'backdated', 'cli', :p, :h)"),
            {"t": rec["recorded_at"], "p": last["hash"], "h": h})
    res = slog.verify_chain(store)
    assert not res.ok and res.first_bad_seq == 4 and "backdated" in res.reason


# -------------------------------------------------------------------------------- PostgreSQL rights

pg_only = pytest.mark.skipif(not PG_ADMIN_URL, reason="needs SCC_TEST_PG")


@pytest.fixture
def pg_app(tmp_path):
    """A database owned by the admin role, and a separate login role granted the app's rights."""
    from tests.helpers.pg import create_pg_database

    owner_url, drop = create_pg_database()
    role = "scc_app_" + uuid.uuid4().hex[:10]
    import psycopg

    with psycopg.connect(owner_url, autocommit=True) as c:
        c.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        assert scc(["db", "upgrade", "--create", "--db", owner_url]) == 0
        assert scc(["db", "grant", role, "--db", owner_url]) == 0
        base, _, dbname = owner_url.rpartition("/")
        scheme, _, rest = base.partition("://")
        host = rest.split("@", 1)[-1]
        app_url = f"{scheme}://{role}@{host}/{dbname}"
        yield owner_url, app_url, role
    finally:
        drop()
        with psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
            c.execute(f'DROP ROLE IF EXISTS "{role}"')


REFUSED = [
    "INSERT INTO log_entry (seq, recorded_at, event_at, author, kind, areas_json, opel_json, text, source, "
    "prev_hash, hash) VALUES (99, now(), now(), 'x', 'note', '[]', '{}', 'x', 'cli', 'x', 'y')",
    "UPDATE log_entry SET text = 'edited'",
    "DELETE FROM log_entry",
    "TRUNCATE log_entry",
    "ALTER TABLE log_entry ADD COLUMN x integer",
    "ALTER TABLE log_entry DISABLE TRIGGER log_entry_append_only",
    "DROP TRIGGER log_entry_insert_guard ON log_entry",
    "DROP TABLE log_entry",
    "UPDATE scc_meta SET value = 'exercise'",
    "INSERT INTO scc_meta (key, value) VALUES ('x', 'y')",
    "CREATE OR REPLACE FUNCTION scc_log_instant(t timestamptz) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$",
    "SET session_replication_role = replica",
]


@pg_only
@pytest.mark.parametrize("stmt", REFUSED, ids=[s.split(" (")[0][:40] for s in REFUSED])
def test_app_role_cannot_touch_the_log(pg_app, stmt):
    import psycopg

    _owner_url, app_url, _role = pg_app
    st = Store(resolve_url(app_url), SystemClock())
    try:
        e = slog.append_entry(st, kind="note", text="through the function", author="alice")
        assert e.seq == 1 and e.author == "alice"
    finally:
        st.dispose()
    with psycopg.connect(app_url) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(stmt)
    st = Store(resolve_url(app_url), SystemClock())
    try:
        assert [x.text for x in slog.list_entries(st)] == ["through the function"]
        assert slog.verify_chain(st).ok
    finally:
        st.dispose()


@pg_only
def test_app_role_appends_and_verifies_through_the_cli(pg_app):
    owner_url, app_url, role = pg_app
    r = _sub(app_url, "log", "add", "--kind", "note", "--text", "from the app role")
    assert r.returncode == 0, r.stderr
    r = _sub(app_url, "log", "add", "--kind", "note", "--text", "backdated", env={"SCC_NOW": "2020-01-01"})
    assert r.returncode == 2 and "live database" in r.stderr
    r = _sub(app_url, "log", "verify")
    assert r.returncode == 0 and "ok: 1 entries" in r.stdout and "warning" not in r.stderr, r.stderr
    # The owner role itself is refused as the app's role.
    import psycopg

    with psycopg.connect(owner_url) as c:
        owner = c.execute("SELECT current_user").fetchone()[0]
    r = _sub(owner_url, "db", "grant", owner, "--db", owner_url)
    assert r.returncode == 2 and ("superuser" in r.stderr or "owns" in r.stderr)


@pytest.fixture
def pg_store(clock):
    from tests.helpers.pg import create_pg_database

    url, drop = create_pg_database()
    st = Store(resolve_url(url), clock)
    yield url, st
    st.dispose()
    drop()


@pg_only
def test_owner_plain_insert_refused_and_disabled_guards_reported(pg_store):
    db_url, store = pg_store
    slog.append_entry(store, kind="note", text="one", author="alice")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with store.engine.begin() as c:
            c.exec_driver_sql(
                "INSERT INTO log_entry (seq, recorded_at, event_at, author, kind, areas_json, opel_json, text, source, "
                "prev_hash, hash) VALUES (2, now(), now(), 'x', 'note', '[]', '{}', 'x', 'cli', 'x', 'y')")
    for ddl, expect in (("ALTER TABLE log_entry DISABLE TRIGGER log_entry_append_only", "is disabled"),
                        ("ALTER TABLE log_entry ENABLE REPLICA TRIGGER log_entry_insert_guard", "replica mode")):
        with store.engine.begin() as c:
            c.exec_driver_sql(ddl)
        r = _sub(db_url, "log", "verify")
        assert r.returncode == 0 and expect in r.stderr, r.stderr
    with store.engine.begin() as c:
        c.exec_driver_sql("ALTER TABLE log_entry ENABLE TRIGGER log_entry_append_only")
        c.exec_driver_sql("ALTER TABLE log_entry ENABLE TRIGGER log_entry_insert_guard")
        dbname = c.exec_driver_sql("SELECT current_database()").scalar()
        c.exec_driver_sql(f'ALTER DATABASE "{dbname}" SET session_replication_role = replica')
    r = _sub(db_url, "log", "verify")
    assert "session_replication_role" in r.stderr, r.stderr
    with store.engine.begin() as c:
        c.exec_driver_sql(f'ALTER DATABASE "{dbname}" RESET session_replication_role')
    r = _sub(db_url, "log", "verify")
    assert "warning" not in r.stderr, r.stderr


TRICKY = ['quote " and backslash \\ and slash /', "tab\tand\nnewline", "é ü ß — “curly” 中文 𝄞 🙂", "<b>&amp;</b>",
          "\u00a0nbsp and \u200b zero-width", "a" * 3000]


def test_database_hash_matches_python_for_any_text(store, clock):
    """On PostgreSQL the function builds the canonical JSON in SQL; append checks it against Python's."""
    from sqlmodel import select

    from scc_tui.store.models import Area

    now = clock.now()
    with store.write() as s:
        for name in ("Zed", "Ärea", "apple", "Área 中"):
            s.add(Area(name=name, key=name.casefold(), kind="system", created_at=now, updated_at=now))
    with store.read() as s:
        assert len(s.exec(select(Area)).all()) == 4
    for t in TRICKY:
        clock.advance(timedelta(seconds=1))
        slog.append_entry(store, kind="decision", text=t, rationale=t, risk=t, owner="o\u00e9", author="al\u00efce",
                          areas=["Zed", "Ärea", "apple", "Área 中"], review_at=now + timedelta(hours=1),
                          event_at=clock.now() - timedelta(minutes=1))
    assert slog.verify_chain(store).ok


# -------------------------------------------------------------------------------- head outside the database


def test_remembered_head_reports_an_emptied_log(db_url):
    Store(resolve_url(db_url), SystemClock()).dispose()  # the database exists (created on purpose)
    r = _sub(db_url, "log", "verify")
    assert r.returncode == 0 and "the log is empty" in r.stderr
    for i in range(3):
        assert _sub(db_url, "log", "add", "--kind", "note", "--text", f"n{i}").returncode == 0
    r = _sub(db_url, "log", "anchor")
    assert r.returncode == 0
    line = r.stdout.strip()
    seq, _, h = line.partition(":")
    assert seq == "3" and len(h) == 64 and "verify --anchor 3:" in r.stderr
    st = Store(resolve_url(db_url), SystemClock())
    try:
        with st.engine.begin() as c:  # someone with the file (or owner rights) empties the log
            if st.dialect == "sqlite":
                c.exec_driver_sql("DROP TRIGGER log_entry_no_delete")
            else:
                c.exec_driver_sql("ALTER TABLE log_entry DISABLE TRIGGER log_entry_append_only")
            c.exec_driver_sql("DELETE FROM log_entry")
    finally:
        st.dispose()
    r = _sub(db_url, "log", "verify")
    assert r.returncode == 1 and "entry #3" in r.stdout and "last checked here" in r.stderr
    assert h in r.stderr


def test_handover_carries_the_head(store):
    from scc_tui.domain.handover import render_markdown, render_text
    from scc_tui.store.handover import gather_handover

    e = slog.append_entry(store, kind="note", text="n", author="alice")
    h = gather_handover(store)
    assert h.log_head == (1, e.hash) and h.to_json()["log_head"] == {"seq": 1, "hash": e.hash}
    assert f"scc log verify --anchor 1:{e.hash}" in render_markdown(h)
    assert f"#1 `{e.hash}`" in render_text(h)
