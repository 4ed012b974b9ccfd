"""Alembic migrations: a new database is migrated to head and matches models.py exactly; an older or
pre-Alembic database is upgraded without losing data; a database from a newer scc is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from scc_tui.domain.clock import UTC
from scc_tui.store.db import Store, make_engine, resolve_url
from scc_tui.store.models import Area
from scc_tui.store.schema import SchemaTooNewError, ensure_schema, head_revision, schema_info

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _diffs(engine) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, SQLModel.metadata)


def test_empty_database_is_migrated_to_head_and_matches_models(db_url):
    engine = make_engine(resolve_url(db_url))
    try:
        before = schema_info(engine)
        assert before.revision is None and not before.legacy and not before.current
        assert ensure_schema(engine) == (None, head_revision())
        info = schema_info(engine)
        assert info.revision == head_revision() and info.current
        assert _diffs(engine) == []
        # Idempotent and cheap the second time.
        assert ensure_schema(engine) == (head_revision(), head_revision())
    finally:
        engine.dispose()


def test_database_from_a_newer_version_is_refused(db_url, clock):
    st = Store(resolve_url(db_url), clock)
    with st.write() as s:
        s.add(Area(name="East Kent", key="east kent", kind="system", created_at=NOW, updated_at=NOW))
    with st.engine.begin() as c:
        c.execute(sa.text("UPDATE alembic_version SET version_num = 'f00dface9999'"))
    st.dispose()
    with pytest.raises(SchemaTooNewError, match="f00dface9999.*newer"):
        Store(resolve_url(db_url), clock)
    # Nothing was touched.
    engine = make_engine(resolve_url(db_url))
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "f00dface9999"
        assert c.execute(sa.text("SELECT name FROM area")).scalar() == "East Kent"
    engine.dispose()


def test_pre_alembic_database_is_stamped_and_keeps_its_data(db_url, clock):
    """A database made by the old create_all placeholder (tables, no alembic_version)."""
    engine = make_engine(resolve_url(db_url))
    # The placeholder made the tables of the first release only (those of revision 0001); tables added
    # by later migrations did not exist then.
    baseline = ("area", "assessment", "declaration", "log_entry", "prompt_record", "plan_test", "role_assignment")
    SQLModel.metadata.create_all(engine, tables=[SQLModel.metadata.tables[t] for t in baseline])
    with engine.begin() as c:
        c.execute(Area.__table__.insert().values(name="Swale", key="swale", kind="la-area", sort_order=0,
                                                 created_at=NOW, updated_at=NOW))
    assert schema_info(engine).legacy
    engine.dispose()
    st = Store(resolve_url(db_url), clock)
    assert schema_info(st.engine).revision == head_revision()
    with st.read() as s:
        assert [a.name for a in s.exec(select(Area)).all()] == ["Swale"]
    st.dispose()


def test_upgrade_from_base_after_downgrade(db_url, clock):
    """Down to base and back up again (the path every future migration extends)."""
    from alembic import command

    from scc_tui.store.schema import _config

    st = Store(resolve_url(db_url), clock)
    with st.engine.begin() as conn:
        command.downgrade(_config(conn), "base")
    info = schema_info(st.engine)
    assert info.revision is None and not info.legacy
    assert ensure_schema(st.engine) == (None, head_revision())
    assert _diffs(st.engine) == []
    st.dispose()


def test_migrations_run_from_any_directory_without_logging_noise(tmp_path):
    """Alembic is configured from the package, not the repo root, and prints nothing."""
    db = tmp_path / "x.db"
    code = (
        "from scc_tui.store.db import Store, resolve_url\n"
        f"Store(resolve_url({str(db)!r}))\n"
        "print('ok')\n"
    )
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "ok\n" and r.stderr == ""


def test_concurrent_first_use_migrates_once(db_url):
    """Four processes open a brand-new database at the same moment: all succeed, one schema."""
    code = "import sys\nfrom scc_tui.store.db import Store, resolve_url\nStore(resolve_url(sys.argv[1]))\nprint('ok')\n"
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for _ in range(4)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [e for _, e in outs]
    engine = make_engine(resolve_url(db_url))
    assert schema_info(engine).revision == head_revision()
    engine.dispose()


def test_0004_turns_a_provider_with_local_authority_areas_into_a_council(db_url):
    """Before `council` existed a local authority was entered as a provider with la-areas under it, and
    counted as an NHS provider for "acts at OPEL 3/4". Upgrading makes it a council; real providers stay."""
    from alembic import command

    from scc_tui.store.schema import _config

    engine = make_engine(resolve_url(db_url))
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0001")
    with engine.begin() as c:
        rows = [("Kent and Medway ICS", "ics", None), ("Kent County Council ASC", "provider", 1),
                ("KCC Swale", "la-area", 2), ("QEQM Hospital", "provider", 1)]
        for i, (name, kind, parent) in enumerate(rows, start=1):
            c.execute(Area.__table__.insert().values(id=i, name=name, key=name.casefold(), kind=kind, parent_id=parent,
                                                     sort_order=i, created_at=NOW, updated_at=NOW))
    assert ensure_schema(engine) == ("0001", head_revision())
    with engine.connect() as c:
        kinds = dict(c.execute(sa.text("SELECT name, kind FROM area")).all())
    engine.dispose()
    assert kinds == {"Kent and Medway ICS": "ics", "Kent County Council ASC": "council", "KCC Swale": "la-area",
                     "QEQM Hospital": "provider"}
