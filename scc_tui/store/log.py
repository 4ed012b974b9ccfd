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
from scc_tui.store.models import Area, LogEntry

__all__ = [
    "append_entry",
    "get_entry",
    "list_entries",
    "iter_entries",
    "corrections_index",
    "entry_record",
    "head",
    "verify_chain",
    "install_guards",
    "guards_installed",
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
    if session is None:
        with store.write(lock=LOCK) as s:
            return _append(store, s, fields, area_names, corrects_seq, _lookup_role)
    return _append(store, session, fields, area_names, corrects_seq, _lookup_role)


def _append(store, s: Session, f: dict[str, Any], area_names: list[str], corrects_seq: int | None,
            lookup_role: bool) -> LogEntry:
    _lock(s)
    _ensure_guards(store, s)
    recorded_at = store.clock.now().astimezone(UTC)
    event_at = f["event_at"] or recorded_at
    dlog.check_times(event_at, recorded_at, f["late_reason"])
    names = _resolve_areas(s, area_names)
    opel = _levels_in_force(s, names, event_at)
    last = s.execute(sa.select(LogEntry.seq, LogEntry.hash).order_by(LogEntry.seq.desc()).limit(1)).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, dlog.GENESIS_HASH)
    if corrects_seq is not None and corrects_seq >= seq:
        raise LogInputError(f"corrects: there is no entry #{corrects_seq} (the last is #{seq - 1})")
    role = f["role"]
    if role is None and lookup_role:
        from scc_tui.store.roles import role_in_force

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


def _lock(s: Session) -> None:
    """Take the log lock (re-entrant within a transaction on PostgreSQL; SQLite: already serialised)."""
    if s.get_bind().dialect.name == "postgresql":
        from scc_tui.store.db import _lock_key

        s.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(LOCK)})


def _resolve_areas(s: Session, names: list[str]) -> list[str]:
    out: list[str] = []
    if not names:
        return out
    keys = {n.casefold() for n in names}
    found = {a.key: a.name for a in s.exec(select(Area).where(Area.key.in_(keys))).all()}
    for n in names:
        name = found.get(n.casefold())
        if name is None:
            raise LogInputError(f"areas: unknown area {n!r} (see `scc areas`)")
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
    "BEGIN RAISE EXCEPTION 'log_entry is append-only: % refused', TG_OP; END $$"
)
_PG_TRIGGER = (
    "CREATE TRIGGER log_entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON log_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION scc_log_entry_append_only()"
)


def guards_installed(conn) -> bool:
    """True when the append-only triggers exist. ``conn``: a Connection or Session."""
    dialect = conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name
    if dialect == "sqlite":
        n = conn.execute(sa.text(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name IN ('log_entry_no_update', 'log_entry_no_delete')")).scalar()
        return n == 2
    if dialect == "postgresql":
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'log_entry_append_only' "
            "AND tgrelid = to_regclass('log_entry')")).scalar())
    return False


def install_guards(conn) -> None:
    """Create the append-only triggers if absent (idempotent). Call inside a transaction; the
    Alembic migration can call it with ``op.get_bind()``."""
    if guards_installed(conn):
        return
    dialect = conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name
    if dialect == "sqlite":
        for ddl in _SQLITE_GUARDS:
            conn.execute(sa.text(ddl))
    elif dialect == "postgresql":
        conn.execute(sa.text(_PG_FUNCTION))
        conn.execute(sa.text(_PG_TRIGGER))


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
    after_seq: int | None = None,
    before_seq: int | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[LogEntry]:
    """Entries in seq order (or newest first), filtered (a list of :func:`iter_entries`)."""
    return list(iter_entries(store, since=since, until=until, kinds=kinds, author=author, area=area,
                             after_seq=after_seq, before_seq=before_seq, limit=limit, newest_first=newest_first))


def iter_entries(
    store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kinds: Sequence[str] | None = None,
    author: str | None = None,
    area: str | None = None,
    after_seq: int | None = None,
    before_seq: int | None = None,
    limit: int | None = None,
    newest_first: bool = False,
    page: int = PAGE,
) -> Iterator[LogEntry]:
    """Entries in seq order (or newest first), filtered, read in pages of ``page`` rows (keyset on
    ``seq``), so a log of any length is read in bounded memory and bounded statements.

    ``since``/``until`` bound ``recorded_at`` (since inclusive, until exclusive); ``area`` matches an
    entry that names the area (case-insensitive); ``after_seq``/``before_seq``/``limit`` page through
    a long log (e.g. the TUI: ``before_seq=oldest_shown, limit=200, newest_first=True``)."""
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
    want = area.casefold() if area else None
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
                    if not isinstance(names, list) or want not in {str(n_).casefold() for n_ in names}:
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
