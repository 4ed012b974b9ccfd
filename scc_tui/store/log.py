"""The decision and action log in the database: append, read, verify. There is no update or delete.

Entries are numbered 1, 2, 3... with no gaps. ``seq`` is the previous maximum + 1, read and written
inside one write transaction serialised across processes and hosts by ``store.write(lock="log")``
(SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock, taken again here so a
caller's session is always covered). Each entry's hash covers its content and the previous entry's
hash (``scc_tui.domain.log``), so altering, removing or reordering any entry breaks the chain from
that entry on; :func:`verify_chain` names the first bad one.

Database guards: :func:`install_guards` adds triggers that refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL) of ``log_entry``. They are installed idempotently on first append by each Store, and
the schema migration may call :func:`install_guards` too. Someone with owner rights can drop them,
which is why the hash chain, not the trigger, is the evidence.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Iterable, Iterator, Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from scc_tui.domain import log as dlog
from scc_tui.domain.log import LogInputError, VerifyResult
from scc_tui.store.models import LogEntry, LogReview, SccMeta

__all__ = [
    "append_entry",
    "get_entry",
    "list_entries",
    "iter_entries",
    "corrections_index",
    "count_entries",
    "review_links",
    "entry_record",
    "head",
    "verify_chain",
    "install_guards",
    "guards_installed",
    "guard_warnings",
    "database_mode",
    "mark_database",
    "install_pg_append_function",
    "VerifyResult",
    "LogInputError",
]

LOCK = "log"


# --------------------------------------------------------------------------------------------------
# Append
# --------------------------------------------------------------------------------------------------


def append_entry(
    store,
    *,
    kind: str,
    text: str,
    author: str,
    areas: Iterable[str] = (),
    event_at: datetime | None = None,
    late_reason: str | None = None,
    role: str | None = None,
    rationale: str | None = None,
    risk: str | None = None,
    risk_measure: str | None = None,
    owner: str | None = None,
    review_at: datetime | None = None,
    corrects_seq: int | None = None,
    reviews_seq: int | None = None,
    source: str = "app",
    session: Session | None = None,
    _lookup_role: bool = True,
) -> LogEntry:
    """Append one entry and return it (detached, all fields loaded).

    ``author`` is the session's OS user (never typed). ``role`` defaults to the author's role in force
    (RoleAssignment). ``areas`` are area names, matched case-insensitively and stored as spelled in the
    area table; the OPEL in force for each at ``event_at`` is captured. ``recorded_at`` is
    ``store.clock.now()``; ``event_at`` defaults to it.

    With ``session`` (an open ``store.write(lock="log")`` session), the entry is written in that
    transaction and commits or rolls back with the caller's other writes.

    Raises :class:`LogInputError` (one-line message naming the field); nothing is written then.
    """
    # Everything that does not need the database is checked before taking the lock.
    fields: dict[str, Any] = {
        "kind": dlog.check_kind(kind),
        "text": dlog.clean_text(text, "text"),
        "author": dlog.clean_line(author, "author", required=True),
        "role": dlog.clean_line(role, "role", max_len=100),
        "rationale": dlog.clean_text(rationale, "rationale", required=False),
        "risk": dlog.clean_text(risk, "risk", required=False),
        "risk_measure": dlog.clean_text(risk_measure, "risk_measure", required=False),
        "owner": dlog.clean_line(owner, "owner"),
        "late_reason": dlog.clean_text(late_reason, "late_reason", required=False, max_len=2_000),
        "source": dlog.clean_line(source, "source", required=True, max_len=20),
        "event_at": dlog.check_instant(event_at, "event_at"),
        "review_at": dlog.check_instant(review_at, "review_at"),
    }
    if isinstance(areas, str):
        areas = [areas]
    area_names = [dlog.clean_line(a, "areas", required=True) for a in areas]
    if kind in dlog.DECISION_KINDS and not fields["rationale"]:
        raise LogInputError("rationale: a decision is recorded with its rationale (why it was taken)")
    if corrects_seq is not None:
        if isinstance(corrects_seq, bool) or not isinstance(corrects_seq, int) or corrects_seq < 1:
            raise LogInputError(f"corrects: {corrects_seq!r} is not an entry number")
    elif kind == "correction":
        raise LogInputError("corrects: a correction names the entry it corrects")
    if kind == "review" and reviews_seq is None:
        raise LogInputError("reviews: a review names the decision it reviews")
    if reviews_seq is not None:
        if kind != "review":
            raise LogInputError(f"reviews: only a review names a decision it reviews (this is a {kind})")
        if isinstance(reviews_seq, bool) or not isinstance(reviews_seq, int) or reviews_seq < 1:
            raise LogInputError(f"reviews: {reviews_seq!r} is not an entry number")
    if session is None:  # with a session, the caller's own write function checked its action
        with store.write(lock=LOCK) as s:
            from scc_tui.store.access import require

            require(s, fields["author"], "log")
            return _append_linked(store, s, fields, area_names, corrects_seq, reviews_seq, _lookup_role)
    return _append_linked(store, session, fields, area_names, corrects_seq, reviews_seq, _lookup_role)


def _append_linked(store, s: Session, fields, area_names, corrects_seq, reviews_seq, lookup_role) -> LogEntry:
    if reviews_seq is not None:
        target = s.execute(sa.select(LogEntry.kind).where(LogEntry.seq == reviews_seq)).scalar()
        if target is None:
            raise LogInputError(f"reviews: there is no entry #{reviews_seq}")
        if target not in dlog.DECISION_KINDS:
            raise LogInputError(f"reviews: entry #{reviews_seq} is a {dlog.KINDS.get(target, target)}, not a decision")
    entry = _append(store, s, fields, area_names, corrects_seq, lookup_role)
    if reviews_seq is not None:
        s.add(LogReview(entry_seq=entry.seq, decision_seq=reviews_seq))
        s.flush()
    return entry


def review_links(store, seqs: Iterable[int] | None = None, *, since: datetime | None = None) -> dict[int, int]:
    """{review entry seq: the decision it reviews} (``log_review``), for the given entries (or all;
    ``since``: reviews recorded since)."""
    q = sa.select(LogReview.entry_seq, LogReview.decision_seq)
    if since is not None:
        q = q.join(LogEntry, LogEntry.seq == LogReview.entry_seq).where(
            LogEntry.recorded_at >= dlog.check_instant(since, "since"))
    out: dict[int, int] = {}
    with store.read() as s:
        if seqs is None:
            return dict(s.execute(q).all())
        wanted = sorted(set(seqs))
        for i in range(0, len(wanted), PAGE):
            out.update(dict(s.execute(q.where(LogReview.entry_seq.in_(wanted[i : i + PAGE]))).all()))
    return out


def _append(store, s: Session, f: dict[str, Any], area_names: list[str], corrects_seq: int | None,
            lookup_role: bool) -> LogEntry:
    _lock(s)
    _ensure_guards(store, s)
    pg = s.get_bind().dialect.name == "postgresql"
    last = s.execute(sa.select(LogEntry.seq, LogEntry.hash, LogEntry.recorded_at)
                     .order_by(LogEntry.seq.desc()).limit(1)).first()
    mode = database_mode(s)
    new_mode = None
    if mode is None:  # never marked: the first append's clock decides, once (a fixed clock: an exercise)
        mode = new_mode = "exercise" if last is None and not _real_clock(store) else "live"
    if mode == "live" and not _real_clock(store):
        raise LogInputError(
            "recorded_at: this is a live database: log entries are stamped by the real clock; a fixed or "
            "simulated clock (SCC_NOW) may stamp them only on a demo or exercise database")
    if pg and mode == "live":
        recorded_at = s.execute(sa.text("SELECT clock_timestamp()")).scalar().astimezone(UTC)
    else:
        recorded_at = store.clock.now().astimezone(UTC)
    if last is not None and last[2] is not None and recorded_at < last[2]:
        recorded_at = last[2]  # never before the previous entry (a clock stepped back): the log is in time order
    event_at = f["event_at"] or recorded_at
    dlog.check_times(event_at, recorded_at, f["late_reason"])
    if mode == "exercise" and _exercise_db(s) and not f["text"].startswith("EXERCISE"):
        f = dict(f, text="EXERCISE: " + f["text"])  # every entry of an exercise says so (docs/exercise.md)
    names = _resolve_areas(s, area_names)
    opel = _levels_in_force(s, names, event_at)
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, dlog.GENESIS_HASH)
    if corrects_seq is not None and corrects_seq >= seq:
        raise LogInputError(f"corrects: there is no entry #{corrects_seq} (the last is #{seq - 1})")
    role = f["role"]
    if role is None and lookup_role:
        from scc_tui.store.queries import role_in_force

        role = role_in_force(s, f["author"], recorded_at)
    record = {
        "seq": seq,
        "recorded_at": recorded_at,
        "event_at": event_at,
        "author": f["author"],
        "role": role,
        "kind": f["kind"],
        "areas": names,
        "opel": opel,
        "text": f["text"],
        "rationale": f["rationale"],
        "risk": f["risk"],
        "risk_measure": f["risk_measure"],
        "owner": f["owner"],
        "review_at": f["review_at"],
        "corrects_seq": corrects_seq,
        "late_reason": f["late_reason"],
        "source": f["source"],
    }
    if pg:
        entry = _append_pg(s, record, f["event_at"] is None, new_mode)
    else:
        if new_mode is not None:
            s.add(SccMeta(key="clock", value=new_mode))
        digest = dlog.compute_hash(record, prev_hash)
        entry = LogEntry(
            seq=seq,
            recorded_at=recorded_at,
            event_at=event_at,
            late_reason=record["late_reason"],
            author=record["author"],
            role=role,
            kind=record["kind"],
            areas_json=json.dumps(names, ensure_ascii=False),
            opel_json=json.dumps(opel, ensure_ascii=False),
            text=record["text"],
            rationale=record["rationale"],
            risk=record["risk"],
            risk_measure=record["risk_measure"],
            owner=record["owner"],
            review_at=record["review_at"],
            corrects_seq=corrects_seq,
            source=record["source"],
            prev_hash=prev_hash,
            hash=digest,
        )
        s.add(entry)
        s.flush()
    _notify(s)
    return entry


def _exercise_db(s: Session) -> bool:
    """An exercise database (``scc exercise run``): ``scc_meta`` names its scenario."""
    try:
        return s.execute(sa.text("SELECT 1 FROM scc_meta WHERE key = 'exercise'")).first() is not None
    except sa.exc.DBAPIError:  # pragma: no cover - a database older than the migration
        return False


def _real_clock(store) -> bool:
    from scc_tui.domain.clock import SystemClock

    return isinstance(store.clock, SystemClock)


def _append_pg(s: Session, record: dict[str, Any], event_default: bool, new_mode: str | None) -> LogEntry:
    """Append through ``scc_log_append``: the database assigns seq, recorded_at and the hash (the
    login role needs no rights on ``log_entry``). The hash is recomputed here and must agree."""
    row = s.execute(sa.text(
        "SELECT seq, recorded_at, prev_hash, hash FROM scc_log_append("
        ":mode, :recorded_at, :event_at, :late_reason, :author, :role, :kind, :areas, :opel, :text, "
        ":rationale, :risk, :risk_measure, :owner, :review_at, :corrects_seq, :source)"), {
        "mode": new_mode, "recorded_at": record["recorded_at"],
        "event_at": None if event_default else record["event_at"],
        "late_reason": record["late_reason"], "author": record["author"], "role": record["role"],
        "kind": record["kind"], "areas": json.dumps(record["areas"], ensure_ascii=False),
        "opel": json.dumps(record["opel"], ensure_ascii=False), "text": record["text"],
        "rationale": record["rationale"], "risk": record["risk"], "risk_measure": record["risk_measure"],
        "owner": record["owner"], "review_at": record["review_at"], "corrects_seq": record["corrects_seq"],
        "source": record["source"],
    }).one()
    seq, recorded_at, prev_hash, digest = row
    got = dict(record, seq=seq, recorded_at=recorded_at, event_at=recorded_at if event_default else record["event_at"])
    if dlog.compute_hash(got, prev_hash) != digest:  # pragma: no cover - the SQL and Python canonical forms agree
        raise LogInputError(f"entry #{seq}: the database's hash differs from scc's; nothing written")
    entry = s.get(LogEntry, seq)
    if entry is None:  # pragma: no cover
        raise LogInputError(f"entry #{seq} was not written")
    return entry


def database_mode(s) -> str | None:
    """``live``, ``demo``, ``exercise`` (``scc_meta`` key ``clock``), or None before the first append."""
    try:
        return s.execute(sa.text("SELECT value FROM scc_meta WHERE key = 'clock'")).scalar()
    except sa.exc.DBAPIError:  # pragma: no cover - a database older than the migration
        return None


def mark_database(store, mode: str) -> None:
    """Mark a database ``demo`` or ``exercise`` (its log may be stamped by a fixed or simulated
    clock). Only before anything is logged: a live log can never be made one that accepts backdating.
    On PostgreSQL only the owner role can do this."""
    if mode not in ("demo", "exercise"):
        raise LogInputError(f"mode: {mode!r} is not demo or exercise")
    with store.write(lock=LOCK) as s:
        _lock(s)
        current = database_mode(s)
        if current == mode:
            return
        if current is not None or s.execute(sa.select(LogEntry.seq).limit(1)).first() is not None:
            raise LogInputError(
                f"mode: this database's log is already {current or 'live'}; only a new database can be marked {mode}")
        s.add(SccMeta(key="clock", value=mode))


def _lock(s: Session) -> None:
    """Take the log lock (re-entrant within a transaction on PostgreSQL; SQLite: already serialised)."""
    from scc_tui.store import lock

    lock(s, LOCK)


def _resolve_areas(s: Session, names: list[str]) -> list[str]:
    """Names as typed -> areas' full names, by the one matching rule (``domain.area_match``: full
    name, short name, plan area or the start of a name, ignoring case)."""
    out: list[str] = []
    if not names:
        return out
    from scc_tui.domain.area_match import AreaMatchError, match_area
    from scc_tui.store.areas import area_refs

    refs = area_refs(s)
    for n in names:
        try:
            name = match_area(n, refs).name
        except AreaMatchError as exc:
            raise LogInputError(f"areas: {exc}") from None
        if name not in out:
            out.append(name)
    return out


def _levels_in_force(s: Session, names: list[str], at: datetime) -> dict[str, int | None]:
    if not names:
        return {}
    from scc_tui.store.queries import levels_in_force

    levels = levels_in_force(s, names, at)
    return {n: levels.get(n) for n in names}


def _notify(s: Session) -> None:
    from scc_tui.store.feed import notify

    notify(s, "log_entry")


# --------------------------------------------------------------------------------------------------
# Guards (triggers)
# --------------------------------------------------------------------------------------------------

_SQLITE_GUARDS = (
    "CREATE TRIGGER IF NOT EXISTS log_entry_no_update BEFORE UPDATE ON log_entry "
    "BEGIN SELECT RAISE(ABORT, 'log_entry is append-only: UPDATE refused'); END",
    "CREATE TRIGGER IF NOT EXISTS log_entry_no_delete BEFORE DELETE ON log_entry "
    "BEGIN SELECT RAISE(ABORT, 'log_entry is append-only: DELETE refused'); END",
)
_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION scc_log_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_OP = 'INSERT' AND current_setting('scc.log_append', true) = 'on' THEN RETURN NULL; END IF; "
    "RAISE EXCEPTION 'log_entry is append-only (appends go through scc_log_append): % refused', TG_OP; "
    "END $$"
)
_PG_TRIGGERS = {
    "log_entry_append_only": (
        "CREATE TRIGGER log_entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON log_entry "
        "FOR EACH STATEMENT EXECUTE FUNCTION scc_log_entry_append_only()"),
    "log_entry_insert_guard": (
        "CREATE TRIGGER log_entry_insert_guard BEFORE INSERT ON log_entry "
        "FOR EACH STATEMENT EXECUTE FUNCTION scc_log_entry_append_only()"),
}

# The one way to append on PostgreSQL. SECURITY DEFINER: runs with the owner's rights, so the app's
# login role needs EXECUTE on it and no right on log_entry. It takes the log lock, assigns seq,
# recorded_at (the server's clock, never before the previous entry; the caller's time only on a demo
# or exercise database) and the hash: the same canonical JSON as scc_tui.domain.log.canonical_bytes
# (keys sorted, no whitespace, UTF-8), built here field by field.
_PG_APPEND = r"""
CREATE OR REPLACE FUNCTION scc_log_append(
    p_mode text, p_recorded_at timestamptz, p_event_at timestamptz, p_late_reason text, p_author text,
    p_role text, p_kind text, p_areas text, p_opel text, p_text text, p_rationale text, p_risk text,
    p_risk_measure text, p_owner text, p_review_at timestamptz, p_corrects_seq integer, p_source text)
RETURNS TABLE (seq integer, recorded_at timestamptz, prev_hash text, hash text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    v_mode text; v_seq integer; v_prev text; v_last timestamptz; v_rec timestamptz; v_event timestamptz;
    v_areas text; v_opel text; v_canon text; v_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock({lock_key});
    SELECT e.seq, e.hash, e.recorded_at INTO v_seq, v_prev, v_last FROM log_entry e ORDER BY e.seq DESC LIMIT 1;
    SELECT m.value INTO v_mode FROM scc_meta m WHERE m.key = 'clock';
    IF v_mode IS NULL THEN
        v_mode := CASE WHEN v_seq IS NULL AND p_mode = 'exercise' THEN 'exercise' ELSE 'live' END;
        INSERT INTO scc_meta (key, value) VALUES ('clock', v_mode);
    END IF;
    IF v_mode = 'live' OR p_recorded_at IS NULL THEN
        v_rec := clock_timestamp();
    ELSE
        v_rec := p_recorded_at;
    END IF;
    IF v_last IS NOT NULL AND v_rec < v_last THEN v_rec := v_last; END IF;
    v_event := coalesce(p_event_at, v_rec);
    v_seq := coalesce(v_seq, 0) + 1;
    v_prev := coalesce(v_prev, repeat('0', 64));
    SELECT coalesce('[' || string_agg(to_json(t.e)::text, ',' ORDER BY t.i) || ']', '[]') INTO v_areas
        FROM json_array_elements_text(coalesce(p_areas, '[]')::json) WITH ORDINALITY AS t(e, i);
    SELECT coalesce('{{' || string_agg(to_json(t.k)::text || ':' || t.v::text, ',' ORDER BY t.k COLLATE "C") || '}}', '{{}}')
        INTO v_opel FROM json_each(coalesce(p_opel, '{{}}')::json) AS t(k, v);
    v_canon := '{{"areas":' || v_areas
        || ',"author":' || coalesce(to_json(p_author)::text, 'null')
        || ',"corrects_seq":' || coalesce(p_corrects_seq::text, 'null')
        || ',"event_at":' || scc_log_instant(v_event)
        || ',"kind":' || coalesce(to_json(p_kind)::text, 'null')
        || ',"late_reason":' || coalesce(to_json(p_late_reason)::text, 'null')
        || ',"opel":' || v_opel
        || ',"owner":' || coalesce(to_json(p_owner)::text, 'null')
        || ',"prev_hash":' || to_json(v_prev)::text
        || ',"rationale":' || coalesce(to_json(p_rationale)::text, 'null')
        || ',"recorded_at":' || scc_log_instant(v_rec)
        || ',"review_at":' || scc_log_instant(p_review_at)
        || ',"risk":' || coalesce(to_json(p_risk)::text, 'null')
        || ',"risk_measure":' || coalesce(to_json(p_risk_measure)::text, 'null')
        || ',"role":' || coalesce(to_json(p_role)::text, 'null')
        || ',"seq":' || v_seq::text
        || ',"source":' || coalesce(to_json(p_source)::text, 'null')
        || ',"text":' || coalesce(to_json(p_text)::text, 'null')
        || ',"v":' || '1}}';
    v_hash := encode(sha256(convert_to(v_canon, 'UTF8')), 'hex');
    PERFORM set_config('scc.log_append', 'on', true);
    INSERT INTO log_entry (seq, recorded_at, event_at, late_reason, author, role, kind, areas_json, opel_json,
        text, rationale, risk, risk_measure, owner, review_at, corrects_seq, source, prev_hash, hash)
    VALUES (v_seq, v_rec, v_event, p_late_reason, p_author, p_role, p_kind, coalesce(p_areas, '[]'),
        coalesce(p_opel, '{{}}'), p_text, p_rationale, p_risk, p_risk_measure, p_owner, p_review_at,
        p_corrects_seq, p_source, v_prev, v_hash);
    PERFORM set_config('scc.log_append', 'off', true);
    RETURN QUERY SELECT v_seq, v_rec, v_prev, v_hash;
END
$fn$
"""
_PG_INSTANT = (
    "CREATE OR REPLACE FUNCTION scc_log_instant(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE "
    "SET search_path = pg_catalog AS $$ SELECT CASE WHEN t IS NULL THEN 'null' ELSE "
    "'\"' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || '\"' END $$"
)


def install_pg_append_function(conn) -> None:
    """Create (or replace) ``scc_log_append`` as the current role (the owner); EXECUTE is revoked
    from PUBLIC and granted by ``scc db grant ROLE``."""
    from scc_tui.store.db import lock_key

    schema = conn.execute(sa.text("SELECT current_schema()")).scalar()
    quoted = conn.execute(sa.text("SELECT quote_ident(:s)"), {"s": schema}).scalar()
    conn.execute(sa.text(_PG_INSTANT))
    conn.execute(sa.text(_PG_APPEND.format(schema=quoted, lock_key=lock_key(LOCK))))
    conn.execute(sa.text("REVOKE ALL ON FUNCTION scc_log_append(text, timestamptz, timestamptz, text, text, text, "
                         "text, text, text, text, text, text, text, text, timestamptz, integer, text) FROM PUBLIC"))


def _dialect(conn) -> str:
    return conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name


def guards_installed(conn) -> bool:
    """True when the append-only triggers exist. ``conn``: a Connection or Session."""
    dialect = _dialect(conn)
    if dialect == "sqlite":
        n = conn.execute(sa.text(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name IN ('log_entry_no_update', 'log_entry_no_delete')")).scalar()
        return n == 2
    if dialect == "postgresql":
        n = conn.execute(sa.text(
            "SELECT count(*) FROM pg_trigger WHERE tgname IN ('log_entry_append_only', 'log_entry_insert_guard') "
            "AND tgrelid = to_regclass('log_entry')")).scalar()
        return n == len(_PG_TRIGGERS)
    return False


def guard_warnings(conn) -> list[str]:
    """What weakens the database guards: a trigger missing, or present but disabled (PostgreSQL
    ``pg_trigger.tgenabled``; ``session_replication_role = replica``, which silences ordinary
    triggers, set for this session or as a database or role default)."""
    dialect = _dialect(conn)
    out: list[str] = []
    if dialect == "sqlite":
        if not guards_installed(conn):
            out.append("the append-only triggers on log_entry are missing (dropped?)")
        return out
    if dialect != "postgresql":
        return out
    rows = dict(conn.execute(sa.text(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = to_regclass('log_entry') "
        "AND tgname IN ('log_entry_append_only', 'log_entry_insert_guard')")).all())
    for name in _PG_TRIGGERS:
        state = rows.get(name)
        if state is None:
            out.append(f"the append-only triggers on log_entry: {name} is missing (dropped?)")
        elif state == "D":
            out.append(f"the append-only triggers on log_entry: {name} is disabled (ALTER TABLE ... DISABLE TRIGGER)")
        elif state == "R":
            out.append(f"the append-only triggers on log_entry: {name} fires only in replica mode "
                       "(ENABLE REPLICA TRIGGER), so not at all in ordinary sessions")
    if conn.execute(sa.text("SELECT current_setting('session_replication_role')")).scalar() == "replica":
        out.append("session_replication_role is 'replica' here: ordinary triggers, the guards among them, do not fire")
    defaults = conn.execute(sa.text(
        "SELECT count(*) FROM pg_db_role_setting s, unnest(s.setconfig) c "
        "WHERE c LIKE 'session_replication_role=%' AND c <> 'session_replication_role=origin' "
        "AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))")).scalar()
    if defaults:
        out.append("session_replication_role has a database or role default other than 'origin' (ALTER ... SET): "
                   "the guards do not fire in those sessions")
    return out


def install_guards(conn) -> None:
    """Create the append-only triggers if absent (idempotent). Call inside a transaction; the
    Alembic migration calls it with ``op.get_bind()``."""
    if guards_installed(conn):
        return
    dialect = _dialect(conn)
    if dialect == "sqlite":
        for ddl in _SQLITE_GUARDS:
            conn.execute(sa.text(ddl))
    elif dialect == "postgresql":
        conn.execute(sa.text(_PG_FUNCTION))
        present = set(conn.execute(sa.text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass('log_entry')")).scalars())
        for name, ddl in _PG_TRIGGERS.items():
            if name not in present:
                conn.execute(sa.text(ddl))


def _ensure_guards(store, s: Session) -> None:
    # Once per Store; under the log lock, so concurrent first appends do not race on the DDL.
    if getattr(store, "_log_guards_ok", False):
        return
    if s.get_bind().dialect.name == "postgresql":
        # A database user that does not own the table cannot create triggers: the append must still
        # succeed (the chain is the evidence), so try in a savepoint and carry on without.
        try:
            with s.begin_nested():
                install_guards(s)
        except sa.exc.DBAPIError:
            pass
    else:
        install_guards(s)
    store._log_guards_ok = True


# --------------------------------------------------------------------------------------------------
# Read
# --------------------------------------------------------------------------------------------------


def entry_record(e: LogEntry) -> dict[str, Any]:
    """A plain dict of every field (areas as a list, opel as a dict, aware datetimes)."""
    return {
        "seq": e.seq,
        "recorded_at": e.recorded_at,
        "event_at": e.event_at,
        "author": e.author,
        "role": e.role,
        "kind": e.kind,
        "areas": _loads(e.areas_json, []),
        "opel": _loads(e.opel_json, {}),
        "text": e.text,
        "rationale": e.rationale,
        "risk": e.risk,
        "risk_measure": e.risk_measure,
        "owner": e.owner,
        "review_at": e.review_at,
        "corrects_seq": e.corrects_seq,
        "late_reason": e.late_reason,
        "source": e.source,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


def _loads(text: str | None, default):
    try:
        return json.loads(text) if text else default
    except ValueError:
        return text  # tampered: keep what is there so that verification reports it


def get_entry(store, seq: int) -> LogEntry | None:
    with store.read() as s:
        return s.get(LogEntry, seq)


def head(store) -> tuple[int, str] | None:
    """(seq, hash) of the last entry, or None for an empty log."""
    with store.read() as s:
        row = s.execute(sa.select(LogEntry.seq, LogEntry.hash).order_by(LogEntry.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


PAGE = 1000  # rows per read: keyset pages by seq, so no statement carries more than PAGE parameters


def list_entries(
    store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kinds: Sequence[str] | None = None,
    author: str | None = None,
    area: str | None = None,
    areas: Iterable[str] | None = None,
    after_seq: int | None = None,
    before_seq: int | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[LogEntry]:
    """Entries in seq order (or newest first), filtered (a list of :func:`iter_entries`)."""
    return list(iter_entries(store, since=since, until=until, kinds=kinds, author=author, area=area, areas=areas,
                             after_seq=after_seq, before_seq=before_seq, limit=limit, newest_first=newest_first))


def iter_entries(
    store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kinds: Sequence[str] | None = None,
    author: str | None = None,
    area: str | None = None,
    areas: Iterable[str] | None = None,
    after_seq: int | None = None,
    before_seq: int | None = None,
    limit: int | None = None,
    newest_first: bool = False,
    page: int = PAGE,
) -> Iterator[LogEntry]:
    """Entries in seq order (or newest first), filtered, read in pages of ``page`` rows (keyset on
    ``seq``), so a log of any length is read in bounded memory and bounded statements.

    ``since``/``until`` bound ``recorded_at`` (since inclusive, until exclusive); ``area`` matches an
    entry that names the area (its exact name, case-insensitive); ``areas`` an entry that names any
    of them (a filter by area and the areas under it: ``domain.area_match.filter_names``);
    ``after_seq``/``before_seq``/``limit`` page through a long log
    (e.g. the TUI: ``before_seq=oldest_shown, limit=200, newest_first=True``)."""
    if kinds:
        for k in kinds:
            dlog.check_kind(k)
    q = select(LogEntry)
    if since is not None:
        q = q.where(LogEntry.recorded_at >= dlog.check_instant(since, "since"))
    if until is not None:
        q = q.where(LogEntry.recorded_at < dlog.check_instant(until, "until"))
    if kinds:
        q = q.where(LogEntry.kind.in_(list(kinds)))
    if author:
        q = q.where(LogEntry.author == author)
    wanted = [area] if area else []
    if areas is not None:
        wanted += list(areas)
    want = {a.casefold() for a in wanted} if (area or areas is not None) else None
    low, high = after_seq, before_seq
    n = 0
    with store.read() as s:
        while True:
            pq = q
            if low is not None:
                pq = pq.where(LogEntry.seq > low)
            if high is not None:
                pq = pq.where(LogEntry.seq < high)
            pq = pq.order_by(LogEntry.seq.desc() if newest_first else LogEntry.seq).limit(page)
            rows = s.exec(pq).all()
            if not rows:
                return
            for e in rows:
                if want is not None:
                    names = _loads(e.areas_json, [])
                    if not isinstance(names, list) or not want & {str(n_).casefold() for n_ in names}:
                        continue
                yield e
                n += 1
                if limit is not None and n >= limit:
                    return
            if len(rows) < page:
                return
            if newest_first:
                high = rows[-1].seq
            else:
                low = rows[-1].seq
            s.expunge_all()  # the page's objects stay usable (detached); the session does not keep them


def count_entries(store, *, since: datetime | None = None, until: datetime | None = None) -> int:
    """How many entries (of any kind) were recorded in [since, until)."""
    q = sa.select(sa.func.count()).select_from(LogEntry)
    if since is not None:
        q = q.where(LogEntry.recorded_at >= dlog.check_instant(since, "since"))
    if until is not None:
        q = q.where(LogEntry.recorded_at < dlog.check_instant(until, "until"))
    with store.read() as s:
        return int(s.execute(q).scalar() or 0)


def corrections_index(store, seqs: Iterable[int] | None = None) -> dict[int, list[int]]:
    """original seq -> [seqs of the entries that correct it], for "corrected by #n" in listings.
    ``seqs`` may be any number: they are asked about :data:`PAGE` at a time."""
    base = sa.select(LogEntry.corrects_seq, LogEntry.seq).where(LogEntry.corrects_seq.is_not(None))
    out: dict[int, list[int]] = {}
    with store.read() as s:
        if seqs is None:
            queries = [base]
        else:
            wanted = sorted(set(seqs))
            queries = [base.where(LogEntry.corrects_seq.in_(wanted[i : i + PAGE])) for i in range(0, len(wanted), PAGE)]
        for q in queries:
            for orig, seq in s.execute(q.order_by(LogEntry.seq)):
                out.setdefault(orig, []).append(seq)
    for v in out.values():
        v.sort()
    return out


def _iter_records(s: Session, batch: int = 1000) -> Iterator[dict[str, Any]]:
    last = 0
    while True:
        rows = s.exec(select(LogEntry).where(LogEntry.seq > last).order_by(LogEntry.seq).limit(batch)).all()
        if not rows:
            return
        for e in rows:
            yield entry_record(e)
        last = rows[-1].seq


def verify_chain(store, *, anchors: dict[int, str] | None = None) -> VerifyResult:
    """Walk the whole log in seq order; ``ok`` or the first entry whose seq continuity, previous-hash
    link or hash does not match (``first_bad_seq``, ``reason``)."""
    with store.read() as s:
        return dlog.verify_records(_iter_records(s), anchors=anchors)
